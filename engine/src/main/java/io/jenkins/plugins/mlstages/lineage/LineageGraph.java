package io.jenkins.plugins.mlstages.lineage;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jenkins.plugins.mlstages.report.LineageNode;

/**
 * A small lineage graph: dataset → run → logged model → model version → alias / deployment. Nodes are
 * keyed by type and id, so merging the lineage of several stage reports joins what they share.
 */
public record LineageGraph(List<LineageNode> nodes, List<Edge> edges) implements Serializable {
    public LineageGraph {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    /** {@code from} led to {@code to}; ids are {@code type:id}. */
    public record Edge(String from, String to, String relation) implements Serializable {
    }

    public static String key(LineageNode node) {
        return node.type() + ":" + node.id();
    }

    /** Builds a graph; adding a node twice keeps the first and merges its attributes. */
    public static final class Builder {
        private final Map<String, LineageNode> nodes = new LinkedHashMap<>();
        private final List<Edge> edges = new ArrayList<>();

        public Builder node(LineageNode node) {
            nodes.merge(key(node), node, (old, added) -> {
                Map<String, String> attributes = new LinkedHashMap<>(added.attributes());
                attributes.putAll(old.attributes());
                return new LineageNode(old.type(), old.id(), old.name() != null ? old.name() : added.name(), attributes);
            });
            return this;
        }

        public Builder edge(LineageNode from, LineageNode to, String relation) {
            node(from);
            node(to);
            Edge edge = new Edge(key(from), key(to), relation);
            if (!edges.contains(edge)) {
                edges.add(edge);
            }
            return this;
        }

        public LineageGraph build() {
            return new LineageGraph(new ArrayList<>(nodes.values()), edges);
        }
    }
}
