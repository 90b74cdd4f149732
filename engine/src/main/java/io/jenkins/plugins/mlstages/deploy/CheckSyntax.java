package io.jenkins.plugins.mlstages.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourCheck;

/**
 * Analysis checks as written on a command line or in a Jenkinsfile:
 * <pre>
 *   error_rate: sum(rate(errors{version="canary"}[1m])) / sum(rate(requests{version="canary"}[1m])) &lt;= 0.01
 *   throughput: sum(rate(requests{version="canary"}[1m])) &gt;= 1
 *   score_mean: 0.2 &lt;= avg(prediction_score{version="canary"}) &lt;= 0.8
 * </pre>
 * A name, a colon and a space, the PromQL query, and its bounds at the end ({@code <=} and {@code >=}
 * only: bounds are inclusive). A stable query ({@code NAME: QUERY}) given for the same name makes
 * the check relative: the bounds then apply to {@code canary − stable}.
 *
 * <p>Behaviour rules have no name and no query: a behaviour metric ({@link BehaviourCheck#METRICS}) and
 * its bounds, judged on the comparison of both versions' answers to the same requests:
 * <pre>
 *   agreement &gt;= 0.97
 *   prediction_psi &lt;= 0.1
 *   0 &lt;= mean_abs_diff &lt;= 0.05
 * </pre>
 * A text with a name ({@code NAME: }) is always a Prometheus check; one without a name is a behaviour rule.
 */
public final class CheckSyntax {
    private static final String NUMBER = "([-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?)";
    private static final Pattern NAMED = Pattern.compile("\\s*([A-Za-z0-9_.-]+):\\s+(.*\\S)\\s*", Pattern.DOTALL);
    private static final Pattern RANGE = Pattern.compile(NUMBER + "\\s*<=\\s*(.+?)\\s*<=\\s*" + NUMBER, Pattern.DOTALL);
    private static final Pattern AT_MOST = Pattern.compile("(.+?)\\s*<=\\s*" + NUMBER, Pattern.DOTALL);
    private static final Pattern AT_LEAST = Pattern.compile("(.+?)\\s*>=\\s*" + NUMBER, Pattern.DOTALL);
    private static final Pattern STRICT_SUBJECT = Pattern.compile("(?:" + NUMBER + "\\s*<\\s*)?([A-Za-z0-9_]+)\\s*[<>].*",
            Pattern.DOTALL);
    private static final Pattern STRICT = Pattern.compile(".*[<>]\\s*" + NUMBER, Pattern.DOTALL);
    /**
     * Longest check or stable query accepted: PromQL a person writes is far shorter, and the patterns
     * below backtrack, so that a megabyte of input would take hours rather than fail.
     */
    static final int MAX_LENGTH = 4096;
    private static final Pattern NAME_PREFIX = Pattern.compile("\\s*([A-Za-z0-9_.-]{1,64}):");
    private static final String ANALYSIS = "analysis";
    private static final String STABLE_QUERY = "stableQuery";
    private static final String FORM = "write 'NAME: QUERY <= MAX', 'NAME: QUERY >= MIN' or 'NAME: MIN <= QUERY <= MAX'";
    private static final String BEHAVIOUR_FORM = "a behaviour rule is 'METRIC >= MIN', 'METRIC <= MAX' or "
            + "'MIN <= METRIC <= MAX' with METRIC one of " + String.join(", ", BehaviourCheck.METRICS);

    /** Checks as written, split by kind: Prometheus checks and behaviour rules, each in the order given. */
    public record Checks(List<AnalysisCheck> queries, List<BehaviourCheck> behaviour) {
        public Checks {
            queries = List.copyOf(queries);
            behaviour = List.copyOf(behaviour);
        }
    }

