package io.jenkins.plugins.mlstages.deploy;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.io.Serializable;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourCheck;
import io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourPlan;
import io.jenkins.plugins.mlstages.registry.RegistryException;
import io.jenkins.plugins.mlstages.registry.RegistryLimits;

/**
 * What a canary does, validated and immutable. The vocabulary follows Flagger's {@code analysis} and
 * Argo Rollouts' {@code AnalysisTemplate}.
 *
 * <p>Each step but the last sets the canary's share of traffic and lasts {@code interval}, during which
 * {@code analysesPerStep} analyses run at equal spacing (the first one {@code interval / analysesPerStep}
 * after the weight is applied). The canary moves to the next step once the interval has passed and the
 * latest analysis passed; a failed or inconclusive analysis at the end of a step extends it by one
 * analysis spacing. The last step is always 100: it is the promotion (router at 100 % canary, alias
 * {@code championAlias} to the new version, the former champion kept as {@code previousAlias}).
 *
 * @param model the registered model
 * @param version the canary's model version
 * @param steps canary weights in percent, strictly increasing, 1..100, the last one 100
 * @param interval how long each step lasts (Flagger {@code interval}, Argo {@code pause.duration})
 * @param analysesPerStep analyses run during one step's interval (≥ 1)
 * @param checks what each analysis checks; none makes a timed rollout in which every analysis passes
 * @param failureLimit failed analyses, without a passing one between them, that roll the canary back
 *        (≥ 1; Flagger {@code threshold}; Argo's {@code failureLimit: n} is ours {@code n + 1})
 * @param inconclusiveLimit inconclusive analyses, without a passing one between them, that trigger
 *        {@code onInconclusive} (≥ 1)
 * @param onInconclusive what the inconclusive limit does: roll back, or hold the weight and keep analysing
 * @param holdTimeout with {@link InconclusivePolicy#HOLD}: how long a canary may hold before it rolls back
 * @param championAlias the alias promotion moves to the new version
 * @param previousAlias the alias promotion moves to the former champion
 * @param behaviour behaviour rules judged at each analysis next to {@code checks}, on a probe sent to both
 *        versions; null for none
 * @param smoke set for a blue/green deployment (docs/bluegreen.md): smoke checks against the new (green) version
 *        before any traffic moves, then the only step, 100, switches all traffic at once and its {@code interval}
 *        is the analysis window: promotion once its analyses passed, not on reaching the step. Null for a canary.
 * @throws CanarySettingException naming the setting that is invalid
 */
