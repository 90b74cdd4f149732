package io.jenkins.plugins.mlstages.canary;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.model.listeners.RunListener;
import io.jenkins.plugins.mlstages.deploy.CanaryPhase;
import io.jenkins.plugins.mlstages.deploy.CanaryResult;
import io.jenkins.plugins.mlstages.deploy.CanaryRun;
import io.jenkins.plugins.mlstages.deploy.CanaryState;
import io.jenkins.plugins.mlstages.deploy.CanaryStateStore;
import io.jenkins.plugins.mlstages.deploy.RegistryAliases;
import io.jenkins.plugins.mlstages.deploy.ShadowResult;
import io.jenkins.plugins.mlstages.deploy.ShadowRun;
import io.jenkins.plugins.mlstages.deploy.ShadowState;
import io.jenkins.plugins.mlstages.deploy.ShadowStateStore;
import io.jenkins.plugins.mlstages.deploy.Sleeper;
import io.jenkins.plugins.mlstages.deploy.ab.AbPhase;
import io.jenkins.plugins.mlstages.deploy.ab.AbResult;
import io.jenkins.plugins.mlstages.deploy.ab.AbState;
import io.jenkins.plugins.mlstages.deploy.ab.AbStateStore;
import io.jenkins.plugins.mlstages.deploy.ab.AbTestRun;
import io.jenkins.plugins.mlstages.deploy.ab.ArmSource;
import io.jenkins.plugins.mlstages.report.StageLog;
import io.jenkins.plugins.mlstages.support.BuildLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Finishes any canary or shadow run whose build ended while it was under way and no step of this controller
 * is driving it (the build was terminated or killed, or its program could not be loaded): a canary still
 * progressing is rolled back, a promotion or rollback already decided is completed; a shadow run's mirror is
 * turned off (the run ends ABORTED, or keeps the verdict it had reached) and its capture is left as it is.
 * Runs in the background; the outcome goes to the ML report of the build and to the system log.
 */
@Extension
public final class CanaryCleanup extends RunListener<Run<?, ?>> {
    private static final Logger LOGGER = Logger.getLogger(CanaryCleanup.class.getName());

    @Override
    public void onCompleted(Run<?, ?> run, @NonNull TaskListener listener) {
        CanaryCleanupAction action = run.getAction(CanaryCleanupAction.class);
        if (action == null) {
            return;
        }
        for (Map.Entry<String, CanarySetup> canary : action.canaries().entrySet()) {
            String id = canary.getKey();
            Path file = Canaries.stateFile(run, id);
            if (Canaries.isDriven(id) || !Files.exists(file)) {
                continue;
            }
            CanaryState state;
            try {
                state = new CanaryStateStore(file).load();
            } catch (IOException | IllegalArgumentException e) {
                new BuildLog(listener.getLogger()).line("canaryDeploy/blueGreenDeploy: cannot read the state of deployment " + id + ": "
                        + e.getMessage());
                continue;
            }
            if (state.isDone()) {
                continue;
            }
            // a blue/green deployment still in its smoke checks has moved nothing: it is rolled back (blue stays) as well
            boolean rollBack = state.phase() == CanaryPhase.PROGRESSING || state.phase() == CanaryPhase.SMOKE;
            new BuildLog(listener.getLogger()).line(Canaries.stepName(state.plan()) + ": the build ended while the "
                    + (state.plan().isBlueGreen() ? "blue/green deployment" : "canary") + " of "
                    + state.plan().model() + " version " + state.plan().version() + " was "
                    + state.phase().name().toLowerCase(Locale.ROOT) + " at " + state.router().weight() + " %: "
                    + (rollBack ? "rolling it back" : "finishing it") + " in the background");
            Canaries.execute(() -> finishAbandoned(run, id, canary.getValue(), rollBack));
        }
        for (Map.Entry<String, String> shadow : action.shadows().entrySet()) {
            String id = shadow.getKey();
            Path file = Canaries.shadowStateFile(run, id);
            if (Canaries.isDriven(Canaries.shadowSlot(id)) || !Files.exists(file)) {
                continue;
            }
            ShadowState state;
            try {
                state = new ShadowStateStore(file).load();
            } catch (IOException | IllegalArgumentException e) {
                new BuildLog(listener.getLogger()).line("shadowDeploy: cannot read the state of shadow run " + id + ": "
                        + e.getMessage());
                continue;
            }
            if (state.isDone()) {
                continue;
            }
            new BuildLog(listener.getLogger()).line("shadowDeploy: the build ended while the shadow run of "
                    + state.plan().model() + " version " + state.plan().version() + " was "
                    + state.phase().name().toLowerCase(Locale.ROOT) + ": turning its mirror off in the background");
            Canaries.execute(() -> finishAbandonedShadow(run, id, shadow.getValue()));
        }
        cleanAbTests(run, listener, action);
    }

