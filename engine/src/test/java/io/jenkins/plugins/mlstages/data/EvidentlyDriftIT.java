package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.StageLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Our drift check against Evidently 0.7.23's {@code DataDriftPreset} (run in its own virtualenv by
 * {@code engine/src/test/python/evidently_drift.py}) on generated CSV pairs that cover every branch of
 * Evidently's default test choice: two-valued columns (text, integers, booleans, integers with missing
 * values: Z-test / Jensen-Shannon), categories (chi-square / Jensen-Shannon), integers with at most 10
 * values (categorical), floats with 4 values (chi-square / Jensen-Shannon), many-valued numbers (KS /
 * Wasserstein), numbers with NaN and infinities, and free text (Evidently's domain classifier; ours is
 * a different deterministic one), with references of at most and of more than 1000 rows.
 *
 * <p>Per column: the same test, the same score (p-value or distance) to 1e-9 and the same verdict, except
 * text, where only the verdict is compared; per dataset: the same number of columns tested, the same
 * number drifted and the same verdict. The agreement table is printed.
 */
public class EvidentlyDriftIT {

    @ClassRule
    public static final TemporaryFolder FOLDER = new TemporaryFolder();

    /** A generated column: its value on a row, stable or drifted. */
    private interface Generator {
        String value(RandomGenerator random, boolean drifted);
    }

    private static final Map<String, Generator> COLUMNS = new LinkedHashMap<>();

    static {
        COLUMNS.put("bin_str", (r, d) -> r.nextDouble() < (d ? 0.6 : 0.4) ? "yes" : "no");
        COLUMNS.put("bin_int", (r, d) -> r.nextDouble() < (d ? 0.45 : 0.3) ? "1" : "0");
        COLUMNS.put("bool", (r, d) -> r.nextDouble() < (d ? 0.7 : 0.5) ? "True" : "False");
        COLUMNS.put("cat", (r, d) -> pick(r, new String[] {"red", "green", "blue", "black"},
                d ? new double[] {0.25, 0.25, 0.25, 0.25} : new double[] {0.4, 0.3, 0.2, 0.1}));
        COLUMNS.put("int_few", (r, d) -> String.valueOf(d && r.nextDouble() < 0.4 ? 1 + r.nextInt(3) : 1 + r.nextInt(8)));
        COLUMNS.put("num_few", (r, d) -> pick(r, new String[] {"0.5", "1.5", "2.5", "3.5"},
                d ? new double[] {0.4, 0.3, 0.2, 0.1} : new double[] {0.25, 0.25, 0.25, 0.25}));
        COLUMNS.put("num", (r, d) -> String.format(Locale.ROOT, "%.6f", 50 + 10 * r.nextGaussian() + (d ? 4 : 0)));
        COLUMNS.put("int_many", (r, d) -> String.valueOf(r.nextInt(200) + (d ? 20 : 0)));
        COLUMNS.put("int_missing", (r, d) -> r.nextDouble() < 0.05 ? "" : r.nextDouble() < (d ? 0.65 : 0.5) ? "1" : "0");
        COLUMNS.put("nan_inf", (r, d) -> {
            double u = r.nextDouble();
            return u < 0.03 ? "" : u < 0.04 ? "inf" : u < 0.05 ? "-inf"
                    : String.format(Locale.ROOT, "%.6f", r.nextGaussian() + (d ? 0.5 : 0));
        });
        COLUMNS.put("text", EvidentlyDriftIT::sentence);
        COLUMNS.put("notes", EvidentlyDriftIT::sentence);
    }

    /** A case: reference and current sizes, and which columns drift. */
    private record Case(String name, int referenceRows, int currentRows, Set<String> drifted, long seed) {
    }

    private static final List<Case> CASES = List.of(
            // 6 of 12 drift: exactly the default drift share, which is dataset drift (share >= 0.5)
            new Case("small", 600, 500, Set.of("bin_int", "cat", "int_few", "num", "nan_inf", "text"), 1),
            new Case("large", 3000, 2500, Set.of("bin_str", "bool", "num_few", "int_many", "int_missing", "text"), 2),
            // no drift injected (a column may still drift by chance, at the 5 % of its test)
            new Case("small_stable", 800, 700, Set.of(), 3),
            new Case("large_some", 2000, 1500, Set.of("cat", "int_few", "num", "text"), 4));

    private static final Map<String, Path[]> FILES = new LinkedHashMap<>();
    private static JsonNode evidently;

    @BeforeClass
    public static void runEvidently() throws IOException {
        List<Map<String, String>> request = new ArrayList<>();
        for (Case c : CASES) {
            Path dir = FOLDER.newFolder(c.name()).toPath();
            Path reference = write(dir.resolve("reference.csv"), c.referenceRows(), Set.of(), new SplittableRandom(c.seed()));
            Path current = write(dir.resolve("current.csv"), c.currentRows(), c.drifted(), new SplittableRandom(c.seed() + 100));
            FILES.put(c.name(), new Path[] {reference, current});
            request.add(Map.of("name", c.name(), "reference", reference.toString(), "current", current.toString()));
        }
        evidently = PythonOracle.run(PythonOracle.evidentlyPython(), "evidently_drift.py", Map.of("cases", request));
    }

