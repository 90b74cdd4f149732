package io.jenkins.plugins.mlstages.cli;

import java.nio.file.Path;

import picocli.CommandLine.ArgGroup;
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
