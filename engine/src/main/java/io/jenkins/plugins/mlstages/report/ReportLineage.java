package io.jenkins.plugins.mlstages.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.jenkins.plugins.mlstages.report.ReportSummary.GraphEdge;
import io.jenkins.plugins.mlstages.report.ReportSummary.GraphNode;

/**
 * The lineage graph of a build report. Nodes come from every stage's {@code lineage} and from a lineage
 * graph ({@code mlstages lineage --report}), deduplicated by {@code type:id} (the first name wins,
 * attributes are merged). Edges come from the lineage graph; where a link is missing, the chain
 * dataset → run → logged model → model version → alias / deployment is completed where the nodes
 * show it (see {@link #inferred}), so that the reports of one build give a connected graph even
 * without {@code mlstages lineage}, and never a link the reports do not support.
 */
final class ReportLineage {
    private final Map<String, GraphNode> nodes = new LinkedHashMap<>();
    private final Set<GraphEdge> edges = new LinkedHashSet<>();

    static String key(String type, String id) {
        return type + ":" + id;
    }

    /** Adds a node read from a report; nodes without type or id are skipped. */
    void node(JsonNode json) {
        String type = json.path("type").asText("");
        String id = json.path("id").asText("");
        if (type.isEmpty() || id.isEmpty()) {
            return;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        json.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
        String name = json.path("name").isTextual() ? json.path("name").asText() : null;
        node(type, id, name, attributes);
    }

    void node(String type, String id, String name, Map<String, String> attributes) {
        String key = key(type, id);
        GraphNode old = nodes.get(key);
        if (old == null) {
            nodes.put(key, new GraphNode(key, type, id, name, Map.copyOf(attributes)));
            return;
        }
        // Reports come in pipeline order: a later one knows better (the canary moves the champion alias).
        Map<String, String> merged = new LinkedHashMap<>(old.attributes());
        merged.putAll(attributes);
        nodes.put(key, new GraphNode(key, type, id, old.name() != null ? old.name() : name, merged));
    }

    /** Adds an edge read from a lineage graph; edges to unknown nodes are skipped. */
    void edge(JsonNode json) {
        String from = json.path("from").asText("");
        String to = json.path("to").asText("");
        if (nodes.containsKey(from) && nodes.containsKey(to)) {
            edges.add(new GraphEdge(from, to, json.path("relation").asText("")));
        }
    }

    /** Reads the nodes (and, for a lineage graph, the edges) of one stage report. */
    void add(StageInput input) {
        if (StageReportReader.LINEAGE.equals(input.stage())) {
            input.path("nodes").forEach(this::node);
            input.path("edges").forEach(this::edge);
        } else {
            input.path("lineage").forEach(this::node);
        }
    }

    List<GraphNode> nodes() {
        return List.copyOf(nodes.values());
    }

    /**
     * The graph, with the missing links of the chain added, and a node for each model version an alias
     * points at that no report names (e.g. the version the canary's {@code previous} alias keeps), so that
     * no alias is left without its version.
     */
    ReportSummary.Lineage graph() {
        List<GraphNode> all = new ArrayList<>(nodes());
        for (GraphNode alias : nodes()) {
            String version = alias.attributes().get("version");
            int at = alias.id().lastIndexOf('@');
            if (alias.type().equals("alias") && version != null && at > 0) {
                String id = alias.id().substring(0, at) + "/" + version;
                if (!nodes.containsKey(key("model_version", id)) && all.stream().noneMatch(n -> n.key().equals(key("model_version", id)))) {
                    all.add(new GraphNode(key("model_version", id), "model_version", id, alias.id().substring(0, at), Map.of()));
                }
            }
        }
        Map<String, Long> perType = new LinkedHashMap<>();
        all.forEach(n -> perType.merge(n.type(), 1L, Long::sum));
        for (GraphNode to : all) {
            for (GraphNode from : all) {
                String relation = inferred(from, to, perType);
                if (relation != null && !linked(from.key(), to.key())) {
                    edges.add(new GraphEdge(from.key(), to.key(), relation));
                }
            }
        }
        return new ReportSummary.Lineage(all, new ArrayList<>(edges));
    }

    private boolean linked(String from, String to) {
        return edges.stream().anyMatch(e -> e.from().equals(from) && e.to().equals(to));
    }

    /**
     * The relation the chain gives {@code from → to}, or null. A link is inferred only on evidence (a
     * version's {@code source} naming the logged model or run, an alias naming the version, a
     * deployment's {@code model_version}, {@code stable_version} or its id {@code model/version@…}) or when there is nothing else it could be: the only node of
     * each type. Every dataset of a build goes into its run when there is one run.
     */
    private static String inferred(GraphNode from, GraphNode to, Map<String, Long> perType) {
        boolean sole = perType.get(from.type()) == 1 && perType.get(to.type()) == 1;
        switch (from.type() + ">" + to.type()) {
            case "dataset>run":
                return perType.get("run") == 1 ? "input" : null;
            case "run>logged_model":
                return sole ? "logged" : null;
            case "logged_model>model_version":
                return namesSource(to, from) || (sole && !to.attributes().containsKey("source")) ? "registered as" : null;
            case "run>model_version":
                return perType.containsKey("logged_model") ? null
                        : namesSource(to, from) || (sole && !to.attributes().containsKey("source")) ? "registered" : null;
            case "model_version>alias":
                return aliasOf(from, to) ? "has alias" : null;
            case "model_version>deployment":
                String target = to.attributes().get("model_version");
                if (target != null ? target.equals(from.id()) : to.id().startsWith(from.id() + "@") || sole) {
                    return "deployed";
                }
                // the version the canary ran against: the deployment of model/2 with stable_version 1 and model/1
                String stable = to.attributes().get("stable_version");
                return stable != null && from.id().equals(modelName(from) + "/" + stable)
                        && to.id().startsWith(modelName(from) + "/") ? "stable" : null;
            default:
                return null;
        }
    }

    /** Whether a model version's {@code source} (e.g. {@code models:/m-…}, {@code runs:/…/model}) names the node. */
    private static boolean namesSource(GraphNode version, GraphNode source) {
        String uri = version.attributes().get("source");
        return uri != null && uri.contains(source.id());
    }

    /** An alias {@code model@name} belongs to {@code model/version} when the names match and the alias points there. */
    private static boolean aliasOf(GraphNode version, GraphNode alias) {
        String model = modelName(version);
        String pointsTo = alias.attributes().get("version");
        return alias.id().startsWith(model + "@") && (pointsTo == null || version.id().equals(model + "/" + pointsTo));
    }

    private static String modelName(GraphNode version) {
        int slash = version.id().lastIndexOf('/');
        return slash < 0 ? version.id() : version.id().substring(0, slash);
    }
}
