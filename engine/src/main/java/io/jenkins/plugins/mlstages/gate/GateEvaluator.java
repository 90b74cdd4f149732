package io.jenkins.plugins.mlstages.gate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.jenkins.plugins.mlstages.report.RuleStatus;
import io.jenkins.plugins.mlstages.report.Severity;
import io.jenkins.plugins.mlstages.report.Spelling;

/**
 * Evaluates rules against a {@link GateContext}. First every rule is checked against the context
 * (metric names known, slices present), so that a mistake fails the gate before anything is
 * evaluated; then each rule gives one {@link RuleOutcome}. Undefined values (NaN, a metric not
 * computed, division by zero) fail their rule with an explanation; they never throw.
 */
public final class GateEvaluator {
    /** MLflow's stand-in for "strictly better" when the baseline is 0 (validation.py, {@code _validate}). */
    static final double MLFLOW_ZERO_BASELINE_EPSILON = 1e-10;

    private final GateContext context;
    private final FirstModelPolicy policy;
    private final Map<String, Double> champion;

    private GateEvaluator(GateContext context, FirstModelPolicy policy) {
        this.context = context;
        this.policy = policy;
        this.champion = context.champion().orElse(null);
    }

    /**
     * Evaluates {@code rules} in order.
     *
     * @param policy what rules that need the champion do when the context has none
     * @throws GateException when a rule names an unknown metric or a slice the context lacks, or
     *         quantifies over slices when there are none
     */
    public static GateResult evaluate(List<Rule> rules, GateContext context, FirstModelPolicy policy)
            throws GateException {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(policy, "policy");
        check(rules, context);
        GateEvaluator evaluator = new GateEvaluator(context, policy);
        List<RuleOutcome> outcomes = new ArrayList<>();
        for (Rule rule : rules) {
            outcomes.add(evaluator.evaluate(rule));
        }
        return new GateResult(GateResult.verdictOf(outcomes), outcomes, context.champion().isPresent(), policy);
    }

    /** The checks made before evaluating anything: unknown metrics first (all rules), then slices. */
    static void check(List<Rule> rules, GateContext context) throws GateException {
        Set<String> known = context.knownMetrics();
        for (Rule rule : rules) {
            for (String metric : rule.body().metrics()) {
                if (!known.contains(metric)) {
                    String meant = Spelling.closest(metric, known).map(m -> "; did you mean '" + m + "'? known: ").orElse("; known: ");
                    throw new GateException("unknown metric '" + metric + "' in rule " + rule.number() + meant
                            + (known.isEmpty() ? "none (the evaluation has no metrics)" : String.join(", ", known)));
                }
            }
        }
        for (Rule rule : rules) {
            if (!(rule.body() instanceof RuleBody.Comparison)) {
                continue;
            }
            for (Expr e : ((RuleBody.Comparison) rule.body()).references()) {
                if (!(e instanceof Expr.Ref)) {
                    continue;
                }
                Subject subject = ((Expr.Ref) e).subject();
                if (subject.kind() == Subject.Kind.SLICE && !context.slices().containsKey(subject.sliceKey())) {
                    throw new GateException("no slice '" + subject.sliceKey() + "' in rule " + rule.number() + "; "
                            + sliceList(context));
                }
                if (subject.isQuantifier() && context.slices().isEmpty()) {
                    throw new GateException("rule " + rule.number() + " uses '"
                            + subject.prefix().substring(0, subject.prefix().length() - 1)
                            + "' but the evaluation has no slices");
                }
            }
        }
    }

    private static String sliceList(GateContext context) {
        return context.slices().isEmpty() ? "the evaluation has no slices"
                : "slices: " + String.join(", ", context.slices().keySet());
    }

    private RuleOutcome evaluate(Rule rule) {
        if (rule.body() instanceof RuleBody.MetricThreshold) {
            return threshold(rule, (RuleBody.MetricThreshold) rule.body());
        }
        RuleBody.Comparison c = (RuleBody.Comparison) rule.body();
        if (champion == null && needsMissingChampion(c)) {
            return firstModel(rule, c.op(), observedWithoutChampion(c));
        }
        return c.quantifier() == null ? single(rule, c) : quantified(rule, c);
    }

    /**
     * Whether the rule needs a champion that is not there: a {@code champion.} reference always does; a
     * {@code paired(...)} reference only when the evaluation has no paired interval for it (the champion's
     * predictions on the same rows stand for the champion then).
     */
    private boolean needsMissingChampion(RuleBody.Comparison c) {
        for (Expr e : c.references()) {
            if (e instanceof Expr.Paired && !context.paired().containsKey(((Expr.Paired) e).metric())) {
                return true;
            }
            if (e instanceof Expr.Ref && ((Expr.Ref) e).subject().kind() == Subject.Kind.CHAMPION) {
                return true;
            }
        }
        return false;
    }

