package io.jenkins.plugins.mlstages.cli;

import java.nio.file.Path;
import java.util.List;

import io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourCheck;
import io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourPlan;
import io.jenkins.plugins.mlstages.deploy.behaviour.OutputKind;
import picocli.CommandLine.Option;

/**
 * The probe that behaviour rules ({@code 'agreement >= 0.97'}) are judged on: requests sent to the stable and
 * the new version's scoring servers directly, shared by the deployment commands (docs/canary.md, "Behaviour
 * rules"). The help of the two URLs names the versions as the command calls them (resource bundle keys
 * {@code probe-stable-url} and {@code probe-canary-url}).
 */
final class ProbeOptions {
    @Option(names = "--probe", paramLabel = "FILE.jsonl",
            description = "behaviour rules: requests (JSON lines) sent to both versions at each analysis")
    Path probe;

    @Option(names = "--probe-stable-url", paramLabel = "URL", descriptionKey = "probe-stable-url",
            description = "behaviour rules: the stable version's scoring server")
    String probeStableUrl;

    @Option(names = "--probe-canary-url", paramLabel = "URL", descriptionKey = "probe-canary-url",
            description = "behaviour rules: the canary version's scoring server")
    String probeCanaryUrl;

    @Option(names = "--probe-label", paramLabel = "FIELD", description = "behaviour rules: the probe's label field (accuracy rules)")
    String probeLabel;

    @Option(names = "--probe-output", paramLabel = "auto|score|label", defaultValue = "auto",
            description = "behaviour rules: compare outputs as scores or labels (default: ${DEFAULT-VALUE})")
    String probeOutput;

    @Option(names = "--probe-threshold", paramLabel = "T", defaultValue = "0.5",
            description = "behaviour rules: with scores, the decision is score >= T (default: ${DEFAULT-VALUE})")
    double probeThreshold;

    @Option(names = "--probe-timeout", paramLabel = "DURATION", defaultValue = "10s", descriptionKey = "probe-timeout",
            description = "behaviour rules: how long one probe request may take (default: ${DEFAULT-VALUE})")
    String probeTimeout;

    /**
     * The behaviour rules with their probe, the probe read once now so that a bad one is refused before any traffic
     * moves; null when there are no rules (and no probe).
     *
     * @param ruleOption the option the rules come from, for messages ({@code --analysis})
     */
    BehaviourPlan behaviour(List<BehaviourCheck> rules, String ruleOption) {
        if (rules.isEmpty()) {
            if (probe != null) {
                throw new IllegalArgumentException("--probe: no behaviour rule to judge it; add e.g. " + ruleOption + " 'agreement >= 0.97'");
            }
            return null;
        }
        if (probe == null) {
            throw new IllegalArgumentException(ruleOption + " '" + rules.get(0).metric() + " ...' is a behaviour rule: it needs "
                    + "--probe FILE.jsonl, --probe-stable-url and --probe-canary-url");
        }
        BehaviourPlan plan = new BehaviourPlan(rules, probe.toAbsolutePath().toString(), probeLabel, probeStableUrl,
                probeCanaryUrl, outputKind(), probeThreshold, StageCommand.duration("--probe-timeout", probeTimeout));
        plan.replay();
        return plan;
    }

    /** {@code --probe-output} as the engine takes it (null: auto). */
    OutputKind outputKind() {
        return StageCommand.option("--probe-output", () -> CompareCommand.outputKind(probeOutput));
    }
}
