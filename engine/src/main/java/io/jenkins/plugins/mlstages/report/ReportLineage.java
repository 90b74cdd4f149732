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
 * dataset → run → logged model → model version → alias / deployment is completed from the node types,
 * so that the reports of one build give a connected graph even without {@code mlstages lineage}.
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
        Map<String, String> merged = new LinkedHashMap<>(attributes);
        merged.putAll(old.attributes());
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

    /** The graph, with the missing links of the chain added. */
    ReportSummary.Lineage graph() {
        List<GraphNode> all = nodes();
        boolean hasLoggedModel = all.stream().anyMatch(n -> n.type().equals("logged_model"));
        for (GraphNode to : all) {
            for (GraphNode from : all) {
                String relation = inferred(from, to, hasLoggedModel);
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

    /** The relation the chain gives {@code from → to}, or null when it gives none. */
    private static String inferred(GraphNode from, GraphNode to, boolean hasLoggedModel) {
        switch (from.type() + ">" + to.type()) {
            case "dataset>run":
                return "input";
            case "run>logged_model":
                return "logged";
            case "logged_model>model_version":
                return "registered as";
            case "run>model_version":
                return hasLoggedModel ? null : "registered";
            case "model_version>alias":
                return aliasOf(from, to) ? "has alias" : null;
            case "model_version>deployment":
                return deploymentOf(from, to) ? "deployed" : null;
            default:
                return null;
        }
    }

    /** An alias {@code model@name} belongs to {@code model/version} when the names match and the alias points there. */
    private static boolean aliasOf(GraphNode version, GraphNode alias) {
        String model = modelName(version);
        String pointsTo = alias.attributes().get("version");
        return alias.id().startsWith(model + "@") && (pointsTo == null || version.id().equals(model + "/" + pointsTo));
    }

    private static boolean deploymentOf(GraphNode version, GraphNode deployment) {
        String target = deployment.attributes().get("model_version");
        return target == null || target.equals(version.id());
    }

    private static String modelName(GraphNode version) {
        int slash = version.id().lastIndexOf('/');
        return slash < 0 ? version.id() : version.id().substring(0, slash);
    }
}