    // ---- comparisons -------------------------------------------------------------------------

    /** The two sides of a comparison, for one slice binding; {@code why} is set when either is undefined. */
    private record Sides(Double left, Double right, String why) {
    }

    private Sides sides(RuleBody.Comparison c, String slice) {
        Double left = null;
        Double right = null;
        String why = null;
        try {
            left = value(c.left(), slice);
        } catch (Undefined u) {
            why = u.getMessage();
        }
        try {
            right = value(c.right(), slice);
        } catch (Undefined u) {
            if (why == null) {
                why = u.getMessage();
            }
        }
        return new Sides(left, right, why);
    }

    private RuleOutcome single(Rule rule, RuleBody.Comparison c) {
        Sides s = sides(c, null);
        Double championValue = championValue(c);
        if (s.why() != null) {
            return outcome(rule, RuleStatus.FAILED, c.op(), s.left(), s.right(), championValue, null, null,
                    "cannot evaluate, " + s.why());
        }
        boolean passed = c.op().test(s.left(), s.right());
        double margin = c.op().margin(s.left(), s.right());
        return outcome(rule, passed ? RuleStatus.PASSED : RuleStatus.FAILED, c.op(), s.left(), s.right(),
                championValue, margin, null, versus(s.left(), s.right(), championText(c), margin));
    }

    private static String versus(double observed, double required, String championText, double margin) {
        return Numbers.format(observed) + " vs required " + Numbers.format(required) + championText + ", margin "
                + Numbers.signed(margin);
    }

    /** One slice of a quantified rule. */
    private record SliceResult(String slice, Sides sides, boolean passed, double margin) {
        boolean defined() {
            return sides.why() == null;
        }
    }

    private RuleOutcome quantified(Rule rule, RuleBody.Comparison c) {
        boolean all = c.quantifier().kind() == Subject.Kind.ALL_SLICES;
        Set<String> metrics = new LinkedHashSet<>();
        for (Expr e : c.references()) {
            if (e instanceof Expr.Ref && ((Expr.Ref) e).subject().isQuantifier()) {
                metrics.add(((Expr.Ref) e).metric());
            }
        }
        List<SliceResult> results = new ArrayList<>();
        for (Map.Entry<String, Map<String, Double>> slice : context.slices().entrySet()) {
            if (!slice.getValue().keySet().containsAll(metrics)) {
                continue; // the quantifier ranges over the slices that have the metric
            }
            Sides s = sides(c, slice.getKey());
            boolean passed = s.why() == null && c.op().test(s.left(), s.right());
            double margin = s.why() == null ? c.op().margin(s.left(), s.right()) : Double.NaN;
            results.add(new SliceResult(slice.getKey(), s, passed, margin));
        }
        Double championValue = championValue(c);
        if (results.isEmpty()) {
            return outcome(rule, RuleStatus.FAILED, c.op(), null, null, championValue, null, null,
                    "cannot evaluate, no slice has " + String.join(" and ", metrics));
        }
        int n = results.size();
        long passing = results.stream().filter(SliceResult::passed).count();
        boolean passed = all ? passing == n : passing > 0;
        SliceResult decider = all ? worst(results) : best(results);
        String count;
        if (all) {
            long failing = n - passing;
            count = passed ? (n == 1 ? "the only slice passes" : "all " + n + " slices pass")
                    : failing + " of " + slices(n) + (failing == 1 ? " fails" : " fail");
        } else {
            count = passed ? passing + " of " + slices(n) + (passing == 1 ? " passes" : " pass")
                    : (n == 1 ? "the only slice fails" : "none of the " + n + " slices passes");
        }
        Sides s = decider.sides();
        String detail;
        if (decider.defined()) {
            detail = count + ", " + (all ? "worst " : "best ") + decider.slice() + " "
                    + versus(s.left(), s.right(), championText(c), decider.margin());
        } else {
            detail = count + ", " + decider.slice() + ": cannot evaluate, " + s.why();
        }
        return outcome(rule, passed ? RuleStatus.PASSED : RuleStatus.FAILED, c.op(), s.left(), s.right(),
                championValue, decider.defined() ? decider.margin() : null, decider.slice(), detail);
    }

