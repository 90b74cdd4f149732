package io.jenkins.plugins.mlstages.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.jenkins.plugins.mlstages.report.ReportSummary.DriftBar;

/**
 * The pictures of the Markdown summary, as standalone SVG files written beside it: the ROC and
 * precision-recall curves of a binary evaluation, and the drift of each column against its threshold.
 * Plain SVG (no script, no external reference); report text in them is XML-escaped. Multiclass
 * curves (one line per class) are left to the HTML page.
 */
public final class SummaryImages {
    /** {@code roc}, {@code precision-recall}, {@code drift}: the suffix of each file and what it shows. */
    public static final List<String> KINDS = List.of("roc", "precision-recall", "drift");

    private static final int WIDTH = 420;
    private static final int HEIGHT = 340;
    private static final int LEFT = 50;
    private static final int TOP = 30;
    private static final int PLOT = 260;

    private SummaryImages() {
    }

    /** The images this summary has, by kind, in {@link #KINDS} order; empty when it has none. */
    public static Map<String, String> of(ReportSummary summary) {
        Map<String, String> images = new LinkedHashMap<>();
        JsonNode curves = summary.curves();
        if (curves != null) {
            curve(curves.path("roc"), "ROC curve", true).ifPresent(svg -> images.put("roc", svg));
            curve(curves.path("precision_recall"), "Precision-recall curve", false).ifPresent(svg -> images.put("precision-recall", svg));
        }
        if (summary.drift() != null && !summary.drift().isEmpty()) {
            images.put("drift", drift(summary.drift()));
        }
        return images;
    }

    private static java.util.Optional<String> curve(JsonNode curve, String title, boolean diagonal) {
        JsonNode xs = curve.path("xs");
        JsonNode ys = curve.path("ys");
        if (!xs.isArray() || !ys.isArray() || xs.size() != ys.size() || xs.size() < 2 || !xs.get(0).isNumber()) {
            return java.util.Optional.empty();
        }
        StringBuilder svg = start(WIDTH, HEIGHT, title);
        svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(PLOT).append("\" height=\"")
                .append(PLOT).append("\" fill=\"none\" stroke=\"#888\"/>\n");
        for (int tick = 0; tick <= 4; tick++) {
            double v = tick / 4.0;
            svg.append(text(LEFT + v * PLOT, TOP + PLOT + 16, "middle", fmt(v, 2)));
            svg.append(text(LEFT - 6, TOP + PLOT - v * PLOT + 4, "end", fmt(v, 2)));
        }
        svg.append(text(LEFT + PLOT / 2.0, TOP + PLOT + 34, "middle", curve.path("x").asText("x").replace('_', ' ')));
        svg.append("<text x=\"14\" y=\"").append(TOP + PLOT / 2).append("\" text-anchor=\"middle\" transform=\"rotate(-90 14 ")
                .append(TOP + PLOT / 2).append(")\" font-size=\"12\">").append(ReportPage.escape(curve.path("y").asText("y").replace('_', ' ')))
                .append("</text>\n");
        if (diagonal) {
            svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(TOP + PLOT).append("\" x2=\"").append(LEFT + PLOT)
                    .append("\" y2=\"").append(TOP).append("\" stroke=\"#bbb\" stroke-dasharray=\"4 4\"/>\n");
        }
        List<String> points = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            Double x = ReportNumbers.read(xs.get(i));
            Double y = ReportNumbers.read(ys.get(i));
            if (x != null && y != null && Double.isFinite(x) && Double.isFinite(y)) {
                points.add(fmt(LEFT + clamp(x) * PLOT, 1) + "," + fmt(TOP + PLOT - clamp(y) * PLOT, 1));
            }
        }
        svg.append("<polyline fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"2\" points=\"").append(String.join(" ", points))
                .append("\"/>\n</svg>\n");
        return java.util.Optional.of(svg.toString());
    }

    /** One row per column: the compared value as a bar, the threshold as a tick; red when drifted. */
    private static String drift(List<DriftBar> bars) {
        int row = 26;
        int labelWidth = 200;
        int barWidth = 180;
        int height = TOP + bars.size() * row + 10;
        StringBuilder svg = start(labelWidth + barWidth + 80, height, "Drift per column");
        int y = TOP;
        for (DriftBar bar : bars) {
            double value = bar.value() == null || !Double.isFinite(bar.value()) ? 0 : Math.abs(bar.value());
            double threshold = bar.threshold() == null || !Double.isFinite(bar.threshold()) ? 0 : Math.abs(bar.threshold());
            double scale = Math.max(Math.max(value, threshold) * 1.25, 1e-12);
            svg.append(text(labelWidth - 6, y + 15, "end", shorten(bar.column(), 28) + " (" + shorten(bar.measure(), 14) + ")"));
            svg.append("<rect x=\"").append(labelWidth).append("\" y=\"").append(y + 4).append("\" width=\"")
                    .append(fmt(value / scale * barWidth, 1)).append("\" height=\"16\" fill=\"").append(bar.drifted() ? "#d1242f" : "#2da44e")
                    .append("\"/>\n");
            if (threshold > 0) {
                double tx = labelWidth + threshold / scale * barWidth;
                svg.append("<line x1=\"").append(fmt(tx, 1)).append("\" y1=\"").append(y).append("\" x2=\"").append(fmt(tx, 1))
                        .append("\" y2=\"").append(y + 24).append("\" stroke=\"#000\" stroke-width=\"2\"/>\n");
            }
            svg.append(text(labelWidth + barWidth + 6, y + 15, "start", bar.value() == null ? "–" : MarkdownSummary.number(bar.value())));
            y += row;
        }
        return svg.append("</svg>\n").toString();
    }

    private static StringBuilder start(int width, int height, String title) {
        return new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"sans-serif\">\n<title>").append(ReportPage.escape(title)).append("</title>\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n")
                .append(text(width / 2.0, 18, "middle", title));
    }

    /** A text element; the text redacted, control characters made visible, XML-escaped. */
    private static String text(double x, double y, String anchor, String value) {
        return "<text x=\"" + fmt(x, 1) + "\" y=\"" + fmt(y, 1) + "\" text-anchor=\"" + anchor + "\" font-size=\"12\">"
                + ReportPage.escape(Printable.escape(Secrets.redactKnown(value))) + "</text>\n";
    }

    private static String shorten(String text, int max) {
        String value = text == null ? "" : text;
        return value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
