package io.jenkins.plugins.mlstages.deploy.behaviour;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jenkins.plugins.mlstages.data.PythonOracle;

/**
 * Checks every figure of {@link BehaviourSummary#metrics()} against NumPy/SciPy
 * ({@code engine/src/test/python/behaviour_oracle.py}, written from the documented definitions) on seeded
 * random pairs: scores of an equivalent and of an unrelated candidate, labels, answers that failed (5xx,
 * no answer), and a tiny case. Tolerance {@code 1e-9} relative, {@code 1e-12} absolute near 0.
 */
public class BehaviourComparisonIT {
    private static final double REL = 1e-9;
    private static final double ABS = 1e-12;

    /** One pair as the oracle reads it: score, label, status (0 = no answer), latency per side. */
    private record Row(Double liveScore, String liveLabel, int liveStatus, double liveMs, Double candScore,
            String candLabel, int candStatus, double candMs) {
        PairedAnswer pair(int id) {
            return new PairedAnswer(Integer.toString(id), answer(liveScore, liveLabel, liveStatus, liveMs),
                    answer(candScore, candLabel, candStatus, candMs));
        }

        private static Answer answer(Double score, String label, int status, double ms) {
            if (status == 0) {
                return Answer.failed(null, "connection refused", ms);
            }
            return new Answer(score, label, status, null, ms);
        }

        List<Object> json() {
            List<Object> row = new ArrayList<>();
            row.add(liveScore);
            row.add(liveLabel);
            row.add(liveStatus);
            row.add(liveMs);
            row.add(candScore);
            row.add(candLabel);
            row.add(candStatus);
            row.add(candMs);
            return row;
        }
    }

    private record Case(String name, double threshold, List<Row> rows) {
    }

    @Test
    public void everyMetricMatchesNumpyAndScipy() {
        Random random = new Random(20_261_207L);
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("equivalent scores, 3000 pairs, 1 % errors", 0.5, scores(random, 3000, 0.03, 0.01, false)));
        cases.add(new Case("unrelated scores, 2500 pairs", 0.3, scores(random, 2500, 0, 0.02, true)));
        cases.add(new Case("labels, 1500 pairs", 0.5, labels(random, 1500)));
        cases.add(new Case("tiny, 7 pairs", 0.5, scores(random, 7, 0.1, 0, false)));
        cases.add(new Case("no pair usable on both sides", 0.5, List.of(
                new Row(0.2, null, 200, 3, null, null, 500, 4), new Row(null, null, 0, -1, 0.9, null, 200, 5))));

        List<Object> request = new ArrayList<>();
        for (Case c : cases) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("threshold", c.threshold());
            json.put("pairs", c.rows().stream().map(Row::json).toList());
            request.add(json);
        }
        JsonNode oracle = PythonOracle.run("behaviour_oracle.py", Map.of("cases", request)).get("cases");

        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            BehaviourComparison comparison = new BehaviourComparison(null, c.threshold(), BehaviourComparison.DEFAULT_CAPACITY);
            for (int r = 0; r < c.rows().size(); r++) {
                comparison.add(c.rows().get(r).pair(r));
            }
            Map<String, Double> java = comparison.summary().metrics();
            JsonNode expected = oracle.get(i);
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = expected.fieldNames(); it.hasNext();) {
                names.add(it.next());
            }
            assertEquals(c.name() + ": the same metrics are defined", names.stream().sorted().toList(),
                    java.keySet().stream().sorted().toList());
            for (String name : names) {
                double want = expected.get(name).asDouble();
                double got = java.get(name);
                assertTrue(c.name() + ": " + name + " java " + got + " scipy " + want,
                        Math.abs(got - want) <= Math.max(ABS, REL * Math.abs(want)));
            }
        }
    }

    /** Live scores in (0, 1); the candidate the same plus noise, or unrelated; some answers fail. */
    private static List<Row> scores(Random random, int n, double noise, double errors, boolean unrelated) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double live = 1 / (1 + Math.exp(-2 * random.nextGaussian()));
            double cand = unrelated ? random.nextDouble() : Math.min(1, Math.max(0, live + noise * random.nextGaussian()));
            int liveStatus = random.nextDouble() < errors / 4 ? 503 : 200;
            int candStatus = random.nextDouble() < errors ? (random.nextBoolean() ? 500 : 0) : 200;
            rows.add(new Row(round(live), null, liveStatus, round(5 + 20 * random.nextDouble()),
                    round(cand), null, candStatus, candStatus == 0 ? -1 : round(8 + 30 * random.nextDouble())));
        }
        return rows;
    }

    private static List<Row> labels(Random random, int n) {
        String[] names = {"cat", "dog", "bird", "fish"};
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String live = names[Math.min(3, (int) Math.abs(random.nextGaussian() * 1.5))];
            String cand = random.nextDouble() < 0.85 ? live : names[random.nextInt(4)];
            rows.add(new Row(null, live, 200, round(10 * random.nextDouble()), null, cand,
                    random.nextDouble() < 0.01 ? 502 : 200, round(12 * random.nextDouble())));
        }
        return rows;
    }

    private static double round(double v) {
        return Math.rint(v * 1e6) / 1e6;
    }
}