    private static String slices(int n) {
        return n + (n == 1 ? " slice" : " slices");
    }

    /** The first undefined slice, else the one with the smallest margin (the first of equals). */
    private static SliceResult worst(List<SliceResult> results) {
        SliceResult worst = null;
        for (SliceResult r : results) {
            if (!r.defined()) {
                return r;
            }
            if (worst == null || r.margin() < worst.margin()) {
                worst = r;
            }
        }
        return worst;
    }

    /** The defined slice with the largest margin (the first of equals), else the first slice. */
    private static SliceResult best(List<SliceResult> results) {
        SliceResult best = null;
        for (SliceResult r : results) {
            if (r.defined() && (best == null || r.margin() > best.margin())) {
                best = r;
            }
        }
        return best != null ? best : results.get(0);
    }

    // ---- values ------------------------------------------------------------------------------

    /** A value that cannot be computed; its message completes "cannot evaluate, ...". */
    private static final class Undefined extends Exception {
        private static final long serialVersionUID = 1L;

        Undefined(String reason) {
            super(reason, null, false, false);
        }
    }

    private double value(Expr e, String slice) throws Undefined {
        if (e instanceof Expr.Num) {
            return ((Expr.Num) e).value();
        }
        if (e instanceof Expr.Neg) {
            return -value(((Expr.Neg) e).operand(), slice);
        }
        if (e instanceof Expr.Binary) {
            Expr.Binary b = (Expr.Binary) e;
            double left = value(b.left(), slice);
            double right = value(b.right(), slice);
            double result;
            switch (b.op()) {
                case '+':
                    result = left + right;
                    break;
                case '-':
                    result = left - right;
                    break;
                case '*':
                    result = left * right;
                    break;
                default:
                    if (right == 0) {
                        throw new Undefined("division by zero in '" + b + "'"
                                + (b.right() instanceof Expr.Num ? "" : " (" + b.right() + " is 0)"));
                    }
                    result = left / right;
            }
            if (Double.isNaN(result)) {
                throw new Undefined("'" + b + "' is NaN (" + Numbers.format(left) + " " + b.op() + " "
                        + Numbers.format(right) + ")");
            }
            return result;
        }
        if (e instanceof Expr.Paired) {
            Expr.Paired p = (Expr.Paired) e;
            Interval interval = context.paired().get(p.metric());
            if (interval == null) {
                throw new Undefined("no paired interval for " + p.metric()
                        + " (needs the champion's predictions on the same rows)");
            }
            return defined(p.bound().of(interval), p.toString());
        }
        return reference((Expr.Ref) e, slice);
    }

    private double reference(Expr.Ref ref, String slice) throws Undefined {
        String metric = ref.metric();
        switch (ref.subject().kind()) {
            case CANDIDATE: {
                if (ref.bound() == Bound.VALUE) {
                    Double v = context.metrics().get(metric);
                    if (v == null) {
                        throw new Undefined("no value for " + metric);
                    }
                    return defined(v, metric);
                }
                Interval interval = context.intervals().get(metric);
                if (interval == null) {
                    throw new Undefined("no confidence interval for " + metric);
                }
                return defined(ref.bound().of(interval), ref.toString());
            }
            case CHAMPION: {
                Double v = champion.get(metric);
                if (v == null) {
                    throw new Undefined("the champion has no " + metric);
                }
                return defined(v, ref.toString());
            }
            case SLICE:
                return sliceValue(ref.subject().sliceKey(), metric);
            default:
                return sliceValue(slice, metric);
        }
    }

    private double sliceValue(String slice, String metric) throws Undefined {
        Double v = context.slices().get(slice).get(metric);
        if (v == null) {
            throw new Undefined("slice " + slice + " has no " + metric);
        }
        return defined(v, "slice[" + slice + "]." + metric);
    }

    private static double defined(double value, String name) throws Undefined {
        if (Double.isNaN(value)) {
            throw new Undefined(name + " is NaN (undefined)");
        }
        return value;
    }

    /** The left side of a rule that needs the champion when there is none, if it can be computed. */
    private Double observedWithoutChampion(RuleBody.Comparison c) {
        List<Expr> leftRefs = new ArrayList<>();
        c.left().forEach(e -> {
            if (e instanceof Expr.Ref || e instanceof Expr.Paired) {
                leftRefs.add(e);
            }
        });
        for (Expr e : leftRefs) {
            if (RuleBody.Comparison.championReference(e) || ((e instanceof Expr.Ref) && ((Expr.Ref) e).subject().isQuantifier())) {
                return null;
            }
        }
        try {
            return value(c.left(), null);
        } catch (Undefined u) {
            return null;
        }
    }

