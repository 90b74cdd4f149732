package io.jenkins.plugins.mlstages.gate;

/** A comparison operator of a rule. */
public enum Op {
    GE(">="), LE("<="), GT(">"), LT("<"), EQ("=="), NE("!=");

    private final String symbol;

    Op(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    /** The operator written as {@code symbol}, or null. */
    static Op of(String symbol) {
        for (Op op : values()) {
            if (op.symbol.equals(symbol)) {
                return op;
            }
        }
        return null;
    }

    /** Whether {@code observed op required} holds. False when either is NaN, except for {@code !=}. */
    public boolean test(double observed, double required) {
        switch (this) {
            case GE:
                return observed >= required;
            case LE:
                return observed <= required;
            case GT:
                return observed > required;
            case LT:
                return observed < required;
            case EQ:
                return observed == required;
            default:
                return observed != required;
        }
    }

    /**
     * How far the comparison is from failing, in the metric's units: {@code observed − required} for
     * {@code >=} and {@code >}, {@code required − observed} for {@code <=} and {@code <},
     * {@code −|observed − required|} for {@code ==} (0 when it holds) and {@code |observed − required|}
     * for {@code !=}. Positive or zero means passed by that much, except that {@code >}, {@code <} and
     * {@code !=} need it strictly positive.
     */
    public double margin(double observed, double required) {
        switch (this) {
            case GE:
            case GT:
                return observed - required;
            case LE:
            case LT:
                return required - observed;
            case EQ:
                return -Math.abs(observed - required);
            default:
                return Math.abs(observed - required);
        }
    }

    @Override
    public String toString() {
        return symbol;
    }
}
