package io.jenkins.plugins.mlstages.eval;

/**
 * Argument checks shared by the metric classes. Every failure is an {@link IllegalArgumentException}
 * whose message names the argument and, for a bad value, its index, so the caller can show it as is.
 */
final class EvalInputs {
    private EvalInputs() {
    }

    /** Rejects null or empty arrays and arrays of different lengths. */
    static int rows(String aName, int aLength, String bName, int bLength) {
        if (aLength != bLength) {
            throw new IllegalArgumentException(aName + " has " + aLength + " values but " + bName + " has "
                    + bLength + ": they must have one value per row");
        }
        if (aLength == 0) {
            throw new IllegalArgumentException("no rows: " + aName + " and " + bName + " are empty");
        }
        return aLength;
    }

    static void notNull(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is null");
        }
    }

    /** Binary labels must be 0 or 1. */
    static void binaryLabels(int[] labels) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException("label at index " + i + " is " + labels[i]
                        + ": binary labels must be 0 or 1");
            }
        }
    }

    /** Class labels must be in {@code 0..k-1}. */
    static void classLabels(int[] labels, int k, String name) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException(name + " at index " + i + " is " + labels[i]
                        + ": classes must be in 0.." + (k - 1));
            }
        }
    }

    /** Every value must be finite (not NaN, not infinite). */
    static void finite(double[] values, String name) {
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(name + " at index " + i + " is " + describe(v)
                        + ": " + name + "s must be finite numbers");
            }
        }
    }

    /** Every value must be a probability in [0, 1] (finiteness is checked first). */
    static void probabilities(double[] values, String name) {
        finite(values, name);
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] > 1) {
                throw new IllegalArgumentException(name + " at index " + i + " is " + values[i]
                        + ": probabilities must be in [0, 1]");
            }
        }
    }

    /** Whether every value lies in [0, 1] (the values are known to be finite). */
    static boolean allProbabilities(double[] values) {
        for (double v : values) {
            if (v < 0 || v > 1) {
                return false;
            }
        }
        return true;
    }

    static String describe(double v) {
        return Double.isNaN(v) ? "NaN" : v > 0 ? "+infinity" : "-infinity";
    }

    static void threshold(double threshold) {
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("threshold is NaN");
        }
    }
}
