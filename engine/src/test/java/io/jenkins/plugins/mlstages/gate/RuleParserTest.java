package io.jenkins.plugins.mlstages.gate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

import io.jenkins.plugins.mlstages.gate.Expr.Binary;
import io.jenkins.plugins.mlstages.gate.Expr.Neg;
import io.jenkins.plugins.mlstages.gate.Expr.Num;
import io.jenkins.plugins.mlstages.gate.Expr.Paired;
import io.jenkins.plugins.mlstages.gate.Expr.Ref;
import io.jenkins.plugins.mlstages.gate.RuleBody.Comparison;
import io.jenkins.plugins.mlstages.gate.RuleBody.MetricThreshold;
import io.jenkins.plugins.mlstages.report.Severity;

public class RuleParserTest {

    private static Comparison comparison(String rule) throws RuleSyntaxException {
        return (Comparison) RuleParser.parse(1, rule).body();
    }

    private static Expr left(String rule) throws RuleSyntaxException {
        return comparison(rule).left();
    }

    private static Ref ref(String metric) {
        return Ref.candidate(metric);
    }

    private static Num num(String text) {
        return Num.of(text);
    }

    @Test
    public void simpleComparison() throws Exception {
        Rule rule = RuleParser.parse(3, "  roc_auc >= 0.85  ");
        assertEquals(3, rule.number());
        assertEquals("roc_auc >= 0.85", rule.text());
        assertEquals(Severity.ERROR, rule.severity());
        assertEquals(new Comparison(ref("roc_auc"), Op.GE, num("0.85")), rule.body());
        assertEquals(List.of("roc_auc"), rule.body().metrics());
        assertFalse(rule.body().referencesChampion());
    }

    @Test
    public void everyComparisonOperator() throws Exception {
        String[] symbols = {">=", "<=", ">", "<", "==", "!="};
        Op[] ops = {Op.GE, Op.LE, Op.GT, Op.LT, Op.EQ, Op.NE};
        for (int i = 0; i < symbols.length; i++) {
            assertEquals(ops[i], comparison("f1_score " + symbols[i] + " 0.5").op());
            assertEquals(ops[i], comparison("f1_score" + symbols[i] + "0.5").op());
        }
    }

    @Test
    public void severities() throws Exception {
        assertEquals(Severity.ERROR, RuleParser.parse(1, "error: roc_auc >= 0.85").severity());
        assertEquals(Severity.WARNING, RuleParser.parse(1, "warning: roc_auc >= 0.85").severity());
        assertEquals(Severity.WARNING, RuleParser.parse(1, "WARNING : roc_auc >= 0.85").severity());
        assertEquals(Severity.ERROR, RuleParser.parse(1, "Error:roc_auc >= 0.85").severity());
        assertEquals("warning: roc_auc >= 0.85", RuleParser.parse(1, "warning: roc_auc >= 0.85").text());
    }

    @Test
    public void numbers() throws Exception {
        assertEquals(new Num(2, "2"), comparison("a >= 2").right());
        assertEquals(new Num(0.5, ".5"), comparison("a >= .5").right());
        assertEquals(new Num(1e-3, "1e-3"), comparison("a >= 1e-3").right());
        assertEquals(new Num(250, "2.5E+2"), comparison("a >= 2.5E+2").right());
        assertEquals(new Num(0.001, "0.001"), comparison("a >= 0.001").right());
    }

    @Test
    public void metricNames() throws Exception {
        assertEquals(ref("root_mean_squared_error"), left("root_mean_squared_error <= 3"));
        assertEquals(ref("_private2"), left("_private2 <= 3"));
        assertEquals(ref("F1"), left("F1 <= 3"));
        // 'threshold' and 'paired' are metric names unless followed by '('
        assertEquals(ref("threshold"), left("threshold >= 0.5"));
        assertEquals(ref("paired"), left("paired >= 0.5"));
        assertEquals(Ref.champion("threshold"), left("champion.threshold >= 0.5"));
    }

    @Test
    public void championReference() throws Exception {
        Comparison c = comparison("f1_score >= champion.f1_score - 0.01");
        assertEquals(new Binary(Ref.champion("f1_score"), '-', num("0.01")), c.right());
        assertTrue(c.referencesChampion());
        assertEquals(List.of("f1_score", "f1_score"), c.metrics());
    }

