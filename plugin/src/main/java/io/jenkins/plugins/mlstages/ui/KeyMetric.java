package io.jenkins.plugins.mlstages.ui;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import java.util.Locale;

/** One headline metric of a build for its summary: the value and its change against a reference. */
public final class KeyMetric {
    private final String name;
    private final double value;
    private final Double reference;
    private final String basis;

    KeyMetric(String name, double value, @CheckForNull Double reference, @CheckForNull String basis) {
        this.name = name;
        this.value = value;
        this.reference = reference;
        this.basis = basis;
    }

    public String getName() {
        return name;
    }

    public double getValue() {
        return value;
    }

    public String getValueText() {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    /** {@code +0.0123 vs champion}; empty without a reference, or when either is NaN or infinite (no difference). */
    public String getDeltaText() {
        if (reference == null || basis == null || !Double.isFinite(value) || !Double.isFinite(reference)) {
            return "";
        }
        return String.format(Locale.ROOT, "%+.4f vs %s", value - reference, basis);
    }
}
