package io.jenkins.plugins.mlstages.deploy.ab;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class MixtureSprtTest {
    private final MixtureSprt test = new MixtureSprt(0.05, 0.05);

    @Test
    public void theLikelihoodRatioIsTheNormalMixtureOne() {
        // control 100/1000, candidate 150/1000, worked by hand from the documented formula
        MixtureSprt.Look look = test.look(new ArmCounts(1000, 100, 1000, 150), null);
        double v = 0.1 * 0.9 / 1000 + 0.15 * 0.85 / 1000;
        double tau2 = 0.0025;
        double lambda = Math.sqrt(v / (v + tau2)) * Math.exp(tau2 * 0.05 * 0.05 / (2 * v * (v + tau2)));
        assertEquals(0.05, look.difference(), 1e-12);
        assertEquals(Math.log(lambda), look.logLikelihoodRatio(), 1e-9);
        assertEquals(Math.min(1, 1 / lambda), look.pValue(), 1e-12);
        assertEquals(0.05 / Math.sqrt(v), look.zStatistic(), 1e-9);
        double half = Math.sqrt(v * (v + tau2) / tau2 * (2 * Math.log(20) + Math.log((v + tau2) / v)));
        assertEquals(0.05 - half, look.ciLow(), 1e-12);
        assertEquals(0.05 + half, look.ciHigh(), 1e-12);
    }

    @Test
    public void zeroLeavesTheIntervalExactlyWhenThePValueReachesAlpha() {
        for (int x = 100; x <= 200; x += 2) {
            MixtureSprt.Look look = test.look(new ArmCounts(1500, 150, 1500, x), null);
            boolean excludesZero = look.ciLow() > 0 || look.ciHigh() < 0;
            assertEquals("candidate " + x + "/1500: p " + look.pValue() + " interval [" + look.ciLow() + ", " + look.ciHigh() + "]",
                    test.rejects(look), excludesZero);
        }
    }

    @Test
    public void thePValueNeverRisesAndTheIntervalOnlyNarrows() {
        MixtureSprt.Look first = test.look(new ArmCounts(1000, 100, 1000, 140), null);
        MixtureSprt.Look second = test.look(new ArmCounts(2000, 200, 2000, 205), first); // the difference shrinks
        assertTrue(second.pValue() <= first.pValue());
        assertEquals(first.pValue(), second.pValue(), 0); // this look alone is weaker: the running minimum stays
        assertTrue(second.ciLow() >= first.ciLow());
        assertTrue(second.ciHigh() <= first.ciHigh());
    }

    @Test
    public void noVarianceCarriesNoInformation() {
        MixtureSprt.Look look = test.look(new ArmCounts(500, 0, 500, 0), null);
        assertEquals(1.0, look.pValue(), 0);
        assertEquals(-1.0, look.ciLow(), 0);
        assertEquals(1.0, look.ciHigh(), 0);
        assertFalse(test.rejects(look));
    }

    @Test
    public void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MixtureSprt(0, 0.05));
        assertThrows(IllegalArgumentException.class, () -> new MixtureSprt(1, 0.05));
        assertThrows(IllegalArgumentException.class, () -> new MixtureSprt(0.05, 0));
        assertThrows(IllegalArgumentException.class, () -> test.look(new ArmCounts(0, 0, 10, 1), null));
    }
}
