package io.jenkins.plugins.mlstages.registry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Tests {@link LogBatchSplitter}: per-request limits, order, body size and non-finite values. */
public class LogBatchSplitterTest {
    private final LogBatchSplitter splitter = new LogBatchSplitter(MlflowRegistry.newMapper());

    private static List<Metric> metrics(int n) {
        List<Metric> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new Metric("m" + i, i, 1000L + i, i));
        }
        return list;
    }

    private static Map<String, String> entries(String prefix, int n, String value) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            map.put(prefix + i, value);
        }
        return map;
    }

    private static int entities(JsonNode request) {
        return request.get("metrics").size() + request.get("params").size() + request.get("tags").size();
    }

    @Test
    public void aMetricOnALoggedModelCarriesItsModelIdAndARunMetricNone() {
        List<Metric> metrics = List.of(new Metric("roc_auc", 0.9, 1L, 0).onModel("m-1"), new Metric("f1_score", 0.8, 1L, 0));
        JsonNode sent = splitter.split("run1", metrics, Map.of(), Map.of()).get(0).get("metrics");
        assertEquals("m-1", sent.get(0).get("model_id").asText());
        assertTrue(sent.get(1).toString(), sent.get(1).get("model_id") == null);
    }

    @Test
    public void metricsAreSplitIntoThousands() {
        List<ObjectNode> requests = splitter.split("run1", metrics(2500), Map.of(), Map.of());
        assertEquals(3, requests.size());
        int[] expected = {1000, 1000, 500};
        int next = 0;
        for (int i = 0; i < 3; i++) {
            ObjectNode request = requests.get(i);
            assertEquals("run1", request.get("run_id").asText());
            assertEquals(expected[i], request.get("metrics").size());
            assertEquals(0, request.get("params").size());
            for (JsonNode metric : request.get("metrics")) {
                assertEquals("m" + next, metric.get("key").asText());
                assertEquals(next, metric.get("value").asDouble(), 0.0);
                assertEquals(1000L + next, metric.get("timestamp").asLong());
                assertEquals(next, metric.get("step").asLong());
                next++;
            }
        }
    }

    @Test
    public void mixedBatchKeepsEveryLimitAndEveryEntityOnceWithParamsFirst() {
        Map<String, String> params = entries("p", 150, "pv");
        Map<String, String> tags = entries("t", 150, "tv");
        List<ObjectNode> requests = splitter.split("run1", metrics(10), params, tags);
        assertTrue(requests.size() >= 2);
        List<String> seen = new ArrayList<>();
        boolean metricSeen = false;
        for (ObjectNode request : requests) {
            assertEquals("run1", request.get("run_id").asText());
            assertTrue(request.get("params").size() <= 100);
            assertTrue(request.get("tags").size() <= 100);
            assertTrue(entities(request) <= 1000);
            assertTrue(entities(request) > 0);
            if (request.get("params").size() > 0) {
                assertTrue("a parameter was sent after a metric", !metricSeen);
            }
            for (JsonNode p : request.get("params")) {
                seen.add("param:" + p.get("key").asText() + "=" + p.get("value").asText());
            }
            for (JsonNode t : request.get("tags")) {
                seen.add("tag:" + t.get("key").asText() + "=" + t.get("value").asText());
            }
            for (JsonNode m : request.get("metrics")) {
                seen.add("metric:" + m.get("key").asText());
                metricSeen = true;
            }
        }
        assertEquals(310, seen.size());
        Set<String> expected = new HashSet<>();
        params.keySet().forEach(k -> expected.add("param:" + k + "=pv"));
        tags.keySet().forEach(k -> expected.add("tag:" + k + "=tv"));
        metrics(10).forEach(m -> expected.add("metric:" + m.key()));
        assertEquals(expected, new HashSet<>(seen));
    }

    @Test
    public void largeParamValuesKeepEachBodyUnderTheByteCap() {
        List<ObjectNode> requests = splitter.split("run1", List.of(), entries("p", 300, "x".repeat(6000)), Map.of());
        int total = 0;
        for (ObjectNode request : requests) {
            int bytes = request.toString().getBytes(StandardCharsets.UTF_8).length;
            assertTrue("body of " + bytes + " bytes", bytes <= 900_000);
            assertTrue(request.get("params").size() <= 100);
            total += request.get("params").size();
        }
        assertEquals(300, total);
        assertEquals(3, requests.size());
    }

    @Test
    public void multiByteValuesAreCountedInBytes() {
        // 3 bytes per character in UTF-8: 100 params of 6000 such characters are 1.8 MB.
        List<ObjectNode> requests = splitter.split("run1", List.of(), entries("p", 100, "€".repeat(6000)), Map.of());
        int total = 0;
        for (ObjectNode request : requests) {
            assertTrue(request.toString().getBytes(StandardCharsets.UTF_8).length <= 900_000);
            total += request.get("params").size();
        }
        assertEquals(100, total);
        assertTrue(requests.size() >= 2);
    }

    @Test
    public void nonFiniteValuesAreWrittenAsStrings() {
        List<Metric> metrics = List.of(new Metric("nan", Double.NaN, 1, 0),
                new Metric("pos", Double.POSITIVE_INFINITY, 1, 0), new Metric("neg", Double.NEGATIVE_INFINITY, 1, 0),
                new Metric("fin", 1.5, 1, 0));
        JsonNode out = splitter.split("r", metrics, Map.of(), Map.of()).get(0).get("metrics");
        assertTrue(out.get(0).get("value").isTextual());
        assertEquals("NaN", out.get(0).get("value").asText());
        assertEquals("Infinity", out.get(1).get("value").asText());
        assertEquals("-Infinity", out.get(2).get("value").asText());
        assertTrue(out.get(3).get("value").isNumber());
        assertEquals(1.5, out.get(3).get("value").asDouble(), 0.0);
        assertTrue(out.toString().contains("\"value\":\"-Infinity\""));
    }

    @Test
    public void emptyInputMakesNoRequest() {
        assertEquals(0, splitter.split("r", List.of(), Map.of(), Map.of()).size());
    }
}
