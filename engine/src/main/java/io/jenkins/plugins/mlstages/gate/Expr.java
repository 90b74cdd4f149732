package io.jenkins.plugins.mlstages.gate;

import java.io.Serializable;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An arithmetic expression of a rule: numbers, metric references, {@code paired(metric)}, unary
 * minus, and {@code + - * /} with the usual precedence. {@link #toString()} writes it back with only
 * the parentheses it needs.
 */
public sealed interface Expr extends Serializable {

    /** Calls {@code visitor} on this expression and every expression inside it, depth first. */
    void forEach(Consumer<Expr> visitor);

    /** A number as written ({@code 0.85}, {@code 1e-3}). */
    record Num(double value, String text) implements Expr {
        public Num {
            Objects.requireNonNull(text, "text");
        }

        public static Num of(String text) {
            return new Num(Double.parseDouble(text), text);
        }

        @Override
        public void forEach(Consumer<Expr> visitor) {
            visitor.accept(this);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** A metric of a subject, or a bound of its confidence interval: {@code champion.f1_score}, {@code f1_score.lower}. */
    record Ref(Subject subject, String metric, Bound bound) implements Expr {
        public Ref {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(bound, "bound");
        }

        public static Ref candidate(String metric) {
            return new Ref(Subject.CANDIDATE, metric, Bound.VALUE);
        }

        public static Ref champion(String metric) {
            return new Ref(Subject.CHAMPION, metric, Bound.VALUE);
        }

        @Override
        public void forEach(Consumer<Expr> visitor) {
            visitor.accept(this);
        }

        @Override
        public String toString() {
            return subject.prefix() + metric + bound.suffix();
        }
    }

    /**
     * A bound of the paired-bootstrap interval of candidate − champion for a metric, computed on the
     * same rows; the lower bound unless {@code .upper} is written.
     */
    record Paired(String metric, Bound bound) implements Expr {
        public Paired {
            Objects.requireNonNull(metric, "metric");
            if (bound == null || bound == Bound.VALUE) {
                throw new IllegalArgumentException("paired(...) reads the lower or upper bound");
            }
        }

        @Override
        public void forEach(Consumer<Expr> visitor) {
            visitor.accept(this);
        }

        @Override
        public String toString() {
            return "paired(" + metric + ")" + (bound == Bound.UPPER ? ".upper" : "");
        }
    }

    /** {@code -operand}. */
    record Neg(Expr operand) implements Expr {
        public Neg {
            Objects.requireNonNull(operand, "operand");
        }

        @Override
        public void forEach(Consumer<Expr> visitor) {
            visitor.accept(this);
            operand.forEach(visitor);
        }

        @Override
        public String toString() {
            return "-" + (operand instanceof Binary ? "(" + operand + ")" : operand.toString());
        }
    }

    /** {@code left op right} with {@code op} one of {@code + - * /}. */
    record Binary(Expr left, char op, Expr right) implements Expr {
        public Binary {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
            if ("+-*/".indexOf(op) < 0) {
                throw new IllegalArgumentException("not an arithmetic operator: " + op);
            }
        }

        boolean additive() {
            return op == '+' || op == '-';
        }

        @Override
        public void forEach(Consumer<Expr> visitor) {
            visitor.accept(this);
            left.forEach(visitor);
            right.forEach(visitor);
        }

        @Override
        public String toString() {
            boolean leftParens = !additive() && left instanceof Binary && ((Binary) left).additive();
            boolean rightParens = right instanceof Binary && (!additive() || ((Binary) right).additive());
            return wrap(left, leftParens) + " " + op + " " + wrap(right, rightParens);
        }

        private static String wrap(Expr expr, boolean parens) {
            return parens ? "(" + expr + ")" : expr.toString();
        }
    }
}