public record CanaryPlan(String model, String version, List<Integer> steps, Duration interval, int analysesPerStep,
        List<AnalysisCheck> checks, int failureLimit, int inconclusiveLimit, InconclusivePolicy onInconclusive,
        Duration holdTimeout, String championAlias, String previousAlias, BehaviourPlan behaviour, SmokePlan smoke)
        implements Serializable {
    public static final String CANARY = "canary";
    public static final String BLUE_GREEN = "blue-green";
    public static final String DEFAULT_CHAMPION_ALIAS = "champion";
    public static final String DEFAULT_PREVIOUS_ALIAS = "previous";
    /** The longest step: a canary is watched by a build, which should end the same day. */
    public static final Duration MAX_INTERVAL = Duration.ofHours(24);
    /** The longest hold on inconclusive analyses (the default, 10 intervals, stays within it). */
    public static final Duration MAX_HOLD = MAX_INTERVAL.multipliedBy(10);
    /** The most analyses per step, and the highest failure and inconclusive limits. */
    public static final int MAX_COUNT = 100;

    public CanaryPlan {
        if (model == null || model.isBlank()) {
            throw new CanarySettingException("model", "the canary needs a model name");
        }
        if (version == null || version.isBlank()) {
            throw new CanarySettingException("version", "the canary needs a model version");
        }
        steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
        checkSteps(steps);
        if (smoke != null && !steps.equals(List.of(100))) {
            throw new CanarySettingException("steps", "a blue/green deployment switches 0 -> 100 at once: its only step is 100, got "
                    + steps);
        }
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero() || interval.compareTo(MAX_INTERVAL) > 0) {
            throw new CanarySettingException("interval", "the step interval must be positive and at most "
                    + Durations.format(MAX_INTERVAL) + ", was " + Durations.format(interval));
        }
        if (analysesPerStep < 1 || analysesPerStep > MAX_COUNT) {
            throw new CanarySettingException("analysesPerStep", "analyses per step must be between 1 and " + MAX_COUNT
                    + ", was " + analysesPerStep);
        }
        checks = List.copyOf(checks == null ? List.of() : checks);
        Set<String> names = new HashSet<>();
        for (AnalysisCheck check : checks) {
            if (!names.add(check.name())) {
                throw new CanarySettingException("analysis", "two analysis checks are named '" + check.name() + "'");
            }
        }
        if (behaviour != null) {
            for (BehaviourCheck rule : behaviour.checks()) {
                if (names.contains(rule.metric())) {
                    throw new CanarySettingException("analysis", "analysis check '" + rule.metric()
                            + "' has the name of a behaviour rule: name the Prometheus check otherwise");
                }
            }
        }
        if (failureLimit < 1 || failureLimit > MAX_COUNT) {
            throw new CanarySettingException("failureLimit", "the failure limit must be between 1 and " + MAX_COUNT + ", was "
                    + failureLimit);
        }
        if (inconclusiveLimit < 1 || inconclusiveLimit > MAX_COUNT) {
            throw new CanarySettingException("inconclusiveLimit", "the inconclusive limit must be between 1 and " + MAX_COUNT
                    + ", was " + inconclusiveLimit);
        }
        onInconclusive = onInconclusive == null ? InconclusivePolicy.ROLLBACK : onInconclusive;
        if (onInconclusive == InconclusivePolicy.HOLD) {
            holdTimeout = holdTimeout == null ? interval.multipliedBy(10) : holdTimeout;
            if (holdTimeout.isNegative() || holdTimeout.isZero() || holdTimeout.compareTo(MAX_HOLD) > 0) {
                throw new CanarySettingException("holdTimeout", "the hold timeout must be positive and at most "
                        + Durations.format(MAX_HOLD) + ", was " + Durations.format(holdTimeout));
            }
        } else {
            holdTimeout = null;
        }
        championAlias = championAlias == null ? DEFAULT_CHAMPION_ALIAS : championAlias;
        previousAlias = previousAlias == null ? DEFAULT_PREVIOUS_ALIAS : previousAlias;
        checkAlias("championAlias", championAlias);
        checkAlias("previousAlias", previousAlias);
        if (championAlias.equals(previousAlias)) {
            throw new CanarySettingException(CanarySettingException.ALIASES,
                    "the champion and previous aliases must differ, both are '" + championAlias + "'");
        }
    }

    /** A canary's plan (no smoke checks). */
    public CanaryPlan(String model, String version, List<Integer> steps, Duration interval, int analysesPerStep,
            List<AnalysisCheck> checks, int failureLimit, int inconclusiveLimit, InconclusivePolicy onInconclusive,
            Duration holdTimeout, String championAlias, String previousAlias, BehaviourPlan behaviour) {
        this(model, version, steps, interval, analysesPerStep, checks, failureLimit, inconclusiveLimit, onInconclusive,
                holdTimeout, championAlias, previousAlias, behaviour, null);
    }

    /**
     * A blue/green deployment's plan: smoke checks, then all traffic at once and an analysis window of {@code window}
     * with {@code analyses} analyses.
     */
    public static CanaryPlan blueGreen(String model, String version, SmokePlan smoke, Duration window, int analyses,
            List<AnalysisCheck> checks, int failureLimit, int inconclusiveLimit, String championAlias, String previousAlias,
            BehaviourPlan behaviour) {
        if (smoke == null) {
            throw new CanarySettingException("smoke", "blue/green needs a smoke file of requests with their expected outputs");
        }
        return new CanaryPlan(model, version, List.of(100), window, analyses, checks, failureLimit, inconclusiveLimit,
                InconclusivePolicy.ROLLBACK, null, championAlias, previousAlias, behaviour, smoke);
    }

    /** Whether this is a blue/green deployment (smoke checks, one switch, an analysis window). */
    @JsonIgnore
    public boolean isBlueGreen() {
        return smoke != null;
    }

    /** What the plan deploys as, for logs and the report's stage: {@code canary} or {@code blue-green}. */
    public String strategy() {
        return smoke != null ? BLUE_GREEN : CANARY;
    }

    /** A plan without behaviour rules. */
    public CanaryPlan(String model, String version, List<Integer> steps, Duration interval, int analysesPerStep,
            List<AnalysisCheck> checks, int failureLimit, int inconclusiveLimit, InconclusivePolicy onInconclusive,
            Duration holdTimeout, String championAlias, String previousAlias) {
        this(model, version, steps, interval, analysesPerStep, checks, failureLimit, inconclusiveLimit, onInconclusive,
                holdTimeout, championAlias, previousAlias, null);
    }

    /** A plan with the defaults: one analysis per step, failure limit 1, inconclusive limit 2 then rollback, champion/previous. */
    public static CanaryPlan of(String model, String version, List<Integer> steps, Duration interval, List<AnalysisCheck> checks) {
        return new CanaryPlan(model, version, steps, interval, 1, checks, 1, 2, InconclusivePolicy.ROLLBACK, null,
                null, null);
    }

    public CanaryPlan withAnalysesPerStep(int count) {
        return new CanaryPlan(model, version, steps, interval, count, checks, failureLimit, inconclusiveLimit,
                onInconclusive, holdTimeout, championAlias, previousAlias, behaviour, smoke);
    }

    public CanaryPlan withFailureLimit(int limit) {
        return new CanaryPlan(model, version, steps, interval, analysesPerStep, checks, limit, inconclusiveLimit,
                onInconclusive, holdTimeout, championAlias, previousAlias, behaviour, smoke);
    }

    public CanaryPlan withInconclusive(int limit, InconclusivePolicy policy, Duration timeout) {
        return new CanaryPlan(model, version, steps, interval, analysesPerStep, checks, failureLimit, limit, policy,
                timeout, championAlias, previousAlias, behaviour, smoke);
    }

    public CanaryPlan withAliases(String champion, String previous) {
        return new CanaryPlan(model, version, steps, interval, analysesPerStep, checks, failureLimit, inconclusiveLimit,
                onInconclusive, holdTimeout, champion, previous, behaviour, smoke);
    }

    /** The same plan with behaviour rules judged on a probe at each analysis (null: none). */
    public CanaryPlan withBehaviour(BehaviourPlan rules) {
        return new CanaryPlan(model, version, steps, interval, analysesPerStep, checks, failureLimit, inconclusiveLimit,
                onInconclusive, holdTimeout, championAlias, previousAlias, rules, smoke);
    }

    /** The time between two analyses of a step. */
    public Duration analysisSpacing() {
        return interval.dividedBy(analysesPerStep);
    }

    public int lastStep() {
        return steps.size() - 1;
    }

    private static void checkSteps(List<Integer> steps) {
        if (steps.isEmpty()) {
            throw new CanarySettingException("steps", "the canary needs at least one step, e.g. 10,50,100");
        }
        int previous = 0;
        for (Integer step : steps) {
            if (step == null || step < 1 || step > 100) {
                throw new CanarySettingException("steps", "step weights are percentages from 1 to 100, got " + step + " in " + steps);
            }
            if (step <= previous) {
                throw new CanarySettingException("steps", "step weights must strictly increase, got " + steps);
            }
            previous = step;
        }
        if (previous != 100) {
            throw new CanarySettingException("steps", "the last step must be 100 (the promotion), got " + steps);
        }
    }

    private static void checkAlias(String setting, String alias) {
        try {
            RegistryLimits.checkAlias("canary", alias);
        } catch (RegistryException e) {
            throw new CanarySettingException(setting, e.getMessage(), e);
        }
    }
}