    @Test
    public void verdictsAgreeWithEvidentlyPerColumnAndPerDataset() throws Exception {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "EvidentlyDriftIT agreement:%n%-13s %-12s %-30s %-24s %-7s | %-24s %-24s %-7s%n", "case", "column",
                "Evidently test", "Evidently score", "drift", "ours", "our score", "drift"));
        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < CASES.size(); i++) {
            Case c = CASES.get(i);
            JsonNode theirs = evidently.get("cases").get(i);
            assertEquals(c.name(), theirs.get("name").asText());
            Path[] files = FILES.get(c.name());
            ValidateDataResult ours = new ValidateData(StageLog.NONE)
                    .run(ValidateDataRequest.of(files[1]).withReference(files[0]));
            Map<String, ColumnDrift> byColumn = new LinkedHashMap<>();
            ours.drift().forEach(d -> byColumn.put(d.column(), d));
            assertEquals(c.name() + ": the same columns are tested", sortedNames(theirs.get("columns")),
                    byColumn.keySet().stream().sorted().toList());
            for (String column : COLUMNS.keySet()) {
                JsonNode expected = theirs.get("columns").get(column);
                ColumnDrift actual = byColumn.get(column);
                String theirMethod = reportName(expected.get("method").asText());
                double theirScore = expected.get("score").asDouble();
                boolean theirDrift = expected.get("drifted").asBoolean();
                boolean text = DriftMethod.parse(actual.method()).isText();
                // the compared score: the p-value or the distance; for text the domain classifier's AUC
                double ourScore = actual.pValue() != null && !text ? actual.pValue() : actual.statistic();
                table.append(String.format(Locale.ROOT, "%-13s %-12s %-30s %-24.17g %-7s | %-24s %-24.17g %-7s%n", c.name(),
                        column, expected.get("method").asText(), theirScore, theirDrift, actual.method(), ourScore,
                        actual.drifted()));
                String where = c.name() + "." + column;
                if (!theirMethod.equals(actual.method())) {
                    disagreements.add(where + ": test " + actual.method() + ", Evidently " + theirMethod);
                }
                if (!text && !(Math.abs(theirScore - ourScore) <= 1e-9)) {
                    disagreements.add(where + ": score " + ourScore + ", Evidently " + theirScore);
                }
                if (theirDrift != actual.drifted()) {
                    disagreements.add(where + ": drifted " + actual.drifted() + ", Evidently " + theirDrift);
                }
                if (text && c.drifted().contains(column) != actual.drifted()) {
                    disagreements.add(where + ": drifted " + actual.drifted() + ", the generated text "
                            + (c.drifted().contains(column) ? "drifts" : "does not drift"));
                }
            }
            JsonNode dataset = theirs.get("dataset");
            long drifted = ours.drift().stream().filter(ColumnDrift::drifted).count();
            Finding verdict = ours.findings().stream().filter(f -> f.check().equals("drift.dataset")).findFirst().orElseThrow();
            table.append(String.format(Locale.ROOT, "%-13s %-12s Evidently %s of %d drifted, dataset drift %s | ours %d of %d,"
                    + " dataset drift %s%n", c.name(), "(dataset)", dataset.get("count").asText(), byColumn.size(),
                    dataset.get("drifted").asBoolean(), drifted, ours.drift().size(), !verdict.passed()));
            if (dataset.get("count").asDouble() != drifted || dataset.get("drifted").asBoolean() == verdict.passed()) {
                disagreements.add(c.name() + ": dataset " + drifted + " drifted (" + !verdict.passed() + "), Evidently "
                        + dataset.get("count").asText() + " (" + dataset.get("drifted").asBoolean() + ")");
            }
        }
        System.out.println(table);
        assertTrue("disagreements with Evidently:\n" + String.join("\n", disagreements) + "\n" + table,
                disagreements.isEmpty());
        // the generated cases reach both dataset verdicts
        assertTrue(table.toString(), table.toString().contains("dataset drift true | ours"));
        assertTrue(table.toString(), table.toString().contains("dataset drift false | ours"));
    }

    /** Evidently's display name of a test as our method name. */
    private static String reportName(String displayName) {
        for (DriftMethod method : DriftMethod.values()) {
            if (method.displayName().equals(displayName)) {
                return method.reportName();
            }
        }
        return "unknown: " + displayName;
    }

    private static List<String> sortedNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        names.sort(null);
        return names;
    }

    private static Path write(Path file, int rows, Set<String> drifted, RandomGenerator random) throws IOException {
        StringBuilder text = new StringBuilder(String.join(",", COLUMNS.keySet())).append('\n');
        for (int row = 0; row < rows; row++) {
            List<String> values = new ArrayList<>();
            COLUMNS.forEach((name, generator) -> values.add(generator.value(random, drifted.contains(name))));
            text.append(String.join(",", values)).append('\n');
        }
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static String pick(RandomGenerator random, String[] values, double[] weights) {
        double u = random.nextDouble();
        for (int i = 0; i < values.length - 1; i++) {
            u -= weights[i];
            if (u < 0) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }

    /**
     * 8 to 14 made-up words (not English stop words) from 300, Zipf-like; drifted text takes 30 % of its
     * words from a second vocabulary of 100 words, so that more than half of the texts are distinct (text).
     */
    private static String sentence(RandomGenerator random, boolean drifted) {
        int words = 8 + random.nextInt(7);
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < words; w++) {
            if (w > 0) {
                text.append(' ');
            }
            if (drifted && random.nextDouble() < 0.3) {
                text.append("zq").append(random.nextInt(100));
            } else {
                text.append("wx").append((int) Math.floor(Math.pow(300, random.nextDouble())));
            }
        }
        return text.toString();
    }
}