    /**
     * Prometheus checks ({@code NAME: QUERY bounds}, with their stable queries) and behaviour rules
     * ({@code METRIC bounds}) from one list, as {@code --analysis} and {@code analysis} take them.
     *
     * @throws CanarySettingException as {@link #parse(List, List)}, or when a behaviour rule is given twice
     *         for the same metric or shares its name with a Prometheus check
     */
    public static Checks parseAll(List<String> checks, List<String> stableQueries) {
        List<String> queries = new ArrayList<>();
        List<BehaviourCheck> behaviour = new ArrayList<>();
        for (String text : checks) {
            if (isBehaviour(text)) {
                BehaviourCheck rule = parseBehaviour(text);
                if (behaviour.stream().anyMatch(b -> b.metric().equals(rule.metric()))) {
                    throw new CanarySettingException(ANALYSIS, "two behaviour rules on '" + rule.metric()
                            + "': write one, with both bounds if needed ('MIN <= " + rule.metric() + " <= MAX')");
                }
                behaviour.add(rule);
            } else if (text != null && text.length() <= MAX_LENGTH && !NAMED.matcher(text).matches()) {
                throw new CanarySettingException(ANALYSIS, "analysis check '" + text + "' has no name and is not a "
                        + "behaviour rule: " + FORM + "; " + BEHAVIOUR_FORM);
            } else {
                queries.add(text);
            }
        }
        List<AnalysisCheck> parsed = parse(queries, stableQueries);
        for (AnalysisCheck check : parsed) {
            if (behaviour.stream().anyMatch(b -> b.metric().equals(check.name()))) {
                throw new CanarySettingException(ANALYSIS, "analysis check '" + check.name()
                        + "' has the name of a behaviour rule: name the Prometheus check otherwise");
            }
        }
        return new Checks(parsed, behaviour);
    }

    /** Whether the text is a behaviour rule: no {@code NAME: } prefix, and a behaviour metric as its subject. */
    public static boolean isBehaviour(String text) {
        if (text == null || text.length() > MAX_LENGTH || NAMED.matcher(text).matches()) {
            return false;
        }
        String subject = subject(text.strip());
        return subject != null && BehaviourCheck.METRICS.contains(subject);
    }

    /**
     * One behaviour rule, e.g. {@code agreement >= 0.97}.
     *
     * @throws CanarySettingException (setting {@code analysis}) when the text is not one
     */
    public static BehaviourCheck parseBehaviour(String text) {
        requireLength(ANALYSIS, "behaviour rule", text);
        String body = text == null ? "" : text.strip();
        Matcher range = RANGE.matcher(body);
        Matcher atMost = AT_MOST.matcher(body);
        Matcher atLeast = AT_LEAST.matcher(body);
        try {
            if (range.matches()) {
                String metric = range.group(2).strip();
                return new BehaviourCheck(metric, number(metric, range.group(1)), number(metric, range.group(3)));
            }
            if (atMost.matches()) {
                String metric = atMost.group(1).strip();
                return new BehaviourCheck(metric, null, number(metric, atMost.group(2)));
            }
            if (atLeast.matches()) {
                String metric = atLeast.group(1).strip();
                return new BehaviourCheck(metric, number(metric, atLeast.group(2)), null);
            }
        } catch (CanarySettingException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new CanarySettingException(ANALYSIS, e.getMessage(), e);
        }
        if (STRICT.matcher(body).matches()) {
            throw new CanarySettingException(ANALYSIS, "behaviour rule '" + body + "': bounds are inclusive, use <= or >= ("
                    + BEHAVIOUR_FORM + ")");
        }
        throw new CanarySettingException(ANALYSIS, "behaviour rule '" + body + "' has no bound at its end: " + BEHAVIOUR_FORM);
    }

    /** What the bounds of a text apply to ({@code agreement} in {@code agreement >= 0.9}); null when it has no bounds. */
    private static String subject(String body) {
        Matcher range = RANGE.matcher(body);
        if (range.matches()) {
            return range.group(2).strip();
        }
        Matcher atMost = AT_MOST.matcher(body);
        if (atMost.matches()) {
            return atMost.group(1).strip();
        }
        Matcher atLeast = AT_LEAST.matcher(body);
        if (atLeast.matches()) {
            return atLeast.group(1).strip();
        }
        // a strict bound on a behaviour metric is still a behaviour rule, to be refused as such
        Matcher strict = STRICT_SUBJECT.matcher(body);
        return strict.matches() ? strict.group(2) : null;
    }

