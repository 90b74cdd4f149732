package io.jenkins.plugins.mlstages.gate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Test;

public class GateContextTest {

    @Test
    public void copiesItsInputs() {
        Map<String, Double> metrics = new HashMap<>(Map.of("f1_score", 0.8));
        Map<String, Double> champion = new HashMap<>(Map.of("f1_score", 0.7));
        GateContext c = GateContext.builder().metrics(metrics).champion(champion).build();
        metrics.put("f1_score", 0.1);
        champion.put("f1_score", 0.1);
        assertEquals(0.8, c.metrics().get("f1_score"), 0);
        assertEquals(0.7, c.champion().get().get("f1_score"), 0);
        try {
            c.metrics().put("x", 1.0);
            fail();
        } catch (UnsupportedOperationException expected) {
            // immutable
        }
    }

    @Test
    public void keepsSliceOrder() {
        GateContext c = GateContext.builder().slice("b=2", Map.of()).slice("a=1", Map.of()).slice("c=3", Map.of()).build();
        assertEquals(List.of("b=2", "a=1", "c=3"), List.copyOf(c.slices().keySet()));
    }

    @Test
    public void noChampionByDefault() {
        assertFalse(GateContext.builder().build().champion().isPresent());
        assertTrue(GateContext.builder().champion(Map.of()).build().champion().isPresent());
    }

    @Test
    public void knownMetricsAreGivenAndPresentNames() {
        GateContext c = GateContext.builder().knownMetrics(Set.of("roc_auc", "f1_score")).metric("custom", 1).build();
        assertEquals(List.of("custom", "f1_score", "roc_auc"), List.copyOf(c.knownMetrics()));
    }

    @Test
    public void refusesNullValues() {
        Map<String, Double> metrics = new HashMap<>();
        metrics.put("f1_score", null);
        try {
            GateContext.builder().metrics(metrics).build();
            fail();
        } catch (NullPointerException e) {
            assertEquals("value of 'f1_score'", e.getMessage());
        }
    }

    @Test
    public void interval() {
        assertEquals(0.1, new Interval(0.1, 0.2).lower(), 0);
        new Interval(Double.NaN, 0.2);
        new Interval(0.2, 0.2);
        try {
            new Interval(0.3, 0.2);
            fail();
        } catch (IllegalArgumentException e) {
            assertEquals("interval lower bound 0.3 is above its upper bound 0.2", e.getMessage());
        }
    }

    @Test
    public void numberFormats() {
        assertEquals("0.8421", Numbers.format(0.84214));
        assertEquals("0.0000", Numbers.format(0));
        assertEquals("0.0010", Numbers.format(0.001));
        assertEquals("9.9900e-04", Numbers.format(0.000999));
        assertEquals("9999999.0000", Numbers.format(9999999));
        assertEquals("1.0000e+07", Numbers.format(1e7));
        assertEquals("-1.2500e-06", Numbers.format(-1.25e-6));
        assertEquals("NaN", Numbers.format(Double.NaN));
        assertEquals("inf", Numbers.format(Double.POSITIVE_INFINITY));
        assertEquals("-inf", Numbers.format(Double.NEGATIVE_INFINITY));
        assertEquals("+0.0121", Numbers.signed(0.0121));
        assertEquals("-0.0050", Numbers.signed(-0.005));
        assertEquals("+0.0000", Numbers.signed(-0.0));
        assertEquals("-1.0000e-12", Numbers.signed(-1e-12));
        assertEquals("NaN", Numbers.signed(Double.NaN));
        assertEquals("+inf", Numbers.signed(Double.POSITIVE_INFINITY));
    }
}
