package io.jenkins.plugins.mlstages.report;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.jenkins.plugins.mlstages.report.ReportSummary.AliasState;
import io.jenkins.plugins.mlstages.report.ReportSummary.DriftBar;
import io.jenkins.plugins.mlstages.report.ReportSummary.Gate;
import io.jenkins.plugins.mlstages.report.ReportSummary.GateRule;
import io.jenkins.plugins.mlstages.report.ReportSummary.KeyMetric;
import io.jenkins.plugins.mlstages.report.ReportSummary.Registration;
import io.jenkins.plugins.mlstages.report.ReportSummary.StageFinding;
import io.jenkins.plugins.mlstages.report.ReportSummary.StageLine;
import io.jenkins.plugins.mlstages.report.ReportSummary.Validation;

/**
 * The build report as Markdown, for a pull-request comment or a CI job summary (GitHub's
 * {@code $GITHUB_STEP_SUMMARY}, GitLab): verdict, stages, key metrics against the champion, failed
 * checks, drift, gate rules, registration, canary and links to MLflow. It is laid out from the same
 * {@link ReportSummary} as the HTML page, so the two cannot disagree. Every piece of report text is
 * escaped ({@link #text}): a column name cannot add a link, an image, a table cell or HTML.
 */
public final class MarkdownSummary {
    /** How much the summary shows. */
    public enum Detail {
        /** What a reviewer reads first: failed checks (the first {@value #SHORT_LIMIT}), drifted columns only. */
        SHORT,
        /** Everything: every failed check, every drift column, every validation check, the canary timeline. */
        FULL;

        /** {@code short} or {@code full}, in any case. */
        public static Detail parse(String value) {
            for (Detail detail : values()) {
                if (detail.name().equalsIgnoreCase(value.strip())) {
                    return detail;
                }
            }
            throw new IllegalArgumentException("unknown detail '" + value + "': use short or full");
        }
    }

    /** Failed checks a short summary lists before it says how many more there are. */
    public static final int SHORT_LIMIT = 10;

    private final BuildReport report;
    private final Detail detail;
    private final String mlflowUrl;
    /** The name stem of the SVG files beside the summary; null for a summary without images. */
    private final String imageStem;

    /**
     * @param mlflowUrl the MLflow web UI (an http or https URL, any path prefix) for links to the run and
     *        the model version; null for no links. User info, query and fragment are dropped.
     */
    public MarkdownSummary(BuildReport report, Detail detail, String mlflowUrl) {
        this(report, detail, linkBase(mlflowUrl), null);
    }

    private MarkdownSummary(BuildReport report, Detail detail, String linkBase, String imageStem) {
        this.report = report;
        this.detail = detail;
        this.mlflowUrl = linkBase;
        this.imageStem = imageStem;
    }

    /**
     * This summary showing its pictures ({@link SummaryImages}) from files beside it, named
     * {@code <stem>-roc.svg}, {@code <stem>-precision-recall.svg}, {@code <stem>-drift.svg}: write them
     * with {@link #images()}. (Not for a CI job summary, which cannot reach files.)
     */
    public MarkdownSummary withImages(String stem) {
        return new MarkdownSummary(report, detail, mlflowUrl, stem);
    }

    /** The SVG files the summary refers to, by file name; empty without {@link #withImages}. */
    public Map<String, String> images() {
        Map<String, String> files = new LinkedHashMap<>();
        if (imageStem != null) {
            SummaryImages.of(report.summary()).forEach((kind, svg) -> files.put(imageStem + "-" + kind + ".svg", svg));
        }
        return files;
    }

    /** {@code ![alt](<stem>-kind.svg)} on a line of its own, when the summary has that image. */
    private void image(StringBuilder md, Map<String, String> images, String kind, String alt) {
        String file = imageStem + "-" + kind + ".svg";
        if (images.containsKey(file)) {
            md.append("![").append(alt).append("](").append(path(file)).append(")\n\n");
        }
    }

