package io.jenkins.plugins.mlstages.cli;

import java.nio.file.Path;

import io.jenkins.plugins.mlstages.lineage.LineageGraph;
import io.jenkins.plugins.mlstages.lineage.RegistryLineage;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.RetryPolicy;
import io.jenkins.plugins.mlstages.report.LineageNode;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlstages lineage}: a model version's lineage, rebuilt from the registry alone. */
// No standard help options: --version names the model version here, as the CLI contract says.
@Command(name = "lineage",
        description = {"Rebuild a model version's lineage from the registry: datasets, run, logged model, version, aliases, build.",
            "Exit 0 done, 2 bad usage, 3 registry error (including an unknown model or version)."})
final class LineageCommand extends StageCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--model", required = true, paramLabel = "NAME", description = "registered model")
    String model;

    @Option(names = "--version", required = true, paramLabel = "V", description = "model version")
    String version;

    @Option(names = "--report", paramLabel = "PATH.json", description = "write the graph as JSON here")
    Path report;

    LineageCommand(Main main) {
        super(main);
    }

    @Override
    public Integer call() throws Exception {
        checkOutputs(report);
        LineageGraph graph;
        try (MlflowRegistry client = registry.open(main, RetryPolicy.DEFAULT)) {
            graph = new RegistryLineage(client).of(model, version);
        }
        if (report != null) {
            ReportWriter.write(report, graph);
        }
        for (LineageNode node : graph.nodes()) {
            out(node.type() + " " + node.id() + (node.name() == null ? "" : " (" + node.name() + ")"));
        }
        for (LineageGraph.Edge edge : graph.edges()) {
            out(edge.from() + " --" + edge.relation() + "--> " + edge.to());
        }
        return ExitCode.PASSED;
    }
}
