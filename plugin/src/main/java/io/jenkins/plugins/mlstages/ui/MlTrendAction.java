package io.jenkins.plugins.mlstages.ui;

import edu.hm.hafner.echarts.JacksonFacade;
import edu.hm.hafner.echarts.line.LineSeries;
import edu.hm.hafner.echarts.line.LinesChartModel;
import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.echarts.AsyncTrendChart;
import io.jenkins.plugins.echarts.JenkinsPalette;
import io.jenkins.plugins.mlstages.config.MlStagesConfiguration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.bind.JavaScriptMethod;

/**
 * The job-level trend of the chosen metrics ({@link MlStagesConfiguration#getTrendMetrics()}) over the
 * last builds, drawn by echarts-api's {@code trend-chart} tag. It reads only each build's
 * {@link MlReportAction} summary fields from build.xml, never a stage report.
 */
public final class MlTrendAction implements Action, AsyncTrendChart {
    /** How many builds back the trend and the previous-build comparison look. */
    static final int MAX_BUILDS = 50;

    private final Job<?, ?> job;

    MlTrendAction(Job<?, ?> job) {
        this.job = job;
    }

    public Job<?, ?> getJob() {
        return job;
    }

    /** No sidebar link: the chart is on the job page. */
    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return "ML metrics trend";
    }

    /** The build action's URL name, so that a click on a point opens that build's ML report. */
    @Override
    public String getUrlName() {
        return MlReportAction.URL_NAME;
    }

    /**
     * The job's {@code ml-stages/} URL: the newest build's ML report (looking {@link #MAX_BUILDS} back),
     * or a page that says there is none yet.
     */
    public HttpResponse doIndex() {
        Run<?, ?> run = job.getLastBuild();
        for (int seen = 0; run != null && seen < MAX_BUILDS; seen++, run = run.getPreviousBuild()) {
            if (run.getAction(MlReportAction.class) != null) {
                return HttpResponses.redirectViaContextPath("/" + run.getUrl() + MlReportAction.URL_NAME + "/");
            }
        }
        return HttpResponses.forwardToView(this, "none.jelly");
    }

    /** Shown from two builds with metrics on. */
    @Override
    public boolean isTrendVisible() {
        return points(2).size() >= 2;
    }

    @JavaScriptMethod
    @Override
    public String getBuildTrendModel() {
        return new JacksonFacade().toJson(createChartModel());
    }

    LinesChartModel createChartModel() {
        List<Point> points = points(MAX_BUILDS);
        Collections.reverse(points);
        List<String> labels = new ArrayList<>();
        List<Integer> builds = new ArrayList<>();
        for (Point point : points) {
            labels.add(point.label);
            builds.add(point.number);
        }
        LinesChartModel model = new LinesChartModel(labels, builds);
        model.useContinuousRangeAxis();
        int color = 0;
        for (String metric : MlStagesConfiguration.get().trendMetricNames()) {
            List<Double> values = new ArrayList<>();
            boolean any = false;
            for (Point point : points) {
                Double value = point.metrics.get(metric);
                // NaN or an infinity is no point on a line: a gap, as for a build without the metric
                value = value == null || !Double.isFinite(value) ? null : value;
                values.add(value);
                any |= value != null;
            }
            if (any) {
                model.addSeries(new LineSeries(metric, JenkinsPalette.chartColor(color++).normal(),
                        LineSeries.StackedMode.SEPARATE_LINES, LineSeries.FilledMode.LINES, values));
            }
        }
        return model;
    }

    /** The newest builds with metrics, newest first, at most {@code limit}, looking {@link #MAX_BUILDS} back. */
    private List<Point> points(int limit) {
        List<Point> points = new ArrayList<>();
        Run<?, ?> run = job.getLastBuild();
        for (int seen = 0; run != null && seen < MAX_BUILDS && points.size() < limit; seen++, run = run.getPreviousBuild()) {
            MlReportAction action = run.getAction(MlReportAction.class);
            if (action != null && !action.getMetrics().isEmpty()) {
                points.add(new Point(run.getNumber(), run.getDisplayName(), action.getMetrics()));
            }
        }
        return points;
    }

    private static final class Point {
        final int number;
        final String label;
        final Map<String, Double> metrics;

        Point(int number, String label, Map<String, Double> metrics) {
            this.number = number;
            this.label = label;
            this.metrics = metrics;
        }
    }
}
