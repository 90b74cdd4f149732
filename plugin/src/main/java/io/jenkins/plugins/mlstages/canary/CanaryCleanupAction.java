package io.jenkins.plugins.mlstages.canary;

import hudson.model.InvisibleAction;
import hudson.model.Run;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The canaries and shadow runs a build started, by ID: a canary with the {@link CanarySetup} that opens its
 * router and registry again, a shadow run with the name of the router whose mirror it drives. Kept in
 * build.xml so that {@link CanaryCleanup} can finish either when its build ended without its step
 * (terminated, killed, a program that could not be loaded). No secrets: names and credentials IDs.
 */
public final class CanaryCleanupAction extends InvisibleAction {
    /** Replaced, never changed in place. */
    private volatile Map<String, CanarySetup> canaries = new LinkedHashMap<>();
    /** Shadow run ID to router name; replaced, never changed in place; null in builds of earlier releases. */
    private volatile Map<String, String> shadows = new LinkedHashMap<>();

    /** A/B test ID to what opens its router and Prometheus again; replaced, never changed in place; null in builds of earlier releases. */
    private volatile Map<String, CanarySetup> abTests = new LinkedHashMap<>();

    /** Records canary {@code id} of {@code run} once, saving the build when it is new. */
    public static void registerOn(Run<?, ?> run, String id, CanarySetup setup) throws IOException {
        if (of(run).register(id, setup)) {
            run.save();
        }
    }

    /** Records shadow run {@code id} of {@code run}, driving the mirror of {@code router}, once; saves the build when new. */
    public static void registerShadowOn(Run<?, ?> run, String id, String router) throws IOException {
        if (of(run).registerShadow(id, router)) {
            run.save();
        }
    }

    /** Records A/B test {@code id} of {@code run} once; saves the build when new. */
    public static void registerAbTestOn(Run<?, ?> run, String id, CanarySetup setup) throws IOException {
        if (of(run).registerAbTest(id, setup)) {
            run.save();
        }
    }

    private static CanaryCleanupAction of(Run<?, ?> run) {
        synchronized (CanaryCleanupAction.class) {
            CanaryCleanupAction action = run.getAction(CanaryCleanupAction.class);
            if (action == null) {
                action = new CanaryCleanupAction();
                run.addAction(action);
            }
            return action;
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

    public synchronized boolean registerShadow(String id, String router) {
        if (shadows != null && shadows.containsKey(id)) {
            return false;
        }
        Map<String, String> next = shadows == null ? new LinkedHashMap<>() : new LinkedHashMap<>(shadows);
        next.put(id, router);
        shadows = next;
        return true;
    }

    public Map<String, CanarySetup> canaries() {
        return canaries == null ? Map.of() : canaries;
    }

    /** Shadow run ID to the name of its router. */
    public Map<String, String> shadows() {
        return shadows == null ? Map.of() : shadows;
    }

    public synchronized boolean registerAbTest(String id, CanarySetup setup) {
        if (abTests != null && abTests.containsKey(id)) {
            return false;
        }
        Map<String, CanarySetup> next = abTests == null ? new LinkedHashMap<>() : new LinkedHashMap<>(abTests);
        next.put(id, setup);
        abTests = next;
        return true;
    }

    /** A/B test ID to what opens its router and Prometheus again. */
    public Map<String, CanarySetup> abTests() {
        return abTests == null ? Map.of() : abTests;
    }
}
