package io.jenkins.plugins.mlstages.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlstages.data.PythonOracle;
import io.jenkins.plugins.mlstages.report.StageLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The bootstrap interval of every metric evaluateModel reports equals scikit-learn's on the same resamples
 * ({@code bootstrap_oracle.py}): the test redraws each resample's row indices exactly as the stage did
 * ({@link Bootstrap#generators}, {@link Bootstrap#draw}, {@link Bootstrap#indices}), scikit-learn computes
 * every metric on those rows of the file and NumPy takes the percentile interval; each bound must agree to
 * {@code 1e-9 * max(1, |bound|)}. Cases: binary with probability scores and with predicted labels,
 * multiclass with probabilities and with predicted labels, regression; the binary ones with a sensitive column
 * (fairness, with a small group some resamples draw no row of). Every metric but {@code example_count} must
 * have an interval.
 */
public class BootstrapOracleIT {
    private static final double TOL = 1e-9;
    private static final int RESAMPLES = 60;
    private static final long SEED = 17;
    private static final double LEVEL = 0.9;
    private static final int N = 250;

    @ClassRule
    public static final TemporaryFolder FOLDER = new TemporaryFolder();

    private record Case(String name, Task task, Path file, List<String> scores, String prediction, Double threshold,
            String sensitive) {
    }

    private static String d(double v) {
        return Double.toString(v);
    }

    private static List<Case> cases() throws Exception {
        Path dir = FOLDER.getRoot().toPath();
        SplittableRandom rnd = new SplittableRandom(5);
        StringBuilder binary = new StringBuilder("label,score,pred,grp\n");
        StringBuilder multi = new StringBuilder("label,p0,p1,p2\n");
        StringBuilder multiPred = new StringBuilder("label,pred\n");
        StringBuilder reg = new StringBuilder("y,yhat\n");
        String[] names = {"a", "b", "c", "d"};
        for (int i = 0; i < N; i++) {
            int y = rnd.nextDouble() < 0.3 ? 1 : 0;
            // a 0.02 grid: ties, and scores exactly on the calibration bin edges
            double s = Math.min(1, Math.max(0, Math.round((0.35 + 0.3 * y + 0.25 * rnd.nextGaussian()) * 50) / 50.0));
            binary.append(y).append(',').append(d(s)).append(',').append(rnd.nextDouble() < 0.8 ? y : 1 - y).append(',')
                    .append(i % 125 == 0 ? "small" : rnd.nextBoolean() ? "g1" : "g2").append('\n');
            int c = rnd.nextInt(10) < 5 ? 0 : rnd.nextInt(10) < 6 ? 1 : 2;
            double[] w = new double[3];
            double sum = 0;
            for (int j = 0; j < 3; j++) {
                w[j] = Math.exp(rnd.nextGaussian() + (j == c ? 0.8 : 0));
                sum += w[j];
            }
            multi.append(c);
            for (int j = 0; j < 3; j++) {
                multi.append(',').append(d(w[j] / sum));
            }
            multi.append('\n');
            int t = rnd.nextInt(4);
            multiPred.append(names[t]).append(',').append(names[rnd.nextDouble() < 0.6 ? t : rnd.nextInt(4)]).append('\n');
            double truth = Math.round(rnd.nextGaussian() * 1000) / 100.0;
            reg.append(d(truth)).append(',').append(d(truth + rnd.nextGaussian() * 3)).append('\n');
        }
        Files.writeString(dir.resolve("binary.csv"), binary);
        Files.writeString(dir.resolve("multi.csv"), multi);
        Files.writeString(dir.resolve("multi-pred.csv"), multiPred);
        Files.writeString(dir.resolve("reg.csv"), reg);
        return List.of(new Case("binary", Task.BINARY, dir.resolve("binary.csv"), List.of("score"), null, 0.5, "grp"),
                new Case("binary-labels", Task.BINARY, dir.resolve("binary.csv"), List.of(), "pred", null, "grp"),
                new Case("multiclass", Task.MULTICLASS, dir.resolve("multi.csv"), List.of("p0", "p1", "p2"), null, null,
                        null),
                new Case("multiclass-labels", Task.MULTICLASS, dir.resolve("multi-pred.csv"), List.of(), "pred", null,
                        null),
                new Case("regression", Task.REGRESSION, dir.resolve("reg.csv"), List.of("yhat"), null, null, null));
    }

    @Test
    public void everyIntervalEqualsScikitLearnsOnTheSameResamples() throws Exception {
        List<Case> cases = cases();
        List<int[]> indices = new ArrayList<>();
        int[] counts = new int[N];
        for (SplittableRandom generator : Bootstrap.generators(SEED, RESAMPLES)) {
            Bootstrap.draw(generator, counts);
            indices.add(Bootstrap.indices(counts));
        }
        List<Map<String, Object>> request = new ArrayList<>();
        Map<String, EvaluateResult> results = new LinkedHashMap<>();
        for (Case c : cases) {
            String label = c.task() == Task.REGRESSION ? "y" : "label";
            results.put(c.name(), new EvaluateModel(StageLog.NONE).run(new EvaluateRequest(c.file(), null, null, c.task(),
                    label, c.scores(), c.prediction(), List.of(), 30, c.threshold(), null, null, RESAMPLES, LEVEL, SEED,
                    null, c.sensitive(), EvaluateRequest.DEFAULT_CURVE_POINTS)));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("file", c.file().toString());
            m.put("task", c.task().name().toLowerCase(Locale.ROOT));
            m.put("label", label);
            if (c.prediction() != null) {
                m.put("prediction", c.prediction());
            } else {
                m.put("scores", c.scores());
            }
            if (c.threshold() != null) {
                m.put("threshold", c.threshold());
            }
            if (c.sensitive() != null) {
                m.put("sensitive", c.sensitive());
            }
            m.put("level", LEVEL);
            m.put("indices", indices);
            request.add(m);
        }
        JsonNode out = PythonOracle.run("bootstrap_oracle.py", Map.of("cases", request));
        int compared = 0;
        for (JsonNode c : out.get("cases")) {
            String name = c.get("name").asText();
            EvaluateResult result = results.get(name);
            TreeSet<String> expected = new TreeSet<>(result.metrics().keySet());
            expected.remove("example_count");
            assertEquals(name + ": metrics with an interval", expected, new TreeSet<>(result.intervals().keySet()));
            for (Map.Entry<String, EvaluateResult.IntervalView> e : result.intervals().entrySet()) {
                JsonNode bounds = c.get("intervals").get(e.getKey());
                assertTrue(name + ": scikit-learn has no interval for " + e.getKey(), bounds != null);
                double lower = bounds.get(0).asDouble();
                double upper = bounds.get(1).asDouble();
                assertEquals(name + " " + e.getKey() + ".lower", lower, e.getValue().lower(),
                        TOL * Math.max(1, Math.abs(lower)));
                assertEquals(name + " " + e.getKey() + ".upper", upper, e.getValue().upper(),
                        TOL * Math.max(1, Math.abs(upper)));
                assertEquals(name + " " + e.getKey() + " estimate", result.metrics().get(e.getKey()),
                        e.getValue().estimate(), TOL * Math.max(1, Math.abs(result.metrics().get(e.getKey()))));
                compared++;
            }
        }
        System.out.println("BootstrapOracleIT: " + compared + " intervals equal to scikit-learn's on the same resamples");
    }
}
