package io.jenkins.plugins.mlstages.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;

import io.jenkins.plugins.mlstages.report.Finding;

/**
 * Checks one column's values against its schema rules during the pass, counting violations and
 * keeping the first few examples (row and value), then turns the counts into one finding per rule.
 */
final class ColumnValidator {
    private static final int MAX_SHOWN_VALUE = 40;
    private static final int MAX_SCANNED_VALUES = 32;

    private final ColumnRules rules;
    private final int maxExamples;
    private final ColumnType type;
    private final Double minBound;
    private final Double maxBound;
    private final UniqueTracker unique;
    /** The column's regex, reused from value to value (a validator runs on one thread). */
    private final Matcher regex;
    /** A short list of allowed values is scanned on the value's characters; a long one is looked up by String. */
    private final String[] allowed;

    private final Violations typeBad = new Violations();
    private final Violations belowMin = new Violations();
    private final Violations aboveMax = new Violations();
    private final Violations notAllowed = new Violations();
    private final Violations noMatch = new Violations();
    private final Violations tooLong = new Violations();
    private final Violations duplicate = new Violations();
    private long compared;

    ColumnValidator(ColumnRules rules, int maxExamples) {
        this.rules = rules;
        this.maxExamples = maxExamples;
        this.type = rules.declaredType();
        this.minBound = rules.min() == null ? null : ColumnType.comparable(type, rules.min().value());
        this.maxBound = rules.max() == null ? null : ColumnType.comparable(type, rules.max().value());
        this.unique = rules.unique() != null && rules.unique().value() ? new UniqueTracker() : null;
        this.regex = rules.regex() == null ? null : rules.regex().value().matcher("");
        this.allowed = rules.allowedValues() == null || rules.allowedValues().value().size() > MAX_SCANNED_VALUES ? null
                : rules.allowedValues().value().toArray(String[]::new);
    }

    void accept(long row, String value) {
        if (value != null) {
            TextSlice slice = new TextSlice().set(value);
            accept(row, slice, ColumnType.parseDoubleOrNaN(slice));
        }
    }

    /**
     * One present value, read in place.
     *
     * @param number the value as {@link ColumnType#parseDoubleOrNaN} reads it, already parsed by the profiler
     */
    void accept(long row, TextSlice value, double number) {
        boolean fitsType = type == null || (type == ColumnType.NUMBER ? !Double.isNaN(number)
                : type == ColumnType.INTEGER ? !Double.isNaN(number) && ColumnType.isLong(value) : type.accepts(value));
        if (!fitsType) {
            typeBad.add(row, value);
        } else if (minBound != null || maxBound != null) {
            // Without a declared type, only numbers are compared (and counted as checked).
            double v = type == ColumnType.DATE || type == ColumnType.TIMESTAMP ? orNaN(ColumnType.comparable(type, value)) : number;
            if (!Double.isNaN(v)) {
                compared++;
                if (minBound != null && v < minBound) {
                    belowMin.add(row, value);
                }
                if (maxBound != null && v > maxBound) {
                    aboveMax.add(row, value);
                }
            }
        }
        if (rules.allowedValues() != null && !isAllowed(value)) {
            notAllowed.add(row, value);
        }
        if (regex != null && !regex.reset(value).matches()) {
            noMatch.add(row, value);
        }
        if (rules.maxLength() != null && value.length() > rules.maxLength().value()) {
            tooLong.add(row, value);
        }
        if (unique != null && unique.addIsDuplicate(value.toString())) {
            duplicate.add(row, value);
        }
    }

    /**
     * Whether checking a number needs its text: a rule on the text, or a type the number fails (whose
     * finding shows the value). Otherwise {@link #acceptNumber} checks it without text.
     */
    boolean needsText(boolean integer) {
        boolean fitsType = type == null || type == ColumnType.NUMBER || type == ColumnType.CATEGORY
                || type == ColumnType.STRING || type == ColumnType.INTEGER && integer;
        return !fitsType || rules.allowedValues() != null || regex != null || rules.maxLength() != null || unique != null;
    }

    /**
     * A value a reader handed on as a number, when {@link #needsText} is false: only the bounds remain to
     * check. {@code kind} and {@code bits} make its text for an example.
     */
    void acceptNumber(long row, double number, int kind, long bits) {
        if (minBound != null || maxBound != null) {
            compared++;
            if (minBound != null && number < minBound) {
                belowMin.add(row, TextRow.numberText(kind, bits));
            }
            if (maxBound != null && number > maxBound) {
                aboveMax.add(row, TextRow.numberText(kind, bits));
            }
        }
    }

    /** The rules a validator checks, by the name of their finding's check. */
    enum Check { TYPE, MIN, MAX, ALLOWED_VALUES, REGEX, MAX_LENGTH, UNIQUE }

    /**
     * Violations counted elsewhere (by the database a table lives in), with a few of the offending values: the same
     * findings as from values seen one by one. Tables have no row numbers, so examples name values only.
     */
    void addCounted(Check check, long count, List<String> examples) {
        Violations target = switch (check) {
            case TYPE -> typeBad;
            case MIN -> belowMin;
            case MAX -> aboveMax;
            case ALLOWED_VALUES -> notAllowed;
            case REGEX -> noMatch;
            case MAX_LENGTH -> tooLong;
            case UNIQUE -> duplicate;
        };
        target.count += count;
        for (String example : examples) {
            if (target.examples.size() < maxExamples) {
                String shown = example.length() > MAX_SHOWN_VALUE ? example.substring(0, MAX_SHOWN_VALUE) + "…" : example;
                target.examples.add("'" + shown + "'");
            }
        }
    }

