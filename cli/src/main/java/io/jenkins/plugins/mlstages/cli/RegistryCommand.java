package io.jenkins.plugins.mlstages.cli;

import picocli.CommandLine.Command;

/** {@code mlstages registry ...}: commands about the registry itself. */
@Command(name = "registry", mixinStandardHelpOptions = true, description = "Registry connection commands.",
        synopsisSubcommandLabel = "COMMAND")
final class RegistryCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing command: try 'mlstages registry check'");
    }
}
