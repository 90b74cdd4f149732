package io.jenkins.plugins.mlstages.cli;

import java.util.concurrent.Callable;

import io.jenkins.plugins.mlstages.report.Printable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command that talks to the registry shares: its options, the picocli spec, the process, and stdout. */
abstract class StageCommand implements Callable<Integer> {
    @Mixin
    RegistryOptions registry;

    @Spec
    CommandSpec spec;

    final Main main;

    StageCommand(Main main) {
        this.main = main;
    }

    /** One line on stdout, flushed: the command's results (user input in them escaped, see {@link Printable}). */
    void out(String line) {
        spec.commandLine().getOut().println(Printable.escape(line));
        spec.commandLine().getOut().flush();
    }
}
