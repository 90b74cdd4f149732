package io.jenkins.plugins.mlstages.deploy.behaviour;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Sends every row of a probe to both versions and compares their answers: a behaviour comparison before
 * any user traffic (the {@code compare} command), at each canary step, or as shadow mode's fallback where
 * the router cannot mirror. Rows go one at a time, to one version then the other; which goes first
 * alternates row by row, so neither version always meets a cold cache or a busy machine first.
 */
public final class ReplayProbe {
    private final ProbeFile probe;
    private final OutputKind kind;
    private final double threshold;

    /**
     * @param kind how to compare outputs; null to decide from the first answers ({@link BehaviourComparison})
     * @param threshold the decision threshold on scores
     */
    public ReplayProbe(ProbeFile probe, OutputKind kind, double threshold) {
        this.probe = Objects.requireNonNull(probe, "probe");
        this.kind = kind;
        this.threshold = threshold;
        new BehaviourComparison(kind, threshold, 1); // refuses a bad threshold now, not at the first analysis
    }

    public ProbeFile probe() {
        return probe;
    }

    /**
     * @throws InterruptedException when interrupted between rows (a Jenkins abort)
     */
    public ProbeResult run(ModelEndpoint live, ModelEndpoint candidate) throws InterruptedException {
        BehaviourComparison comparison = new BehaviourComparison(kind, threshold, BehaviourComparison.DEFAULT_CAPACITY);
        List<PairedAnswer> pairs = new ArrayList<>(probe.rows().size());
        for (int i = 0; i < probe.rows().size(); i++) {
            if (Thread.interrupted()) {
                throw new InterruptedException("probe interrupted at row " + (i + 1));
            }
            String row = probe.rows().get(i);
            Answer first;
            Answer second;
            if (i % 2 == 0) {
                first = live.answer(row);
                second = candidate.answer(row);
            } else {
                second = candidate.answer(row);
                first = live.answer(row);
            }
            PairedAnswer pair = new PairedAnswer("row " + (i + 1), first, second);
            comparison.add(pair);
            if (probe.labelled()) {
                pairs.add(pair);
            }
        }
        BehaviourSummary summary = comparison.summary();
        return new ProbeResult(live.describe(), candidate.describe(), summary,
                probe.labelled() ? labelled(pairs, summary) : null);
    }

    private LabelledSummary labelled(List<PairedAnswer> pairs, BehaviourSummary summary) {
        OutputKind compared = summary.kind();
        List<String> labels = new ArrayList<>();
        List<String> live = new ArrayList<>();
        List<String> candidate = new ArrayList<>();
        List<double[]> scores = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            PairedAnswer pair = pairs.get(i);
            if (compared == null || !usable(pair.live(), compared) || !usable(pair.candidate(), compared)) {
                continue;
            }
            labels.add(probe.labels().get(i));
            live.add(decision(pair.live(), compared));
            candidate.add(decision(pair.candidate(), compared));
            if (compared == OutputKind.SCORE) {
                scores.add(new double[] {pair.live().score(), pair.candidate().score()});
            }
        }
        double[] liveScores = null;
        double[] candidateScores = null;
        if (compared == OutputKind.SCORE) {
            liveScores = scores.stream().mapToDouble(s -> s[0]).toArray();
            candidateScores = scores.stream().mapToDouble(s -> s[1]).toArray();
        }
        return LabelledSummary.of(labels, live, candidate, liveScores, candidateScores);
    }

    private static boolean usable(Answer answer, OutputKind kind) {
        return answer.ok() && (kind != OutputKind.SCORE || answer.score() != null);
    }

    private String decision(Answer answer, OutputKind kind) {
        if (kind == OutputKind.SCORE) {
            return answer.score() >= threshold ? "1" : "0";
        }
        return BehaviourComparison.label(answer);
    }
}