    private static void cleanAbTests(Run<?, ?> run, TaskListener listener, CanaryCleanupAction action) {
        for (Map.Entry<String, CanarySetup> test : action.abTests().entrySet()) {
            String id = test.getKey();
            Path file = Canaries.abStateFile(run, id);
            if (Canaries.isDriven(Canaries.abSlot(id)) || !Files.exists(file)) {
                continue;
            }
            AbState state;
            try {
                state = new AbStateStore(file).load();
            } catch (IOException | IllegalArgumentException e) {
                new BuildLog(listener.getLogger()).line("abTest: cannot read the state of A/B test " + id + ": " + e.getMessage());
                continue;
            }
            if (state.isDone()) {
                continue;
            }
            // a test still splitting is rolled back; a promotion or rollback already decided is completed
            boolean rollBack = state.phase() == AbPhase.STARTING || state.phase() == AbPhase.RUNNING;
            new BuildLog(listener.getLogger()).line("abTest: the build ended while the A/B test of " + state.plan().model()
                    + " version " + state.plan().version() + " was " + state.phase().name().toLowerCase(Locale.ROOT) + " at "
                    + state.weight() + " %: " + (rollBack ? "rolling it back" : "finishing it") + " in the background");
            Canaries.execute(() -> finishAbandonedAbTest(run, id, test.getValue(), rollBack));
        }
    }

    private static void finishAbandonedAbTest(Run<?, ?> run, String id, CanarySetup setup, boolean rollBack) {
        if (!Canaries.tryDriving(Canaries.abSlot(id))) {
            return;
        }
        try {
            AbStateStore store = new AbStateStore(Canaries.abStateFile(run, id));
            // finishing counts nothing: the source is not read again
            AbTestRun test = new AbTestRun(store, CanaryRouters.get().require(setup.router()).open(run, Sleeper.SYSTEM,
                    setup.canaryStorageUri()), ArmSource.NONE, systemLog(run));
            AbResult result = rollBack ? test.abort("the build ended while the A/B test was under way") : test.resume();
            Canaries.recordAbTest(run, id, result);
        } catch (Exception e) {
            LOGGER.log(Level.WARNING, run.getExternalizableId() + ": A/B test " + id
                    + " could not be finished; its state file says what is left to do", e);
        } finally {
            Canaries.stopDriving(Canaries.abSlot(id));
        }
    }

    private static StageLog systemLog(Run<?, ?> run) {
        return new StageLog() {
            @Override
            public void info(String message) {
                LOGGER.info(run.getExternalizableId() + ": " + BuildLog.oneLine(message));
            }

            @Override
            public void progress(String task, double share, String detail) {
                // nobody watches
            }
        };
    }

    /** Mirror off through the engine's abort: a verdict already reached stays, the capture is not touched. */
    private static void finishAbandonedShadow(Run<?, ?> run, String id, String router) {
        if (!Canaries.tryDriving(Canaries.shadowSlot(id))) {
            return;
        }
        try {
            ShadowSetup setup = CanaryRouters.get().require(router).openShadow(run);
            ShadowResult result = new ShadowRun(new ShadowStateStore(Canaries.shadowStateFile(run, id)), setup.mirror(),
                    setup.capture(), systemLog(run)).abort("the build ended while the shadow run was under way");
            Canaries.recordShadow(run, id, result);
        } catch (Exception e) {
            LOGGER.log(Level.WARNING, run.getExternalizableId() + ": shadow run " + id
                    + " could not be finished; its state file says what is left to do", e);
        } finally {
            Canaries.stopDriving(Canaries.shadowSlot(id));
        }
    }

    private static void finishAbandoned(Run<?, ?> run, String id, CanarySetup setup, boolean rollBack) {
        if (!Canaries.tryDriving(id)) {
            return;
        }
        StageLog log = systemLog(run);
        try (CanaryConnections connections = new CanaryConnections(setup, run, run.getEnvironment(TaskListener.NULL),
                false, Sleeper.SYSTEM, log, TaskListener.NULL)) {
            CanaryRun canary = new CanaryRun(new CanaryStateStore(Canaries.stateFile(run, id)), connections.router(),
                    connections.metrics(), new RegistryAliases(connections.registry()), log);
            CanaryResult result = rollBack
                    ? canary.abort("the build ended while the canary was under way")
                    : canary.resume();
            Canaries.record(run, id, result, connections.registry().getConfig().getBaseUrl());
        } catch (Exception e) {
            LOGGER.log(Level.WARNING, run.getExternalizableId() + ": canary " + id
                    + " could not be finished; its state file says what is left to do", e);
        } finally {
            Canaries.stopDriving(id);
        }
    }
}