    // ---- champion ----------------------------------------------------------------------------

    /** The champion's values of the metrics the rule compares with it, in the order written. */
    private Map<String, Double> championValues(RuleBody.Comparison c) {
        Map<String, Double> values = new LinkedHashMap<>();
        if (champion == null) {
            return values;
        }
        for (Expr e : c.references()) {
            if (RuleBody.Comparison.championReference(e)) {
                String metric = e instanceof Expr.Ref ? ((Expr.Ref) e).metric() : ((Expr.Paired) e).metric();
                Double v = champion.get(metric);
                if (v != null) {
                    values.putIfAbsent(metric, v);
                }
            }
        }
        return values;
    }

    private Double championValue(RuleBody.Comparison c) {
        Map<String, Double> values = championValues(c);
        return values.isEmpty() ? null : values.values().iterator().next();
    }

    private String championText(RuleBody.Comparison c) {
        return championText(championValues(c));
    }

    /** {@code  (champion 0.8400)}, or {@code  (champion f1_score 0.8400, log_loss 0.3000)} for several. */
    private static String championText(Map<String, Double> values) {
        if (values.isEmpty()) {
            return "";
        }
        if (values.size() == 1) {
            return " (champion " + Numbers.format(values.values().iterator().next()) + ")";
        }
        List<String> parts = new ArrayList<>();
        values.forEach((metric, v) -> parts.add(metric + " " + Numbers.format(v)));
        return " (champion " + String.join(", ", parts) + ")";
    }

    // ---- first model -------------------------------------------------------------------------

    private RuleStatus policyStatus() {
        switch (policy) {
            case PASS:
                return RuleStatus.PASSED;
            case FAIL:
                return RuleStatus.FAILED;
            default:
                return RuleStatus.SKIPPED;
        }
    }

    private String policyVerb() {
        switch (policy) {
            case PASS:
                return "passes";
            case FAIL:
                return "fails";
            default:
                return "skipped";
        }
    }

    private RuleOutcome firstModel(Rule rule, Op op, Double observed) {
        String note = "no champion yet, " + policyVerb() + " under first-model policy " + policy
                + (observed == null ? "" : " (observed " + Numbers.format(observed) + ")");
        return outcome(rule, policyStatus(), op, observed, null, null, null, null, note);
    }

    // ---- threshold(...) ----------------------------------------------------------------------

    /** One requirement of a threshold(...) rule. */
    private record Part(String name, Op op, double required, boolean passed, double margin, String note) {
        @Override
        public String toString() {
            return name + " " + op + " " + Numbers.format(required) + note + (passed ? " passed" : " failed");
        }
    }

