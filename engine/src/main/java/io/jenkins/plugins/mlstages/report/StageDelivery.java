package io.jenkins.plugins.mlstages.report;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * The order in which a finished stage is delivered, so that its result is never lost to a report file
 * that cannot be written: first it is recorded where the build keeps it, then its verdict is applied,
 * and only then is the report file written where the user asked (a workspace on an agent that may be
 * offline, or whose channel may drop during the write). A failed write is handed to a reporter, logged
 * in one line by the caller, and changes neither the record nor the verdict.
 */
public final class StageDelivery {
    private StageDelivery() {}

    /** A part of the delivery that may fail. */
    @FunctionalInterface
    public interface Task {
        void run() throws Exception;
    }

    /** The verdict: applies it and returns the stage's outcome (e.g. a value, or the failure to report). */
    @FunctionalInterface
    public interface Verdict<T> {
        T apply() throws Exception;
    }

    /**
     * Records, applies the verdict, writes the report file, in that order.
     *
     * @param record keeps the result with the build; when it fails nothing else is done and its exception propagates
     * @param verdict applies the verdict and returns the outcome; an exception propagates and no file is written
     * @param writeFile writes the report file; its failure goes to {@code writeFailed} only
     * @return the verdict's outcome
     */
    public static <T> T deliver(Task record, Verdict<T> verdict, Task writeFile, Consumer<Exception> writeFailed)
            throws Exception {
        Objects.requireNonNull(writeFailed, "writeFailed");
        record.run();
        T outcome = verdict.apply();
        try {
            writeFile.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writeFailed.accept(e);
        } catch (Exception e) {
            writeFailed.accept(e);
        }
        return outcome;
    }
}