    @Test
    public void sliceReference() throws Exception {
        Ref r = (Ref) left("slice[region=EU].recall_score >= 0.8");
        assertEquals(Subject.slice("region", "EU"), r.subject());
        assertEquals("region=EU", r.subject().sliceKey());
        assertEquals("recall_score", r.metric());
        assertEquals("slice[region=EU].recall_score", r.toString());
    }

    @Test
    public void sliceSelectorSpacesAndQuotes() throws Exception {
        assertEquals("region=North America",
                ((Ref) left("slice[ region = North America ].recall_score >= 0.8")).subject().sliceKey());
        assertEquals("segment=a]b", ((Ref) left("slice[segment=\"a]b\"].recall_score >= 0.8")).subject().sliceKey());
        assertEquals("segment= padded ", ((Ref) left("slice[segment=' padded '].recall_score >= 0.8")).subject().sliceKey());
        assertEquals("age=18-25", ((Ref) left("slice[age=18-25].recall_score >= 0.8")).subject().sliceKey());
        assertEquals("slice[segment=\" padded \"].recall_score",
                left("slice[segment=' padded '].recall_score >= 0.8").toString());
    }

    @Test
    public void quantifiers() throws Exception {
        Comparison all = comparison("all slices.recall_score >= 0.8");
        assertEquals(new Ref(Subject.ALL_SLICES, "recall_score", Bound.VALUE), all.left());
        assertSame(Subject.ALL_SLICES, all.quantifier());
        Comparison any = comparison("any slice.recall_score >= 0.9 * recall_score");
        assertEquals(Subject.ANY_SLICE, any.quantifier());
        assertEquals(new Binary(num("0.9"), '*', ref("recall_score")), any.right());
        assertNull(comparison("recall_score >= 0.8").quantifier());
        // both sides may use the same quantifier: they read the same slice
        assertEquals(Subject.ALL_SLICES, comparison("all slices.recall_score >= all slices.precision_score - 0.1").quantifier());
    }

    @Test
    public void confidenceBounds() throws Exception {
        Comparison c = comparison("f1_score.lower >= champion.f1_score");
        assertEquals(new Ref(Subject.CANDIDATE, "f1_score", Bound.LOWER), c.left());
        assertEquals(new Ref(Subject.CANDIDATE, "log_loss", Bound.UPPER), left("log_loss.upper <= 0.4"));
        assertEquals("f1_score.lower", c.left().toString());
    }

    @Test
    public void paired() throws Exception {
        Comparison c = comparison("paired(f1_score) >= -0.01");
        assertEquals(new Paired("f1_score", Bound.LOWER), c.left());
        assertEquals(new Neg(num("0.01")), c.right());
        assertTrue(c.referencesChampion());
        assertEquals(new Paired("f1_score", Bound.UPPER), left("paired( f1_score ).upper <= 0.05"));
        assertEquals(new Paired("f1_score", Bound.LOWER), left("paired(f1_score).lower >= 0"));
        assertEquals("paired(f1_score)", left("paired(f1_score).lower >= 0").toString());
        assertEquals("paired(f1_score).upper", left("paired(f1_score).upper >= 0").toString());
    }

    @Test
    public void precedenceMultiplicationBeforeAddition() throws Exception {
        assertEquals(new Binary(ref("a"), '+', new Binary(ref("b"), '*', ref("c"))), left("a + b * c >= 0"));
        assertEquals(new Binary(new Binary(ref("a"), '*', ref("b")), '+', ref("c")), left("a * b + c >= 0"));
        assertEquals(new Binary(ref("a"), '-', new Binary(ref("b"), '/', ref("c"))), left("a - b / c >= 0"));
    }

    @Test
    public void leftAssociativity() throws Exception {
        assertEquals(new Binary(new Binary(ref("a"), '-', ref("b")), '-', ref("c")), left("a - b - c >= 0"));
        assertEquals(new Binary(new Binary(ref("a"), '/', ref("b")), '/', ref("c")), left("a / b / c >= 0"));
    }

