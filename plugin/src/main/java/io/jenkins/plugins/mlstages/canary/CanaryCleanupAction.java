package io.jenkins.plugins.mlstages.canary;

import hudson.model.InvisibleAction;
import hudson.model.Run;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The canaries a build started, by ID, with the {@link CanarySetup} that opens their router and registry
 * again: kept in build.xml so that {@link CanaryCleanup} can finish a canary whose build ended without its
 * step (terminated, killed, a program that could not be loaded). No secrets: names and credentials IDs.
 */
public final class CanaryCleanupAction extends InvisibleAction {
    /** Replaced, never changed in place. */
    private volatile Map<String, CanarySetup> canaries = new LinkedHashMap<>();

    /** Records canary {@code id} of {@code run} once, saving the build when it is new. */
    public static void registerOn(Run<?, ?> run, String id, CanarySetup setup) throws IOException {
        CanaryCleanupAction action;
        synchronized (CanaryCleanupAction.class) {
            action = run.getAction(CanaryCleanupAction.class);
            if (action == null) {
                action = new CanaryCleanupAction();
                run.addAction(action);
            }
        }
        if (action.register(id, setup)) {
            run.save();
        }
    }

    public synchronized boolean register(String id, CanarySetup setup) {
        if (canaries != null && canaries.containsKey(id)) {
            return false;
        }
        Map<String, CanarySetup> next = canaries == null ? new LinkedHashMap<>() : new LinkedHashMap<>(canaries);
        next.put(id, setup);
        canaries = next;
        return true;
    }

    public Map<String, CanarySetup> canaries() {
        return canaries == null ? Map.of() : canaries;
    }
}
