package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;

import io.jenkins.plugins.mlstages.report.StageLog;

/**
 * The profile's numbers against NumPy on the same data: moments and bounds exactly, quantiles exactly
 * while a column fits the sample, and within the KLL sketch's stated rank error once it does not.
 */
public class ProfileOracleIT {
    /** KLL with k = 200: normalised rank error 1.65 % (99 % confidence, DataSketches' table). */
    private static final double KLL_RANK_ERROR = 0.0165;

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private Path csv(Map<String, double[]> columns, int rows) throws Exception {
        StringBuilder text = new StringBuilder(String.join(",", columns.keySet())).append('\n');
        for (int i = 0; i < rows; i++) {
            int j = 0;
            for (double[] values : columns.values()) {
                text.append(j++ > 0 ? "," : "").append(Double.isNaN(values[i]) ? "" : Double.toString(values[i]));
            }
            text.append('\n');
        }
        Path file = folder.newFile("data.csv").toPath();
        Files.writeString(file, text);
        return file;
    }

    private static double[] present(double[] values) {
        return java.util.Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
    }

    private void compare(int rows, int sampleSize, boolean exactQuantiles) throws Exception {
        Random random = new Random(7);
        Map<String, double[]> columns = new LinkedHashMap<>();
        double[] normal = new double[rows];
        double[] ties = new double[rows];
        double[] skewed = new double[rows];
        for (int i = 0; i < rows; i++) {
            normal[i] = random.nextGaussian() * 3 + 10;
            ties[i] = Math.round(random.nextGaussian() * 2) / 2.0;
            skewed[i] = random.nextDouble() < 0.05 ? Double.NaN : Math.exp(random.nextGaussian());
        }
        columns.put("normal", normal);
        columns.put("ties", ties);
        columns.put("skewed", skewed);
        DatasetProfile profile = new ValidateData(StageLog.NONE).profileOnly(csv(columns, rows), DataFormat.CSV,
                CsvOptions.defaults(), sampleSize, 42);

        Map<String, Object> request = new LinkedHashMap<>();
        Map<String, Object> cols = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : columns.entrySet()) {
            ColumnProfile p = profile.column(e.getKey()).orElseThrow();
            cols.put(e.getKey(), Map.of("values", present(e.getValue()), "estimates", p.quantiles()));
        }
        request.put("columns", cols);
        JsonNode numpy = PythonOracle.run("profile_oracle.py", request);

        for (String name : List.of("normal", "ties", "skewed")) {
            ColumnProfile p = profile.column(name).orElseThrow();
            JsonNode np = numpy.path(name);
            assertEquals(name, np.path("count").asLong(), p.count());
            assertEquals(name, np.path("mean").asDouble(), p.mean(), 1e-9 * Math.abs(np.path("mean").asDouble()) + 1e-12);
            assertEquals(name, np.path("std").asDouble(), p.std(), 1e-9 * np.path("std").asDouble());
            assertEquals(name, np.path("min").asDouble(), p.min(), 0);
            assertEquals(name, np.path("max").asDouble(), p.max(), 0);
            for (Map.Entry<String, Double> q : p.quantiles().entrySet()) {
                double rank = Double.parseDouble(q.getKey().substring(1)) / 100;
                if (exactQuantiles) {
                    double expected = np.path("quantiles").path(q.getKey()).asDouble();
                    assertEquals(name + " " + q.getKey(), expected, q.getValue(), 1e-9 * Math.abs(expected) + 1e-12);
                } else {
                    JsonNode between = np.path("ranks").path(q.getKey());
                    double below = between.get(0).asDouble();
                    double atOrBelow = between.get(1).asDouble();
                    assertTrue(name + " " + q.getKey() + " rank in [" + below + ", " + atOrBelow + "]",
                            below - KLL_RANK_ERROR <= rank && rank <= atOrBelow + KLL_RANK_ERROR);
                }
            }
        }
        if (exactQuantiles) {
            assertEquals(numpy.path("ties").path("distinct").asLong(), profile.column("ties").orElseThrow().distinct());
        }
    }

    @Test
    public void smallColumnsMatchNumPyExactly() throws Exception {
        compare(3000, 50_000, true);
    }

    @Test
    public void largeColumnsStayWithinTheSketchError() throws Exception {
        compare(60_000, 1000, false);
    }
}