    @Test
    public void parentheses() throws Exception {
        assertEquals(new Binary(new Binary(ref("a"), '+', ref("b")), '*', ref("c")), left("(a + b) * c >= 0"));
        assertEquals(new Binary(ref("a"), '-', new Binary(ref("b"), '-', ref("c"))), left("a - (b - c) >= 0"));
        assertEquals(ref("a"), left("((a)) >= 0"));
    }

    @Test
    public void unaryMinusBindsTighterThanMultiplication() throws Exception {
        assertEquals(new Binary(new Neg(ref("a")), '*', ref("b")), left("-a * b >= 0"));
        assertEquals(new Neg(new Neg(num("2"))), left("--2 >= 0"));
        assertEquals(new Binary(ref("a"), '-', new Neg(num("1"))), left("a - -1 >= 0"));
        assertEquals(new Neg(new Binary(ref("a"), '+', ref("b"))), left("-(a + b) >= 0"));
    }

    @Test
    public void writesBackWithTheParenthesesItNeeds() throws Exception {
        String[] canonical = {"a + b * c", "(a + b) * c", "a - (b - c)", "a - b - c", "a / (b * c)", "a * b / c",
            "-(a + b)", "-a * b", "champion.log_loss * 1.02", "slice[region=EU].recall_score - 0.05",
            "all slices.recall_score", "any slice.f1_score", "paired(f1_score).upper", "f1_score.lower"};
        for (String text : canonical) {
            assertEquals(text, left(text + " >= 0").toString());
        }
        assertEquals("a + b", left("(a + b) >= 0").toString());
        assertEquals("a * b * c", left("(a * b) * c >= 0").toString());
        assertEquals("f1_score >= champion.f1_score - 0.01", comparison("f1_score>=champion.f1_score-0.01").toString());
    }

    @Test
    public void thresholdForm() throws Exception {
        Rule rule = RuleParser.parse(1, "threshold(metric=f1_score, threshold=0.8, min_absolute_change=0.01, "
                + "min_relative_change=0.02, greater_is_better=true)");
        assertEquals(new MetricThreshold("f1_score", 0.8, 0.01, 0.02, true), rule.body());
        assertTrue(rule.body().referencesChampion());
        assertEquals(Op.GE, ((MetricThreshold) rule.body()).op());
    }

    @Test
    public void thresholdFormVariants() throws Exception {
        assertEquals(new MetricThreshold("log_loss", 0.3, null, null, false),
                RuleParser.parse(1, "warning: threshold(greater_is_better=False, threshold=0.3, metric=log_loss,)").body());
        assertEquals(new MetricThreshold("r2_score", -0.5, null, null, true),
                RuleParser.parse(1, "threshold(metric=r2_score, threshold=-0.5, greater_is_better=True)").body());
        assertEquals(new MetricThreshold("f1_score", null, null, 1.0, true),
                RuleParser.parse(1, "threshold(metric=f1_score, min_relative_change=1, greater_is_better=true)").body());
        assertEquals(new MetricThreshold("f1_score", null, null, 0.0, true),
                RuleParser.parse(1, "threshold(metric=f1_score, min_relative_change=0.0, greater_is_better=true)").body());
        MetricThreshold absolute = (MetricThreshold) RuleParser.parse(1,
                "threshold(metric=mean_squared_error, threshold=2, greater_is_better=false)").body();
        assertFalse(absolute.referencesChampion());
        assertEquals(Op.LE, absolute.op());
        assertEquals(Severity.WARNING, RuleParser.parse(1, "warning: threshold(metric=a, threshold=1, greater_is_better=true)").severity());
    }

    @Test
    public void parseAllNumbersRules() throws Exception {
        List<Rule> rules = RuleParser.parseAll(List.of("roc_auc >= 0.85", "warning: f1_score >= 0.7"));
        assertEquals(1, rules.get(0).number());
        assertEquals(2, rules.get(1).number());
        assertEquals(Severity.WARNING, rules.get(1).severity());
    }

    @Test
    public void tabsAreWhiteSpace() throws Exception {
        assertEquals(new Comparison(ref("roc_auc"), Op.GE, num("0.85")), comparison("roc_auc\t>=\t0.85"));
    }
}
