package io.jenkins.plugins.mlstages.gate;

/**
 * A gate that cannot be evaluated as configured: a rule with a syntax error, a metric the evaluation
 * does not know, a slice it did not compute. A user mistake, found before any rule is evaluated, so
 * nothing partial is reported (CLI exit 2, no stack trace). Rules that can be evaluated but whose
 * values are undefined (NaN, division by zero) are not errors: they fail with an explanation.
 */
public class GateException extends Exception {
    private static final long serialVersionUID = 1L;

    public GateException(String message) {
        super(message);
    }
}
