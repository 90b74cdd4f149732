package io.jenkins.plugins.mlstages.steps;

import io.jenkins.plugins.mlstages.deploy.DriveSlots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The threads of this JVM that wait for a run's driving slot ({@link DriveSlots#acquire}): a drive queued behind
 * another drive of the same run. A stop while the run is driven must queue none (the driving thread rolls back).
 */
final class SlotWaiters {
    private SlotWaiters() {}

    /** The names of the threads waiting now. */
    static List<String> now() {
        List<String> names = new ArrayList<>();
        for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
            for (StackTraceElement frame : thread.getValue()) {
                if (frame.getClassName().equals(DriveSlots.class.getName()) && frame.getMethodName().equals("acquire")) {
                    names.add(thread.getKey().getName());
                    break;
                }
            }
        }
        return names;
    }

    /** The threads seen waiting within {@code millis} (looked at every 50 ms; returns at the first one seen). */
    static List<String> within(long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        List<String> waiting = now();
        while (waiting.isEmpty() && System.currentTimeMillis() < end) {
            Thread.sleep(50);
            waiting = now();
        }
        return waiting;
    }
}
