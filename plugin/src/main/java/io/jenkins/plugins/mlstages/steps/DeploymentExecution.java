package io.jenkins.plugins.mlstages.steps;

import com.fasterxml.jackson.core.JsonProcessingException;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.mlstages.canary.Canaries;
import io.jenkins.plugins.mlstages.deploy.CanaryStateStore;
import io.jenkins.plugins.mlstages.deploy.DeployException;
import io.jenkins.plugins.mlstages.registry.RegistryException;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.report.StageDelivery;
import io.jenkins.plugins.mlstages.report.StageReport;
import io.jenkins.plugins.mlstages.support.BuildLog;
import io.jenkins.plugins.mlstages.support.Verdict;
import io.jenkins.plugins.mlstages.support.WorkspaceReports;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.CauseOfInterruption;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * The durable execution of the deployment steps ({@code canaryDeploy}, {@code blueGreenDeploy}, {@code shadowDeploy},
 * {@code abTest}): the one place that starts a run, drives it on the canaries' threads holding the run's own driving
 * slot ({@link #slot}), resumes it after a controller restart, stops it (an abort is recorded at once and the driving
 * thread rolls back at its next wait), and completes the step once, recording the result in the build's ML report
 * before the verdict and before the workspace report file. Each strategy says only what differs: its settings check,
 * how it opens its engine run ({@link #open}), its state's status line and how its result is recorded and shown.
 *
 * <p>Its serial form, kept in the build's {@code program.dat}: the step's settings (the router by name), the run's ID,
 * its state as JSON and whether an abort was asked for, with its cause as Pipeline's own
 * {@link FlowInterruptedException}: plugin classes, strings and immutable lists (core's class filter allows them), no
 * engine class, no secret. The subclasses keep their names ({@code ShadowDeployStep.Execution},
 * {@code AbTestStep.Execution}, {@code TrafficDeployStep.Execution}) and these fields keep theirs. What would break: a
 * {@code program.dat} written before the fields moved here (main before this base existed; no release had that layout)
 * holds them under the subclass, so a run resumed from it would find no ID and no state; renaming a field or a subclass
 * here does the same to every running deployment.
 *
 * @param <S> the step
 * @param <R> the engine's result
 */
@SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED",
        justification = "acting, interruptible, stopCause and jenkins describe the current drive only; a resumed run starts a new"
                + " one (the abort's cause survives as abortCause)")
abstract class DeploymentExecution<S extends MlStageStep, R extends StageReport> extends StepExecution {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(DeploymentExecution.class.getName());
    /** How long a save of the program may take before the run acts anyway (the state file is saved already). */
    private static final long SAVE_SECONDS = 30;

    final S step;
    final String id;
    /** The run's state as the engine writes it, replaced whole at each transition. */
    private volatile String stateJson;
    private final AtomicBoolean completed = new AtomicBoolean();
    /** Set by {@link #stop}; survives a restart so that a resumed run goes on rolling back. */
    private volatile boolean abortRequested;
    private volatile String abortReason;
    /** The abort's cause as Pipeline knows it (user, timeout), so that a build resumed after a restart ends with it. */
    @CheckForNull
    private volatile FlowInterruptedException abortCause;

    private transient volatile boolean acting;
    private transient volatile boolean interruptible;
    private transient volatile Throwable stopCause;
    /** The Jenkins this drive runs in; when it shuts down the drive ends and the next start resumes the run. */
    private transient volatile Jenkins jenkins;

    DeploymentExecution(S step, StepContext context) {
        super(context);
        this.step = step;
        this.id = UUID.randomUUID().toString();
    }

    /**
     * What the strategy's messages say.
     *
     * @param step the step's function name, which starts its messages
     * @param run what runs, for the log line of a resume: {@code "the canary of fraud version 2"}
     * @param undoing what an abort does: {@code "rolling back"}, {@code "stopping"}
     * @param touches what the run changes first ({@code "router"}, {@code "mirror"}): an abort before that has nothing to undo
     */
    record Words(String step, String run, String undoing, String touches) {}

    abstract Words words();

    final String stepName() {
        return words().step();
    }

    /** The run's driving slot in {@link Canaries}: the one its drives, its stop and {@code CanaryCleanup} agree on. */
    abstract String slot();

    /**
     * Checks the settings and what the run needs before anything is changed, failing with one line
     * ({@link BuildLog#failure}; an {@link IllegalArgumentException} becomes one); returns the line that starts the log.
     */
    abstract String begin() throws Exception;

    /** The status of a state the engine wrote, for the thread dump. */
    abstract String status(String stateJson) throws JsonProcessingException;

    /**
     * Opens the engine's run of this step on its state file: registers the run for {@code CanaryCleanup} before anything
     * is changed, opens the router (and, when {@code analyse}, what is measured; an abort needs only the router), with
     * {@link #sleep} as the engine's waits, {@link #routerSleep} as the router's own, and a state store that calls
     * {@link #keep}.
     */
    abstract Drive<R> open(Run<?, ?> run, BuildLog log, boolean analyse) throws Exception;

    /** The line the step logs as the run's verdict. */
    abstract String summary(R result);

    /** Whether the engine ended the run as aborted. */
    abstract boolean aborted(R result);

    /** The result as plain values, for sandboxed scripts. */
    abstract Map<String, Object> toMap(R result);

    /** The engine's run as the drive uses it; {@link #close} releases what {@link #open} opened. */
    record Drive<R>(BooleanSupplier hasState, Action<R> start, Action<R> resume, Abort<R> abort, Recorder<R> record,
            AutoCloseable resources) implements AutoCloseable {
        Drive(BooleanSupplier hasState, Action<R> start, Action<R> resume, Abort<R> abort, Recorder<R> record) {
            this(hasState, start, resume, abort, record, () -> { });
        }

        @Override
        public void close() throws Exception {
            resources.close();
        }
    }

    @FunctionalInterface
    interface Action<R> {
        R run() throws Exception;
    }

    @FunctionalInterface
    interface Abort<R> {
        R abort(String reason) throws Exception;
    }

    /** Adds the result to the build's ML report, once per run (a second record replaces the first). */
    @FunctionalInterface
    interface Recorder<R> {
        void record(R result) throws IOException;
    }

    @Override
    public boolean start() throws Exception {
        String line;
        try {
            line = begin();
        } catch (IllegalArgumentException e) {
            throw BuildLog.failure(stepName(), e.getMessage());
        }
        log(line);
        submit(Mode.START);
        return false;
    }

    @Override
    public void onResume() {
        log(stepName() + ": resuming " + words().run() + " after a controller restart"
                + (abortRequested ? " (" + words().undoing() + ": " + abortReason + ")" : ""));
        submit(abortRequested ? Mode.ABORT : Mode.RESUME);
    }

    /**
     * A user abort or an enclosing timeout: records the abort and returns at once. The driving thread notices it at its
     * next wait and rolls back; router calls under way are finished first. Only when no drive holds the run's slot is
     * one submitted to roll back.
     */
    @Override
    public void stop(@NonNull Throwable cause) throws Exception {
        Throwable earlier = stopCause;
        if (earlier != null) {
            earlier.addSuppressed(cause);
            return;
        }
        stopCause = cause;
        abortCause = persistable(cause);
        abortReason = "aborted" + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        abortRequested = true;
        if (!Canaries.isDriven(slot()) && !completed.get()) {
            submit(Mode.ABORT);
        }
    }

    @Override
    public String getStatus() {
        String json = stateJson;
        if (json == null) {
            return "starting";
        }
        try {
            return status(json) + (abortRequested ? ", " + words().undoing() + " on request" : "");
        } catch (JsonProcessingException | RuntimeException e) {
            return "state unreadable";
        }
    }

    /** Only while the router, the metric source or the registry is being called, never during the waits. */
    @Override
    public boolean blocksRestart() {
        return acting;
    }

    private enum Mode { START, RESUME, ABORT }

    private void submit(Mode mode) {
        Canaries.execute(() -> drive(mode));
    }

    private void drive(Mode mode) {
        // A drive of this run may still be ending (a stop racing the start, or a restart within this JVM);
        // once it has, the run may be completed: then a second drive would record it again.
        try {
            if (!Canaries.startDriving(slot(), completed::get)) {
                LOGGER.log(Level.FINE, "{0} {1} is completed or driven elsewhere", new Object[] {stepName(), id});
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        acting = true;
        jenkins = Jenkins.getInstanceOrNull();
        try {
            StepContext context = getContext();
            Run<?, ?> run = context.get(Run.class);
            TaskListener listener = context.get(TaskListener.class);
            boolean analyse = mode != Mode.ABORT && !abortRequested;
            try (Drive<R> drive = open(run, new BuildLog(listener.getLogger()), analyse)) {
                R result;
                try {
                    interruptible = true;
                    if (mode == Mode.ABORT || abortRequested) {
                        result = rollBack(drive);
                    } else if (mode == Mode.RESUME && drive.hasState().getAsBoolean()) {
                        result = drive.resume().run();
                    } else {
                        result = drive.start().run();
                    }
                } catch (InterruptedException aborted) {
                    result = rollBack(drive);
                }
                finish(run, listener, result, drive.record());
            }
        } catch (ShuttingDown e) {
            // Saved before every action: the run continues from its state when the controller is back.
            LOGGER.log(Level.FINE, "{0} {1} stops for the controller shutdown", new Object[] {stepName(), id});
        } catch (DeployException | RegistryException | IllegalArgumentException e) {
            fail(BuildLog.failure(stepName(), e.getMessage()));
        } catch (Throwable t) {
            fail(t);
        } finally {
            acting = false;
            Canaries.stopDriving(slot());
        }
    }

    /** Rolls back what the state holds; without a state, nothing was changed and nothing is rolled back. */
    @CheckForNull
    private R rollBack(Drive<R> drive) throws Exception {
        interruptible = false;
        return drive.hasState().getAsBoolean() ? drive.abort().abort(abortReason == null ? "aborted" : abortReason) : null;
    }

    /**
     * The router's own waits within a call (KServe's readiness): part of the call, so a restart still waits for it
     * ({@link #blocksRestart}), but an abort is noticed within a second.
     */
    final void routerSleep(Duration duration) throws InterruptedException {
        pause(duration, false);
    }

    /**
     * The engine's waits between steps: nothing is under way, so a restart need not wait for them; an abort is
     * noticed within a second, a shutdown ends the drive ({@link ShuttingDown}).
     */
    final void sleep(Duration duration) throws InterruptedException {
        acting = false;
        try {
            pause(duration, true);
        } finally {
            acting = true;
        }
    }

    /** Waits in slices of a second, throwing when an abort is asked for (and, when watched, at a shutdown). */
    private void pause(Duration duration, boolean watchShutdown) throws InterruptedException {
        long end = System.currentTimeMillis() + Math.max(0, duration.toMillis());
        for (long left = end - System.currentTimeMillis(); left > 0; left = end - System.currentTimeMillis()) {
            if (abortRequested && interruptible) {
                throw new InterruptedException(stepName() + " aborted");
            }
            if (watchShutdown) {
                Jenkins current = Jenkins.getInstanceOrNull();
                if (current == null || current != jenkins || current.isTerminating()) {
                    throw new ShuttingDown();
                }
            }
            Thread.sleep(Math.min(left, 1000));
        }
        if (abortRequested && interruptible) {
            throw new InterruptedException(stepName() + " aborted");
        }
    }

    /**
     * Records the result in the build's ML report and applies the verdict before the report file is written in the
     * workspace: an agent that is offline at the end, or a channel that drops during the write, costs the file (one
     * line in the log), never the result.
     */
    private void finish(Run<?, ?> run, TaskListener listener, @CheckForNull R result, Recorder<R> recorder) throws Exception {
        if (result == null) {
            complete(listener, stepName() + ": aborted before the " + words().touches() + " was touched; nothing to undo", null,
                    abortCause());
            return;
        }
        String json = ReportWriter.mapper().writeValueAsString(result);
        BuildLog log = new BuildLog(listener.getLogger());
        Outcome outcome = StageDelivery.deliver(
                () -> recorder.record(result),
                () -> verdict(run, listener, result),
                () -> writeReport(json, log),
                e -> log.line((e instanceof AbortException ? e.getMessage() : stepName() + ": " + step.getReport() + ": "
                        + e) + "; report not written, the result is in the build's ML report"));
        complete(listener, outcome.line(), outcome.value(), outcome.failure());
    }

    /** How the step completes. */
    private record Outcome(@CheckForNull String line, @CheckForNull Map<String, Object> value, @CheckForNull Throwable failure) {}

    private Outcome verdict(Run<?, ?> run, TaskListener listener, R result) throws IOException, InterruptedException {
        String summary = summary(result);
        if (abortRequested || aborted(result)) {
            return new Outcome(summary, null, abortCause());
        }
        try {
            Verdict.apply(result.status(), step.getFailOn(), step.getUnstableOn(), summary, run,
                    getContext().get(FlowNode.class), listener);
        } catch (AbortException e) {
            return new Outcome(null, null, e);
        }
        return new Outcome(null, toMap(result), null);
    }

    /** The report file the step was asked for, in the workspace when there is one. */
    private void writeReport(String json, BuildLog log) throws IOException, InterruptedException {
        if (step.getReport() == null) {
            return;
        }
        FilePath workspace = getContext().get(FilePath.class);
        if (workspace == null) {
            log.line(stepName() + ": no workspace (outside node { }): report not written");
            return;
        }
        WorkspaceReports.write(workspace, step.getReport(), json, stepName());
    }

    private Throwable abortCause() {
        Throwable cause = stopCause;
        if (cause == null) {
            cause = abortCause;
        }
        // an actual interruption (a user's abort), so that retry and catchError pass it on
        return cause != null ? cause : new FlowInterruptedException(Result.ABORTED, true);
    }

    /**
     * The part of an abort's cause that survives a restart: Pipeline's own interruption with its result and causes
     * (all serializable, and allowed by core's class filter), without whatever else it carries.
     */
    @CheckForNull
    private static FlowInterruptedException persistable(Throwable cause) {
        if (!(cause instanceof FlowInterruptedException interrupted)) {
            return null;
        }
        return new FlowInterruptedException(interrupted.getResult(), interrupted.isActualInterruption(),
                interrupted.getCauses().toArray(new CauseOfInterruption[0]));
    }

    private void fail(Throwable t) {
        Throwable cause = stopCause;
        if (cause != null && cause != t) {
            cause.addSuppressed(t);
            t = cause;
        }
        complete(null, null, null, t);
    }

    /** Completes the step once: logs {@code line} first (the log closes with the step), then success or failure. */
    private void complete(@CheckForNull TaskListener listener, @CheckForNull String line,
            @CheckForNull Map<String, Object> value, @CheckForNull Throwable failure) {
        if (!completed.compareAndSet(false, true)) {
            LOGGER.log(Level.FINE, "{0} {1} already completed", new Object[] {stepName(), id});
            return;
        }
        if (listener != null && line != null) {
            new BuildLog(listener.getLogger()).line(line);
        }
        if (failure != null) {
            getContext().onFailure(failure);
        } else {
            getContext().onSuccess(value);
        }
    }

    final void log(String line) {
        try {
            new BuildLog(getContext().get(TaskListener.class).getLogger()).line(line);
        } catch (IOException | InterruptedException | RuntimeException e) {
            LOGGER.log(Level.FINE, line, e);
        }
    }

    // What each strategy's state store adds to the engine's, which writes the state file under the build directory: every
    // saved state mirrored into the program, followed by a save of the program, so that the engine's save before it acts
    // is in both; a state file that is gone is read back from the program. The stores are the engine's own classes (its
    // runs take them), so each strategy extends its own and calls these three.

    /** Whether the program holds a state (for a state file that is gone). */
    final boolean kept() {
        return stateJson != null;
    }

    /** Mirrors a state the engine saved into the program, and saves the program. */
    final void keep(Object state) throws IOException {
        stateJson = CanaryStateStore.mapper().writeValueAsString(state);
        try {
            getContext().saveState().get(SAVE_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOGGER.log(Level.FINE, "the program of " + stepName() + " " + id + " was not saved at once", e);
        }
    }

    /** The state the program holds, for a state file that is gone. */
    final <T> T kept(Class<T> type, Path file) throws IOException {
        String json = stateJson;
        if (json == null) {
            throw new NoSuchFileException(file.toString());
        }
        return CanaryStateStore.mapper().readValue(json, type);
    }

    /** Ends a drive when its Jenkins stops: nothing is completed, {@link #onResume} drives on. */
    private static final class ShuttingDown extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ShuttingDown() {
            super("the controller is shutting down", null, false, false);
        }
    }
}