    private CheckSyntax() {
    }

    /**
     * @param checks one check per entry
     * @param stableQueries {@code NAME: QUERY}, each naming one of the checks
     * @throws CanarySettingException naming the entry and what is wrong with it; its setting is
     *         {@code analysis} or {@code stableQuery}
     */
    public static List<AnalysisCheck> parse(List<String> checks, List<String> stableQueries) {
        Map<String, String> stable = new LinkedHashMap<>();
        for (String text : stableQueries) {
            requireLength(STABLE_QUERY, "stable query", text);
            Matcher named = NAMED.matcher(text);
            if (!named.matches()) {
                throw new CanarySettingException(STABLE_QUERY, "stable query '" + text
                        + "': write 'NAME: QUERY' with the name of an analysis check");
            }
            if (stable.put(named.group(1), named.group(2)) != null) {
                throw new CanarySettingException(STABLE_QUERY, "two stable queries for analysis check '" + named.group(1) + "'");
            }
        }
        List<AnalysisCheck> parsed = new ArrayList<>();
        for (String text : checks) {
            AnalysisCheck check = parse(text);
            String stableQuery = stable.remove(check.name());
            try {
                parsed.add(stableQuery == null ? check
                        : AnalysisCheck.relative(check.name(), check.query(), stableQuery, check.min(), check.max()));
            } catch (IllegalArgumentException e) {
                throw new CanarySettingException(STABLE_QUERY, e.getMessage(), e);
            }
        }
        if (!stable.isEmpty()) {
            throw new CanarySettingException(STABLE_QUERY, "stable query for '" + stable.keySet().iterator().next()
                    + "', which is not the name of an analysis check");
        }
        return parsed;
    }

    /** One absolute check; a {@link CanarySettingException} of setting {@code analysis} when it is not one. */
    public static AnalysisCheck parse(String text) {
        requireLength(ANALYSIS, "analysis check", text);
        Matcher named = NAMED.matcher(text == null ? "" : text);
        if (!named.matches()) {
            throw new CanarySettingException(ANALYSIS, "analysis check '" + text + "' has no name: " + FORM);
        }
        String name = named.group(1);
        String body = named.group(2);
        Matcher range = RANGE.matcher(body);
        Matcher atMost = AT_MOST.matcher(body);
        Matcher atLeast = AT_LEAST.matcher(body);
        try {
            if (range.matches()) {
                return AnalysisCheck.absolute(name, range.group(2), number(name, range.group(1)), number(name, range.group(3)));
            }
            if (atMost.matches()) {
                return AnalysisCheck.absolute(name, atMost.group(1), null, number(name, atMost.group(2)));
            }
            if (atLeast.matches()) {
                return AnalysisCheck.absolute(name, atLeast.group(1), number(name, atLeast.group(2)), null);
            }
        } catch (CanarySettingException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // AnalysisCheck's messages name the check already
            throw new CanarySettingException(ANALYSIS, e.getMessage(), e);
        }
        if (STRICT.matcher(body).matches()) {
            throw new CanarySettingException(ANALYSIS, "analysis check '" + name + "': bounds are inclusive, use <= or >= ("
                    + FORM + ")");
        }
        throw new CanarySettingException(ANALYSIS, "analysis check '" + name + "' has no bound at its end: " + FORM);
    }

    /** Refuses a text over {@link #MAX_LENGTH} in one line, naming it by its name when it starts with one. */
    private static void requireLength(String setting, String what, String text) {
        if (text != null && text.length() > MAX_LENGTH) {
            Matcher name = NAME_PREFIX.matcher(text);
            String which = name.lookingAt() ? what + " '" + name.group(1) + "'" : "an " + what;
            throw new CanarySettingException(setting, which + " is " + text.length() + " characters long; at most "
                    + MAX_LENGTH + " are accepted");
        }
    }

    private static double number(String check, String text) {
        double value = Double.parseDouble(text);
        if (!Double.isFinite(value)) {
            throw new CanarySettingException(ANALYSIS, "analysis check '" + check + "': bound " + text + " is not a finite number");
        }
        return value;
    }
}
