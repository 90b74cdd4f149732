package io.jenkins.plugins.mlstages.canary;

import hudson.model.Run;
import hudson.util.ClassLoaderSanityThreadFactory;
import hudson.util.DaemonThreadFactory;
import hudson.util.NamingThreadFactory;
import io.jenkins.plugins.mlstages.deploy.CanaryPlan;
import io.jenkins.plugins.mlstages.deploy.CanaryResult;
import io.jenkins.plugins.mlstages.deploy.DriveSlots;
import io.jenkins.plugins.mlstages.deploy.ShadowResult;
import io.jenkins.plugins.mlstages.deploy.ab.AbResult;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.ui.MlReportAction;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What the canaries and shadow runs of this controller share: the threads that drive them, which ones are
 * driven now (so that each has one driver at a time: its step or {@link CanaryCleanup}), where their state
 * files are and how a result reaches the build's ML report.
 */
public final class Canaries {
    /** Runs the canaries: minutes-long, so not on the CPS VM thread nor on Jenkins' shared Timer. */
    private static final ExecutorService POOL = Executors.newCachedThreadPool(new NamingThreadFactory(
            new ClassLoaderSanityThreadFactory(new DaemonThreadFactory()), "canaryDeploy"));

    /** The canaries being driven now, by ID. */
    private static final DriveSlots DRIVING = new DriveSlots();
    /** How long a drive waits for another one of its canary to end (a stop racing the start, a restart within this JVM). */
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    private Canaries() {}

    public static void execute(Runnable drive) {
        POOL.execute(drive);
    }

    /**
     * Takes the driving slot of canary {@code id} for its step, waiting for a drive still ending; false when
     * the canary was completed (also when that is only seen once the slot is taken) or the slot stays taken.
     */
    public static boolean startDriving(String id, BooleanSupplier completed) throws InterruptedException {
        return DRIVING.acquire(id, completed, PATIENCE);
    }

    /** Takes the driving slot of canary {@code id} without waiting; false when a drive holds it. */
    public static boolean tryDriving(String id) {
        return DRIVING.tryAcquire(id);
    }

    public static void stopDriving(String id) {
        DRIVING.release(id);
    }

    public static boolean isDriven(String id) {
        return DRIVING.isHeld(id);
    }

    /** The state file of canary {@code id} under the build directory. */
    public static Path stateFile(Run<?, ?> run, String id) {
        return run.getRootDir().toPath().resolve("ml-stages").resolve("canary-" + id + ".json");
    }

    /** The step that drives a plan: {@code canaryDeploy}, or {@code blueGreenDeploy} for a blue/green deployment. */
    public static String stepName(CanaryPlan plan) {
        return plan.isBlueGreen() ? "blueGreenDeploy" : "canaryDeploy";
    }

    /** The line the step logs as the deployment's verdict. */
    public static String summary(CanaryResult result) {
        return (CanaryResult.BLUE_GREEN_STAGE.equals(result.stage()) ? "blueGreenDeploy " : "canaryDeploy ") + result.verdict() + ": " + result.model() + "/" + result.version() + " ("
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

    /** The driving slot of shadow run {@code id}: apart from the canaries' IDs. */
    public static String shadowSlot(String id) {
        return "shadow-" + id;
    }

    /** The state file of shadow run {@code id} under the build directory. */
    public static Path shadowStateFile(Run<?, ?> run, String id) {
        return run.getRootDir().toPath().resolve("ml-stages").resolve("shadow-" + id + ".json");
    }

    /** The line the step logs as the shadow run's verdict. */
    public static String summary(ShadowResult result) {
        return "shadowDeploy " + result.verdict() + ": " + result.model() + "/" + result.version() + " (" + result.reason() + ")";
    }

    /** Adds the shadow run's result to the build's ML report, once per run (as {@link #record} for a canary). */
    public static void recordShadow(Run<?, ?> run, String id, ShadowResult result) throws IOException {
        MlReportAction.record(run, "shadow-" + id, ReportWriter.mapper().writeValueAsString(result), summary(result),
                null, null);
    }

    /** The driving slot of A/B test {@code id}: apart from the canaries' and shadow runs' IDs. */
    public static String abSlot(String id) {
        return "ab-" + id;
    }

    /** The state file of A/B test {@code id} under the build directory. */
    public static Path abStateFile(Run<?, ?> run, String id) {
        return run.getRootDir().toPath().resolve("ml-stages").resolve("ab-test-" + id + ".json");
    }

    /** The line the step logs as the A/B test's verdict. */
    public static String summary(AbResult result) {
        return "abTest " + result.verdict() + ": " + result.model() + "/" + result.version() + ", winner " + result.winner() + " ("
                + result.reason() + ")";
    }

    /** Adds the A/B test's result to the build's ML report, once per test (as {@link #record} for a canary). */
    public static void recordAbTest(Run<?, ?> run, String id, AbResult result) throws IOException {
        MlReportAction.record(run, "ab-test-" + id, ReportWriter.mapper().writeValueAsString(result), summary(result), null, null);
    }
}