    /** Values counted elsewhere that the min and max rules compared. */
    void addCompared(long values) {
        compared += values;
    }

    private boolean isAllowed(TextSlice value) {
        if (allowed == null) {
            return rules.allowedValues().value().contains(value.toString());
        }
        for (String candidate : allowed) {
            if (value.contentEquals(candidate)) {
                return true;
            }
        }
        return false;
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }

    /** One finding per rule of the column, passed or not. */
    List<Finding> findings(ColumnProfile profile) {
        String name = rules.name();
        List<Finding> findings = new ArrayList<>();
        long values = profile.count();
        if (rules.type() != null) {
            findings.add(finding("column.type", rules.type(), typeBad, values,
                    "not " + type, "values of type " + type));
        }
        if (rules.nullable() != null && !rules.nullable().value()) {
            boolean passed = rules.nullable().holds(profile.nulls(), profile.rows());
            String mostly = rules.nullable().mostly() < 1 ? " in " + percent(rules.nullable().mostly()) + " of the rows" : "";
            findings.add(new Finding("column.nullable", name, rules.nullable().severity(), passed,
                    profile.nulls() == 0 ? name + ": no missing values" : name + ": " + profile.nulls() + " of "
                            + profile.rows() + " values are missing; the schema wants a value" + mostly,
                    String.valueOf(profile.nulls()), "0"));
        }
        if (rules.maxNullFraction() != null) {
            double allowed = rules.maxNullFraction().value();
            boolean passed = profile.nullFraction() <= allowed;
            findings.add(new Finding("column.max_null_fraction", name, rules.maxNullFraction().severity(), passed,
                    name + ": " + percent(profile.nullFraction()) + " missing (" + profile.nulls() + " of "
                            + profile.rows() + "), at most " + percent(allowed) + " allowed",
                    format(profile.nullFraction()), "<= " + format(allowed)));
        }
        if (rules.min() != null) {
            findings.add(finding("column.min", rules.min(), belowMin, compared, "below " + rules.min().value(),
                    ">= " + rules.min().value()));
        }
        if (rules.max() != null) {
            findings.add(finding("column.max", rules.max(), aboveMax, compared, "above " + rules.max().value(),
                    "<= " + rules.max().value()));
        }
        if (rules.allowedValues() != null) {
            findings.add(finding("column.allowed_values", rules.allowedValues(), notAllowed, values,
                    "not among the allowed values", "one of " + rules.allowedValues().value().stream().sorted().toList()));
        }
        if (rules.regex() != null) {
            findings.add(finding("column.regex", rules.regex(), noMatch, values,
                    "not matching /" + rules.regex().value().pattern() + "/", "matches /" + rules.regex().value().pattern() + "/"));
        }
        if (rules.maxLength() != null) {
            findings.add(finding("column.max_length", rules.maxLength(), tooLong, values,
                    "longer than " + rules.maxLength().value() + " characters", "length <= " + rules.maxLength().value()));
        }
        if (unique != null) {
            findings.add(uniqueness(profile));
        }
        return findings;
    }

    private Finding uniqueness(ColumnProfile profile) {
        String name = rules.name();
        if (unique.overflowed()) {
            long estimatedDuplicates = Math.max(0, profile.count() - profile.distinct());
            boolean passed = estimatedDuplicates <= profile.count() * 0.02;
            return new Finding("column.unique", name, rules.unique().severity(), passed, name + ": more than "
                    + UniqueTracker.MAX_VALUES + " distinct values, uniqueness estimated with HLL (±2 %): about "
                    + profile.distinct() + " distinct of " + profile.count(), "~" + profile.distinct() + " distinct",
                    profile.count() + " distinct");
        }
        return finding("column.unique", rules.unique(), duplicate, profile.count(), "duplicates of an earlier value",
                "no duplicates");
    }

    private Finding finding(String check, Rule<?> rule, Violations bad, long checked, String what, String expected) {
        String name = rules.name();
        boolean passed = rule.holds(bad.count, checked);
        String message;
        if (bad.count == 0) {
            message = name + ": all " + checked + " values pass (" + expected + ")";
        } else {
            message = name + ": " + bad.count + " of " + checked + " values are " + what + " (" + bad.describe() + ")";
            if (rule.mostly() < 1) {
                double share = checked == 0 ? 0 : (double) (checked - bad.count) / checked;
                message += "; " + percent(share) + " pass, " + percent(rule.mostly()) + " needed";
            }
        }
        return new Finding(check, name, rule.severity(), passed, message, bad.count + " of " + checked, expected);
    }

    /** The first few offending rows and values. */
    private final class Violations {
        long count;
        final List<String> examples = new ArrayList<>();

        void add(long row, CharSequence text) {
            count++;
            if (examples.size() < maxExamples) {
                String value = text.toString();
                String shown = value.length() > MAX_SHOWN_VALUE ? value.substring(0, MAX_SHOWN_VALUE) + "…" : value;
                examples.add("row " + row + ": '" + shown + "'");
            }
        }

        String describe() {
            String listed = String.join(", ", examples);
            return count > examples.size() ? (listed.isEmpty() ? "…" : listed + ", …") : listed;
        }
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.4g %%", share * 100);
    }

    static String format(double value) {
        return String.format(Locale.ROOT, "%.6g", value);
    }
}
