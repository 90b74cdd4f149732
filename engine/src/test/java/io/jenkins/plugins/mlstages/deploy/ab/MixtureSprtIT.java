package io.jenkins.plugins.mlstages.deploy.ab;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jenkins.plugins.mlstages.data.PythonOracle;

/**
 * Checks {@link MixtureSprt} against NumPy/SciPy ({@code engine/src/test/python/ab_oracle.py}): the
 * fixed-horizon z statistic, the mixture likelihood ratio by numerical integration over the mixing
 * distribution (not the closed form), the always-valid p-value and the interval by root finding, over
 * sequences of looks at seeded simulated traffic with and without a difference, and unequal arms.
 */
public class MixtureSprtIT {
    @Test
    public void everyLookMatchesScipy() {
        double alpha = 0.05;
        double tau = 0.05;
        Random random = new Random(20_261_208L);
        List<List<long[]>> cases = new ArrayList<>();
        cases.add(sequence(random, 0.10, 0.10, 0.5, 300, 12));
        cases.add(sequence(random, 0.10, 0.14, 0.5, 300, 12));
        cases.add(sequence(random, 0.30, 0.27, 0.2, 800, 10));
        cases.add(sequence(random, 0.02, 0.03, 0.5, 2000, 8));
        cases.add(List.of(new long[] {1000, 100, 1000, 150}, new long[] {2000, 200, 2000, 205}));

        List<Object> request = new ArrayList<>();
        for (List<long[]> c : cases) {
            request.add(c);
        }
        JsonNode oracle = PythonOracle.run("ab_oracle.py", Map.of("alpha", alpha, "tau", tau, "cases", request)).get("cases");
        MixtureSprt test = new MixtureSprt(alpha, tau);
        int compared = 0;
        for (int i = 0; i < cases.size(); i++) {
            MixtureSprt.Look previous = null;
            for (int j = 0; j < cases.get(i).size(); j++) {
                long[] c = cases.get(i).get(j);
                MixtureSprt.Look look = test.look(new ArmCounts(c[0], c[1], c[2], c[3]), previous);
                JsonNode want = oracle.get(i).get(j);
                String where = "case " + i + " look " + j;
                close(where + " z", want.get("z").asDouble(), look.zStatistic());
                close(where + " ln LR", want.get("log_lr").asDouble(), look.logLikelihoodRatio());
                close(where + " p", want.get("p").asDouble(), look.pValue());
                close(where + " low", want.get("low").asDouble(), look.ciLow());
                close(where + " high", want.get("high").asDouble(), look.ciHigh());
                previous = look;
                compared++;
            }
        }
        assertEquals(44, compared);
    }

    private static void close(String what, double want, double got) {
        assertTrue(what + ": java " + got + " scipy " + want, Math.abs(want - got) <= 1e-8 * Math.max(1, Math.abs(want)));
    }

    /** Running totals at {@code looks} looks of {@code perLook} requests, the candidate getting {@code weight}. */
    private static List<long[]> sequence(Random random, double control, double candidate, double weight, int perLook, int looks) {
        List<long[]> out = new ArrayList<>();
        long[] c = new long[4];
        for (int k = 0; k < looks; k++) {
            for (int i = 0; i < perLook; i++) {
                boolean b = random.nextDouble() < weight;
                c[b ? 2 : 0]++;
                if (random.nextDouble() < (b ? candidate : control)) {
                    c[b ? 3 : 1]++;
                }
            }
            if (c[0] > 0 && c[2] > 0) {
                out.add(c.clone());
            }
        }
        return out;
    }
}