    /**
     * MLflow's {@code _validate} (mlflow/models/evaluation/validation.py, as in MLflow 3.17.2) for one
     * metric, except where MLflow raises or passes by accident: a NaN candidate or champion value fails
     * the rule (MLflow raises decimal.InvalidOperation on the absolute change and passes the relative
     * change), and a missing champion follows the first-model policy (MLflow fails the comparison,
     * which is {@link FirstModelPolicy#FAIL}).
     */
    private RuleOutcome threshold(Rule rule, RuleBody.MetricThreshold t) {
        String metric = t.metric();
        Op op = t.op();
        boolean gib = t.greaterIsBetter();
        boolean needsChampion = t.referencesChampion();
        if (needsChampion && champion == null && t.threshold() == null) {
            Double c = context.metrics().get(metric);
            return firstModel(rule, op, c == null || c.isNaN() ? null : c);
        }
        Double candidate = context.metrics().get(metric);
        if (candidate == null || candidate.isNaN()) {
            return outcome(rule, RuleStatus.FAILED, op, candidate, null, null, null, null,
                    "cannot evaluate, " + (candidate == null ? "no value for " + metric : metric + " is NaN (undefined)"));
        }
        double c = candidate;
        List<Part> parts = new ArrayList<>();
        if (t.threshold() != null) {
            // threshold_failed = not comparator_fn(candidate, threshold); comparator_fn = >= or <=
            parts.add(part("threshold", op, c, t.threshold(), ""));
        }
        Double baseline = null;
        String note = null;
        if (needsChampion && champion == null) {
            List<String> changes = new ArrayList<>();
            if (t.minAbsoluteChange() != null) {
                changes.add("min_absolute_change");
            }
            if (t.minRelativeChange() != null) {
                changes.add("min_relative_change");
            }
            boolean one = changes.size() == 1;
            String verb = policy == FirstModelPolicy.PASS ? (one ? "passes" : "pass")
                    : policy == FirstModelPolicy.FAIL ? (one ? "fails" : "fail") : "skipped";
            note = "no champion yet, " + String.join(" and ", changes) + " " + verb + " under first-model policy "
                    + policy;
        } else if (needsChampion) {
            baseline = champion.get(metric);
            if (baseline == null || baseline.isNaN()) {
                String why = baseline == null ? "the champion has no " + metric : "champion." + metric + " is NaN (undefined)";
                return outcome(rule, RuleStatus.FAILED, op, c, null, baseline, null, null, "cannot evaluate, " + why);
            }
            double b = baseline;
            if (t.minAbsoluteChange() != null) {
                // not comparator_fn(candidate, operator_fn(baseline, min_absolute_change)); operator_fn = + or -
                double d = t.minAbsoluteChange();
                parts.add(part("min_absolute_change", op, c, gib ? b + d : b - d, ""));
            }
            if (t.minRelativeChange() != null) {
                parts.add(relative(op, gib, c, b, t.minRelativeChange()));
            }
        }
        boolean passed = parts.stream().allMatch(Part::passed);
        RuleStatus status = passed ? RuleStatus.PASSED : RuleStatus.FAILED;
        if (note != null && policy == FirstModelPolicy.FAIL) {
            status = RuleStatus.FAILED;
        }
        Part binding = binding(parts);
        StringBuilder detail = new StringBuilder(versus(c, binding.required(),
                baseline == null ? "" : " (champion " + Numbers.format(baseline) + ")", binding.margin()));
        if (parts.size() > 1 || !parts.get(0).note().isEmpty()) {
            detail.append("; ");
            for (int i = 0; i < parts.size(); i++) {
                detail.append(i == 0 ? "" : ", ").append(parts.get(i));
            }
        }
        if (note != null) {
            detail.append("; ").append(note);
        }
        return outcome(rule, status, op, c, binding.required(), baseline, binding.margin(), null, detail.toString());
    }

    private static Part part(String name, Op op, double candidate, double required, String note) {
        return new Part(name, op, required, op.test(candidate, required), op.margin(candidate, required), note);
    }

    /**
     * MLflow: if baseline == 0, fail unless candidate is better by 1e-10; else relative_change =
     * (candidate − baseline) / |baseline| when greater is better, (baseline − candidate) / |baseline|
     * otherwise, failed when relative_change &lt; min_relative_change. (MLflow before 3.x divided by the
     * signed baseline, which reversed the test for a negative baseline such as an r2_score.)
     */
    private static Part relative(Op op, boolean gib, double c, double b, double r) {
        if (b == 0) {
            double required = gib ? b + MLFLOW_ZERO_BASELINE_EPSILON : b - MLFLOW_ZERO_BASELINE_EPSILON;
            return part("min_relative_change", op, c, required, " (champion is 0: strictly better)");
        }
        double scale = Math.abs(b);
        double change = gib ? (c - b) / scale : (b - c) / scale;
        boolean passed = change >= r; // MLflow: failed = relative_change < r; here NaN (inf - inf) fails too
        double required = gib ? b + r * scale : b - r * scale;
        double margin = (change - r) * scale;
        return new Part("min_relative_change", op, required, passed, margin, "");
    }

    /** The failing part with the smallest margin, else the passing one with the smallest margin. */
    private static Part binding(List<Part> parts) {
        Part binding = null;
        for (Part p : parts) {
            if (binding == null || rank(p, binding) < 0) {
                binding = p;
            }
        }
        return binding;
    }

    private static int rank(Part a, Part b) {
        if (a.passed() != b.passed()) {
            return a.passed() ? 1 : -1;
        }
        if (Double.isNaN(a.margin()) || Double.isNaN(b.margin())) {
            return Double.isNaN(a.margin()) && !Double.isNaN(b.margin()) ? -1 : 0;
        }
        return Double.compare(a.margin(), b.margin()) < 0 ? -1 : 0;
    }

    // ---- outcome -----------------------------------------------------------------------------

    private static RuleOutcome outcome(Rule rule, RuleStatus status, Op op, Double observed, Double required,
            Double championValue, Double margin, String slice, String detail) {
        String explanation = status.word() + " " + rule.text() + ": " + detail;
        Severity severity = rule.severity();
        return new RuleOutcome(rule.number(), rule.text(), severity, status, op.symbol(), observed, required,
                championValue, margin, slice, explanation);
    }
}
