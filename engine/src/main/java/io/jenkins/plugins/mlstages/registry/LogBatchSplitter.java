package io.jenkins.plugins.mlstages.registry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Splits one large log-batch into requests within the server's limits: at most 1000 entities, 100
 * parameters and 100 tags per request, and a body well under the 1 MB cap. Parameters go first so a
 * rejected parameter (re-logged with another value) stops the batch before any metric is written.
 */
final class LogBatchSplitter {
    static final int MAX_ENTITIES = 1000;
    static final int MAX_PARAMS = 100;
    static final int MAX_TAGS = 100;
    /** Below the server's 1,000,000 bytes, leaving room for the envelope. */
    static final int MAX_BODY_BYTES = 900_000;

    private final ObjectMapper mapper;

    LogBatchSplitter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    List<ObjectNode> split(String runId, List<Metric> metrics, Map<String, String> params, Map<String, String> tags) {
        List<ObjectNode> requests = new ArrayList<>();
        Chunk chunk = new Chunk(runId);
        for (Map.Entry<String, String> param : params.entrySet()) {
            ObjectNode node = keyValue(param.getKey(), param.getValue());
            chunk = ensureRoom(requests, chunk, chunk.params, MAX_PARAMS, node);
            chunk.add(chunk.params, node);
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            ObjectNode node = keyValue(tag.getKey(), tag.getValue());
            chunk = ensureRoom(requests, chunk, chunk.tags, MAX_TAGS, node);
            chunk.add(chunk.tags, node);
        }
        for (Metric metric : metrics) {
            ObjectNode node = metric(metric);
            chunk = ensureRoom(requests, chunk, chunk.metrics, MAX_ENTITIES, node);
            chunk.add(chunk.metrics, node);
        }
        if (chunk.entities > 0) {
            requests.add(chunk.body);
        }
        return requests;
    }

    private Chunk ensureRoom(List<ObjectNode> requests, Chunk chunk, ArrayNode list, int listLimit, ObjectNode node) {
        int size = size(node);
        if (list.size() >= listLimit || chunk.entities >= MAX_ENTITIES || chunk.bytes + size > MAX_BODY_BYTES) {
            requests.add(chunk.body);
            return new Chunk(chunk.runId);
        }
        return chunk;
    }

    private int size(ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8).length + 1;
    }

    private ObjectNode keyValue(String key, String value) {
        return mapper.createObjectNode().put("key", key).put("value", value);
    }

    private ObjectNode metric(Metric metric) {
        ObjectNode node = mapper.createObjectNode().put("key", metric.key());
        double value = metric.value();
        // Plain JSON has no NaN or infinity; MLflow's proto-JSON parser takes these strings.
        if (Double.isNaN(value)) {
            node.put("value", "NaN");
        } else if (Double.isInfinite(value)) {
            node.put("value", value > 0 ? "Infinity" : "-Infinity");
        } else {
            node.put("value", value);
        }
        node.put("timestamp", metric.timestamp()).put("step", metric.step());
        if (metric.modelId() != null) {
            node.put("model_id", metric.modelId());
        }
        return node;
    }

    /** One request being filled; its arrays are the body's own. */
    private final class Chunk {
        final String runId;
        final ObjectNode body;
        final ArrayNode metrics;
        final ArrayNode params;
        final ArrayNode tags;
        int entities;
        int bytes;

        Chunk(String runId) {
            this.runId = runId;
            this.body = mapper.createObjectNode().put("run_id", runId);
            this.metrics = body.putArray("metrics");
            this.params = body.putArray("params");
            this.tags = body.putArray("tags");
            this.bytes = size(body);
        }

        void add(ArrayNode list, ObjectNode node) {
            list.add(node);
            entities++;
            bytes += size(node);
        }
    }
}
