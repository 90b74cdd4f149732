package io.jenkins.plugins.mlstages.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.jenkins.plugins.mlstages.lineage.LineageGraph;
import io.jenkins.plugins.mlstages.lineage.RegistryLineage;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.RetryPolicy;
import io.jenkins.plugins.mlstages.report.LineageNode;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mlstages lineage}: a model version's lineage, rebuilt from the registry alone. */
// No standard help options: --version names the model version here, as the CLI contract says.
@Command(name = "lineage",
        description = {"Rebuild a model version's lineage from the registry: datasets, run, logged model, version, aliases, build.",
            "Exit 0 done, 2 bad usage, 3 registry error (including an unknown model or version)."})
final class LineageCommand implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--model", required = true, paramLabel = "NAME", description = "registered model")
    String model;

    @Option(names = "--version", required = true, paramLabel = "V", description = "model version")
    String version;

    @Option(names = "--report", paramLabel = "PATH.json", description = "write the graph as JSON here")
    Path report;

    @Mixin
    RegistryOptions registry;

    @Spec
    CommandSpec spec;

    private final Main main;

    LineageCommand(Main main) {
        this.main = main;
    }

    @Override
    public Integer call() throws Exception {
        LineageGraph graph;
        try (MlflowRegistry client = registry.open(main.environment(), RetryPolicy.DEFAULT)) {
            graph = new RegistryLineage(client).of(model, version);
        }
        if (report != null) {
            ReportWriter.write(report, graph);
        }
        for (LineageNode node : graph.nodes()) {
            spec.commandLine().getOut().println(node.type() + " " + node.id() + (node.name() == null ? "" : " (" + node.name() + ")"));
        }
        for (LineageGraph.Edge edge : graph.edges()) {
            spec.commandLine().getOut().println(edge.from() + " --" + edge.relation() + "--> " + edge.to());
        }
        spec.commandLine().getOut().flush();
        return ExitCode.PASSED;
    }
}
