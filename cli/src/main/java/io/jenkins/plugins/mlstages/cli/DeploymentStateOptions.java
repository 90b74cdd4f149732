package io.jenkins.plugins.mlstages.cli;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --state} and {@code --resume | --abort}, shared by the deployment commands (canary, shadow,
 * blue-green, ...): each keeps its run in a state file written before every action. The help of
 * {@code --resume} and {@code --abort} names the strategy: the command's resource bundle gives it under the keys
 * {@code resume} and {@code abort} (e.g. {@code canary.properties}); the texts here are the fallback.
 */
final class DeploymentStateOptions {
    @Option(names = "--state", required = true, paramLabel = "PATH", description = "the state file (required): written before every action")
    Path state;

    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    static final class Mode {
        @Option(names = "--resume", descriptionKey = "resume", description = "continue the run in --state where it stopped")
        boolean resume;

        @Option(names = "--abort", descriptionKey = "abort", description = "stop the run in --state and undo it (stop its driver first)")
        boolean abort;
    }

    Path state() {
        return state;
    }

    boolean resume() {
        return mode != null && mode.resume;
    }

    boolean abort() {
        return mode != null && mode.abort;
    }

    /** {@code --resume} or {@code --abort}: the plan comes from the state file. */
    boolean continuing() {
        return resume() || abort();
    }

    /**
     * A plan option given with {@code --resume} or {@code --abort} must say what the state file says: the plan
     * is not changed half-way (a test's alpha or duration, once it has looked at data, is fixed), and an option
     * silently ignored would mislead. The same value, as when the whole command is run again with
     * {@code --resume}, is fine.
     *
     * @param given the option's value as parsed, compared with {@code saved} by {@code equals}
     */
    void checkSameOption(CommandSpec spec, String option, Supplier<Object> given, Object saved) {
        if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
            Object value = given.get();
            if (!Objects.equals(value, saved)) {
                throw new IllegalArgumentException(option + " " + value + " is not what " + state + " was started with (" + saved
                        + "): --resume and --abort keep the saved plan; leave " + option + " out or give the same");
            }
        }
    }

    /**
     * {@code --resume} and {@code --abort} take the plan from the state file; a {@code --model} or {@code --version}
     * given must be the same.
     *
     * @param run what the state file holds, for the message: "canary", "shadow run"
     */
    void checkSameRun(String run, String savedModel, String savedVersion, String model, String version) {
        if (model != null && !model.equals(savedModel) || version != null && !version.equals(savedVersion)) {
            throw new IllegalArgumentException(state + " holds the " + run + " of " + savedModel + " version " + savedVersion
                    + ", not of " + (model == null ? savedModel : model) + " version " + (version == null ? savedVersion : version));
        }
    }
}
