package io.jenkins.plugins.mlstages.gate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What a rule says, after its severity: a comparison, or an MLflow-style {@code threshold(...)}. */
public sealed interface RuleBody extends Serializable {

    /** Whether the rule needs the champion (its metrics, or the paired intervals). */
    boolean referencesChampion();

    /** Every metric name the rule reads, in the order written. */
    List<String> metrics();

    /** {@code left op right}. */
    record Comparison(Expr left, Op op, Expr right) implements RuleBody {
        public Comparison {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(right, "right");
        }

        /** Every metric reference and paired(...) of both sides, in the order written. */
        public List<Expr> references() {
            List<Expr> refs = new ArrayList<>();
            left.forEach(e -> addReference(refs, e));
            right.forEach(e -> addReference(refs, e));
            return refs;
        }

        private static void addReference(List<Expr> refs, Expr e) {
            if (e instanceof Expr.Ref || e instanceof Expr.Paired) {
                refs.add(e);
            }
        }

        @Override
        public boolean referencesChampion() {
            return references().stream().anyMatch(Comparison::championReference);
        }

        static boolean championReference(Expr e) {
            return e instanceof Expr.Paired
                    || e instanceof Expr.Ref && ((Expr.Ref) e).subject().kind() == Subject.Kind.CHAMPION;
        }

        /** {@link Subject#ALL_SLICES}, {@link Subject#ANY_SLICE}, or null when no reference is quantified. */
        public Subject quantifier() {
            for (Expr e : references()) {
                if (e instanceof Expr.Ref && ((Expr.Ref) e).subject().isQuantifier()) {
                    return ((Expr.Ref) e).subject();
                }
            }
            return null;
        }

        @Override
        public List<String> metrics() {
            List<String> names = new ArrayList<>();
            for (Expr e : references()) {
                names.add(e instanceof Expr.Ref ? ((Expr.Ref) e).metric() : ((Expr.Paired) e).metric());
            }
            return names;
        }

        @Override
        public String toString() {
            return left + " " + op + " " + right;
        }
    }

    /**
     * MLflow's {@code MetricThreshold} for one metric (mlflow/models/evaluation/validation.py): the
     * candidate must reach {@code threshold} and beat the champion by {@code minAbsoluteChange} and by
     * {@code minRelativeChange} of the champion's value, upwards when {@code greaterIsBetter}, else
     * downwards. Null arguments are not checked; at least one of the three is set.
     */
    record MetricThreshold(String metric, Double threshold, Double minAbsoluteChange, Double minRelativeChange,
            boolean greaterIsBetter) implements RuleBody {
        public MetricThreshold {
            Objects.requireNonNull(metric, "metric");
            if (threshold == null && minAbsoluteChange == null && minRelativeChange == null) {
                throw new IllegalArgumentException("no threshold was specified");
            }
            if (minAbsoluteChange != null && !(minAbsoluteChange > 0)) {
                throw new IllegalArgumentException("min_absolute_change must be a positive number");
            }
            if (minRelativeChange != null && !(minRelativeChange >= 0 && minRelativeChange <= 1)) {
                throw new IllegalArgumentException("min_relative_change must be between 0 and 1");
            }
        }

        @Override
        public boolean referencesChampion() {
            return minAbsoluteChange != null || minRelativeChange != null;
        }

        @Override
        public List<String> metrics() {
            return List.of(metric);
        }

        /** {@code >=} when greater is better, else {@code <=}. */
        public Op op() {
            return greaterIsBetter ? Op.GE : Op.LE;
        }
    }
}