    /** The summary, ending with a newline. */
    public String markdown() {
        ReportSummary summary = report.summary();
        StringBuilder md = new StringBuilder();
        md.append("## ").append(icon(summary.verdict().status())).append(' ').append(text(summary.title())).append("\n\n");
        md.append("**").append(summary.verdict().status()).append("**: ").append(text(summary.verdict().headline())).append("\n\n");
        stages(md, summary.verdict().stages());
        Map<String, String> images = images();
        metrics(md, summary.metrics());
        image(md, images, "roc", "ROC curve");
        image(md, images, "precision-recall", "Precision-recall curve");
        failed(md, summary.findings());
        drift(md, summary.drift());
        image(md, images, "drift", "Drift per column");
        gate(md, summary.gate());
        registration(md, summary.registration(), summary.aliases());
        canary(md, summary.canary(), false);
        canary(md, summary.blueGreen(), true);
        abTest(md, summary.abTest());
        if (detail == Detail.FULL) {
            validation(md, summary.validation());
        }
        links(md, summary.registration());
        return md.toString();
    }

    /** Writes the summary whole or not at all, replacing {@code target}. */
    public void write(Path target) throws IOException {
        AtomicFile.write(target, markdown().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Appends the summary to {@code target} (created when missing), never replacing what is there: a
     * CI job summary file collects the outputs of every step of a job. A blank line separates it from
     * what came before.
     */
    public void append(Path target) throws IOException {
        boolean hasContent = Files.exists(target) && Files.size(target) > 0;
        byte[] bytes = ((hasContent ? "\n" : "") + markdown()).getBytes(StandardCharsets.UTF_8);
        Files.write(target, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    private static void stages(StringBuilder md, List<StageLine> stages) {
        md.append("| Stage | Status | Checks | Failed |\n|---|---|---:|---:|\n");
        for (StageLine line : stages) {
            md.append("| ").append(text(line.stage())).append(" | ").append(icon(line.status())).append(' ').append(line.status())
                    .append(" | ").append(line.checks()).append(" | ").append(line.failed()).append(" |\n");
        }
        md.append('\n');
    }

    private static void metrics(StringBuilder md, List<KeyMetric> metrics) {
        if (metrics == null || metrics.isEmpty()) {
            return;
        }
        md.append("### Key metrics\n\n");
        md.append("| Metric | Candidate | Interval | Champion | Δ | Δ interval |\n|---|---:|---|---:|---:|---|\n");
        for (KeyMetric m : metrics) {
            md.append("| ").append(text(m.name())).append(" | ").append(number(m.value())).append(" | ")
                    .append(interval(m.lower(), m.upper(), m.level())).append(" | ").append(number(m.champion())).append(" | ")
                    .append(delta(m)).append(" | ").append(interval(m.deltaLower(), m.deltaUpper(), null))
                    .append(Boolean.TRUE.equals(m.significant()) ? " (excludes 0)" : "").append(" |\n");
        }
        md.append('\n');
    }

    /** The delta with an arrow and whether the change is for the better: {@code +0.0571 ▲ better}. */
    private static String delta(KeyMetric m) {
        if (m.delta() == null) {
            return "–";
        }
        String arrow = "up".equals(m.direction()) ? " ▲" : "down".equals(m.direction()) ? " ▼" : "";
        String effect = "good".equals(m.effect()) ? " better" : "bad".equals(m.effect()) ? " worse" : "";
        return signed(m.delta()) + arrow + effect;
    }

    private void failed(StringBuilder md, List<StageFinding> findings) {
        if (findings == null || findings.isEmpty()) {
            return;
        }
        md.append("### Failed checks (").append(findings.size()).append(")\n\n");
        md.append("| Stage | Severity | Check | Finding |\n|---|---|---|---|\n");
        int shown = detail == Detail.FULL ? findings.size() : Math.min(SHORT_LIMIT, findings.size());
        for (StageFinding f : findings.subList(0, shown)) {
            md.append("| ").append(text(f.stage())).append(" | ").append(f.severity().name()).append(" | ")
                    .append(code(f.check() + (f.subject() == null ? "" : " " + f.subject()))).append(" | ").append(text(f.message()))
                    .append(" |\n");
        }
        if (shown < findings.size()) {
            md.append("\n… and ").append(findings.size() - shown).append(" more (the full summary lists them all).\n");
        }
        md.append('\n');
    }

    private void drift(StringBuilder md, List<DriftBar> drift) {
        if (drift == null || drift.isEmpty()) {
            return;
        }
        long drifted = drift.stream().filter(DriftBar::drifted).count();
        md.append("### Drift\n\n").append(drifted).append(" of ").append(Plural.of(drift.size(), "column")).append(" drifted.\n\n");
        List<DriftBar> rows = detail == Detail.FULL ? drift : drift.stream().filter(DriftBar::drifted).toList();
        if (rows.isEmpty()) {
            return;
        }
        md.append("| Column | Measure | Value | Drift when | Drifted |\n|---|---|---:|---|---|\n");
        for (DriftBar bar : rows) {
            md.append("| ").append(text(bar.column())).append(" | ").append(text(bar.measure())).append(" | ").append(number(bar.value()))
                    .append(" | ").append(bar.comparison() == null || bar.threshold() == null ? "–"
                            : code(bar.comparison() + " " + number(bar.threshold())))
                    .append(" | ").append(bar.drifted() ? "⚠️ yes" : "no").append(" |\n");
        }
        md.append('\n');
    }

    private static void gate(StringBuilder md, Gate gate) {
        if (gate == null) {
            return;
        }
        md.append("### Gate: ").append(icon(gate.status())).append(' ').append(gate.status()).append("\n\n");
        if (gate.championVersion() != null || gate.championSource() != null) {
            md.append("Champion: ").append(text(gate.championVersion() != null ? "version " + gate.championVersion() : "from the " + gate.championSource()))
                    .append("\n\n");
        }
        if (gate.rules() == null || gate.rules().isEmpty()) {
            return;
        }
        md.append("| # | Rule | Outcome | Observed | Required | Margin |\n|---:|---|---|---:|---:|---:|\n");
        for (GateRule rule : gate.rules()) {
            String outcome = rule.status() == null ? "–" : rule.status().word()
                    + (rule.status() == RuleStatus.FAILED && rule.severity() == Severity.WARNING ? " (warning)" : "");
            md.append("| ").append(rule.number() == null ? "" : rule.number()).append(" | ").append(code(rule.rule())).append(" | ")
                    .append(outcome).append(" | ").append(number(rule.observed())).append(" | ").append(number(rule.required()))
                    .append(" | ").append(rule.margin() == null ? "–" : signed(rule.margin())).append(" |\n");
        }
        md.append('\n');
    }

    private static void registration(StringBuilder md, Registration registration, List<AliasState> aliases) {
        if (registration == null && aliases == null) {
            return;
        }
        md.append("### Registration\n\n");
        if (registration != null) {
            md.append("- Model ").append(text(registration.model())).append(" version ").append(text(registration.version()))
                    .append(Boolean.TRUE.equals(registration.reused()) ? " (already registered for this build, reused)" : "").append('\n');
            if (registration.source() != null) {
                md.append("- Source: ").append(code(registration.source(), false)).append('\n');
            }
        }
        if (aliases != null) {
            List<String> names = new ArrayList<>();
            for (AliasState alias : aliases) {
                names.add(text(alias.alias()) + " → " + text(alias.version()) + " (set by " + text(alias.stage()) + ")");
            }
            md.append("- Aliases: ").append(String.join(", ", names)).append('\n');
        }
        md.append('\n');
    }

    /** A canary, or a blue/green deployment (the same shape, with its smoke checks and green for the canary). */
    private void canary(StringBuilder md, JsonNode canary, boolean blueGreen) {
        if (canary == null) {
            return;
        }
        Status status = parseStatus(canary.path("status").asText(""));
        md.append(blueGreen ? "### Blue/green: " : "### Canary: ").append(status == null ? "" : icon(status) + " ")
                .append(text(canary.path("verdict").asText("unknown"))).append("\n\n");
        md.append("- Version ").append(text(canary.path("version").asText("?"))).append(blueGreen ? " (green) against version " : " against stable version ")
                .append(text(canary.path("stable_version").asText("?"))).append(blueGreen ? " (blue)\n" : "\n");
        JsonNode timeline = canary.path("timeline");
        for (JsonNode entry : timeline) {
            if ("smoke".equals(entry.path("event").asText())) {
                md.append("- ").append(text(entry.path("message").asText(""))).append('\n');
            }
        }
        if (timeline.isArray() && timeline.size() > 0) {
            JsonNode last = timeline.get(timeline.size() - 1);
            md.append(blueGreen ? "- Final traffic on green: " : "- Final traffic on the canary: ").append(text(last.path("weight").asText("?"))).append(" %; ")
                    .append(text(last.path("message").asText(""))).append('\n');
        }
        if (detail == Detail.FULL && timeline.isArray() && timeline.size() > 0) {
            md.append("\n| Elapsed (s) | Step | Weight % | Event | Analysis |\n|---:|---:|---:|---|---|\n");
            for (JsonNode entry : timeline) {
                md.append("| ").append(number(ReportNumbers.read(entry.path("elapsed_seconds")))).append(" | ")
                        .append(text(entry.path("step").asText(""))).append(" | ").append(text(entry.path("weight").asText("")))
                        .append(" | ").append(text(entry.path("event").asText(""))).append(" | ")
                        .append(text(entry.path("analysis_verdict").asText("–"))).append(" |\n");
            }
        }
        md.append('\n');
    }

    /** The A/B test: verdict, winner with its always-valid interval and p, and both arms' counts and rates. */
    private static void abTest(StringBuilder md, JsonNode test) {
        if (test == null) {
            return;
        }
        Status status = parseStatus(test.path("status").asText(""));
        md.append("### A/B test: ").append(status == null ? "" : icon(status) + " ").append(text(test.path("verdict").asText("unknown")))
                .append("\n\n");
        md.append("- Version ").append(text(test.path("version").asText("?"))).append(" against version ")
                .append(text(test.path("control_version").asText("?"))).append("; winner: **")
                .append(text(test.path("winner").asText("inconclusive"))).append("**");
        JsonNode interval = test.path("interval");
        if (interval.isArray() && interval.size() == 2) {
            md.append("; candidate − control ").append(signed(interval.get(0).asDouble())).append(" to ")
                    .append(signed(interval.get(1).asDouble())).append(" (always-valid interval), p ")
                    .append(number(ReportNumbers.read(test.path("p_value"))));
        }
        md.append('\n');
        JsonNode counts = test.path("counts");
        if (counts.isObject()) {
            md.append("\n| Arm | Trials | Conversions | Rate |\n|---|---:|---:|---:|\n");
            for (String arm : new String[] {"control", "candidate"}) {
                long trials = counts.path(arm + "_trials").asLong();
                long conversions = counts.path(arm + "_conversions").asLong();
                md.append("| ").append(arm).append(" | ").append(trials).append(" | ").append(conversions).append(" | ")
                        .append(trials > 0 ? number((double) conversions / trials) : "–").append(" |\n");
            }
        }
        md.append('\n');
    }

    private static void validation(StringBuilder md, Validation validation) {
        if (validation == null || validation.findings() == null) {
            return;
        }
        md.append("### Validation checks (").append(validation.checks()).append(", ").append(validation.failed()).append(" failed)\n\n");
        if (validation.dataset() != null) {
            md.append("Dataset ").append(text(validation.dataset()));
            if (validation.rows() != null) {
                md.append(": ").append(validation.rows()).append(" rows");
            }
            if (validation.columns() != null) {
                md.append(", ").append(validation.columns()).append(" columns");
            }
            md.append("\n\n");
        }
        md.append("| Outcome | Severity | Check | Finding |\n|---|---|---|---|\n");
        for (Finding f : validation.findings()) {
            md.append("| ").append(f.passed() ? "PASS" : "FAIL").append(" | ").append(f.severity().name()).append(" | ")
                    .append(code(f.check() + (f.subject() == null ? "" : " " + f.subject()))).append(" | ").append(text(f.message()))
                    .append(" |\n");
        }
        md.append('\n');
    }

    private void links(StringBuilder md, Registration registration) {
        if (mlflowUrl == null || registration == null) {
            return;
        }
        List<String> links = new ArrayList<>();
        if (registration.runId() != null) {
            links.add("[MLflow run " + text(registration.runId()) + "](" + mlflowUrl + "/#/runs/" + path(registration.runId()) + ")");
        }
        if (registration.model() != null && registration.version() != null) {
            links.add("[" + text(registration.model()) + " version " + text(registration.version()) + "](" + mlflowUrl + "/#/models/"
                    + path(registration.model()) + "/versions/" + path(registration.version()) + ")");
        }
        if (!links.isEmpty()) {
            md.append("Links: ").append(String.join(" · ", links)).append('\n');
        }
    }

    private static Status parseStatus(String value) {
        for (Status status : Status.values()) {
            if (status.name().equals(value)) {
                return status;
            }
        }
        return null;
    }

    private static String icon(Status status) {
        switch (status) {
            case PASSED:
                return "✅";
            case WARNING:
                return "⚠️";
            default:
                return "❌";
        }
    }

    /** {@code 0.7107}; {@code –} for none; NaN and infinities spelled out. */
    static String number(Double value) {
        if (value == null) {
            return "–";
        }
        if (!Double.isFinite(value)) {
            return value.isNaN() ? "NaN" : value > 0 ? "∞" : "−∞";
        }
        return String.format(Locale.ROOT, "%.4f", value);
    }

    private static String signed(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%+.4f", value) : number(value);
    }

    /** {@code [0.6712, 0.7490] 95 %}; {@code –} without bounds. */
    private static String interval(Double lower, Double upper, Double level) {
        if (lower == null || upper == null) {
            return "–";
        }
        String text = "[" + number(lower) + ", " + number(upper) + "]";
        return level == null ? text : text + " " + String.format(Locale.ROOT, "%.0f", level <= 1 ? level * 100 : level) + " %";
    }

    /**
     * Report text as literal Markdown: known credentials redacted, control characters made visible
     * ({@link Printable}), every character Markdown or HTML could read as syntax backslash-escaped (a
     * pipe would end a table cell, a backtick open code, {@code <} start HTML, {@code [} a link, {@code $}
     * GitHub's math, a URL an autolink), and line breaks turned into spaces, so that the text stays in its
     * table cell. (An {@code @name} stays a mention on GitHub: mentions are found in the rendered text.)
     */
    public static String text(String value) {
        if (value == null) {
            return "–";
        }
        String printable = oneLine(value);
        StringBuilder out = new StringBuilder(printable.length() + 16);
        for (int i = 0; i < printable.length(); i++) {
            char c = printable.charAt(i);
            if ("\\`*_{}[]<>#!|~$&@".indexOf(c) >= 0 || autolink(printable, i)) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Known credentials redacted, line breaks as spaces, control characters made visible ({@link Printable}). */
    private static String oneLine(String value) {
        return Printable.escape(Secrets.redactKnown(value).replace("\r\n", " ").replace('\n', ' ').replace('\r', ' '));
    }

    /**
     * Whether the character at {@code i} would let GitHub-flavoured Markdown make a link of plain text (its
     * autolinks: {@code http://}, {@code https://}, {@code ftp://}, {@code www.}, e-mail addresses): the
     * {@code :} of {@code ://} and the {@code .} of {@code www.} are escaped, as is every {@code @}.
     */
    private static boolean autolink(String text, int i) {
        char c = text.charAt(i);
        return c == ':' && text.startsWith("//", i + 1)
                || c == '.' && i >= 3 && text.substring(i - 3, i).equalsIgnoreCase("www");
    }

    /**
     * Report text shown as code (a check, a rule, a URI): in a code span nothing is markup, so it needs
     * only a fence longer than any run of backticks inside it. In a table a pipe is still escaped:
     * GitHub's tables split cells on it before reading code spans (and drop the backslash).
     */
    static String code(String value) {
        return code(value, true);
    }

    /** As {@link #code(String)}; outside a table a pipe stays as it is (there a backslash would show). */
    static String code(String value, boolean inTable) {
        if (value == null) {
            return "–";
        }
        String printable = oneLine(value);
        if (inTable) {
            printable = printable.replace("|", "\\|");
        }
        int longest = 0;
        int run = 0;
        for (int i = 0; i < printable.length(); i++) {
            run = printable.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(longest + 1);
        // a space on each side when the text starts or ends with a backtick, which would otherwise join the fence
        String pad = printable.startsWith("`") || printable.endsWith("`") ? " " : "";
        return fence + pad + printable + pad + fence;
    }

    /** One path segment of a link, percent-encoded: a name cannot leave the URL or end the link. */
    private static String path(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20").replace("(", "%28").replace(")", "%29");
    }

    /** The base of the links: an http(s) URL without user info, query or fragment, no trailing slash; null when unusable. */
    public static String linkBase(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                return null;
            }
            URI base = new URI(scheme, null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
            String text = base.toASCIIString();
            while (text.endsWith("/")) {
                text = text.substring(0, text.length() - 1);
            }
            // a URL with characters that would end a Markdown link is not used rather than mangled
            return text.matches("[A-Za-z0-9:/._~%!$&'*+,;=@-]+") ? text : null;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }
}
