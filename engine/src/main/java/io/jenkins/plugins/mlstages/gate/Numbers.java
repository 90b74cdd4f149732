package io.jenkins.plugins.mlstages.gate;

import java.util.Locale;

/** How values appear in explanation lines and findings. */
final class Numbers {
    private Numbers() {
    }

    /**
     * Four decimals ({@code 0.8421}) from 0.001 to 10 million, scientific ({@code 1.2500e-06}) outside,
     * {@code NaN}, {@code inf}, {@code -inf}.
     */
    static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return "0.0000";
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 1e-3 && magnitude < 1e7) {
            return String.format(Locale.ROOT, "%.4f", value);
        }
        return String.format(Locale.ROOT, "%.4e", value);
    }

    /** {@link #format} with a sign: {@code +0.0121}, {@code -0.0050}, {@code +0.0000}. */
    static String signed(double value) {
        if (value == 0) {
            return "+0.0000";
        }
        String text = format(value);
        return value > 0 ? "+" + text : text;
    }
}
