package io.jenkins.plugins.mlstages.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import io.jenkins.plugins.mlstages.deploy.Durations;
import io.jenkins.plugins.mlstages.report.AtomicFile;
import io.jenkins.plugins.mlstages.report.Printable;
import io.jenkins.plugins.mlstages.report.UnusableFileException;

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

    /** Refuses, before any work, an output that can never be written (a directory, a path under a file). */
    static void checkOutputs(Path... outputs) throws UnusableFileException {
        for (Path output : outputs) {
            if (output != null) {
                AtomicFile.checkTarget(output);
            }
        }
    }

    /** {@code parser} applied to an option's value; its complaint is prefixed with the option's name. */
    static <T> T option(String name, Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    /** A duration option ({@code 30s}, {@code 5m}); its complaint is prefixed with the option's name. */
    static Duration duration(String name, String text) {
        return option(name, () -> Durations.parse(text));
    }

    /** One line on stdout, flushed: the command's results (user input in them escaped, see {@link Printable}). */
    void out(String line) {
        spec.commandLine().getOut().println(Printable.escape(line));
        spec.commandLine().getOut().flush();
    }
}
