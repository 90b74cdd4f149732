package io.jenkins.plugins.mlstages.canary;

import hudson.model.Run;
import hudson.util.ClassLoaderSanityThreadFactory;
import hudson.util.DaemonThreadFactory;
import hudson.util.NamingThreadFactory;
import io.jenkins.plugins.mlstages.deploy.CanaryResult;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.ui.MlReportAction;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What the canaries of this controller share: the threads that drive them, which ones are driven now (so
 * that a canary has one driver at a time: its step or {@link CanaryCleanup}), where their state files are
 * and how a result reaches the build's ML report.
 */
public final class Canaries {
    /** Runs the canaries: minutes-long, so not on the CPS VM thread nor on Jenkins' shared Timer. */
    private static final ExecutorService POOL = Executors.newCachedThreadPool(new NamingThreadFactory(
            new ClassLoaderSanityThreadFactory(new DaemonThreadFactory()), "canaryDeploy"));

    /** The canaries being driven now, by ID. */
    private static final Set<String> DRIVING = ConcurrentHashMap.newKeySet();

    private Canaries() {}

    public static void execute(Runnable drive) {
        POOL.execute(drive);
    }

    /** Takes the driving slot of canary {@code id}; false when another drive holds it. */
    public static boolean startDriving(String id) {
        return DRIVING.add(id);
    }

    public static void stopDriving(String id) {
        DRIVING.remove(id);
    }

    public static boolean isDriven(String id) {
        return DRIVING.contains(id);
    }

    /** The state file of canary {@code id} under the build directory. */
    public static Path stateFile(Run<?, ?> run, String id) {
        return run.getRootDir().toPath().resolve("ml-stages").resolve("canary-" + id + ".json");
    }

    /** The line the step logs as the canary's verdict. */
    public static String summary(CanaryResult result) {
        return "canaryDeploy " + result.verdict() + ": " + result.model() + "/" + result.version() + " ("
                + result.reason() + "); aliases " + result.aliases();
    }

    /**
     * Adds the canary's result to the build's ML report, once per canary: recording the same canary again
     * (a drive after a restart, the cleanup after the step) replaces its stage.
     */
    public static void record(Run<?, ?> run, String id, CanaryResult result, String registryUrl) throws IOException {
        MlReportAction.record(run, "canary-" + id, ReportWriter.mapper().writeValueAsString(result), summary(result),
                null, registryUrl);
    }
}
