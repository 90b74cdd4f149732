package io.jenkins.plugins.mlstages.eval;

/**
 * Regression metrics over primitive arrays, each equal to the scikit-learn 1.9 function named in its
 * documentation ({@code sklearn/metrics/_regression.py}); names are MLflow's
 * ({@code _get_regressor_metrics} in {@code mlflow/models/evaluation/evaluators/regressor.py}).
 * Means and sums use NumPy's pairwise summation ({@link NumpySum}) so that scikit-learn's exact-zero tests
 * in {@code r2_score} and {@code explained_variance_score} come out the same.
 *
 * <p>Errors: empty input, arrays of different lengths and a NaN or infinite value are rejected with an
 * {@link IllegalArgumentException} naming the array and index.
 */
public final class RegressionMetrics {
    /** {@code np.finfo(np.float64).eps}: the floor of {@code |y_true|} in the MAPE denominator. */
    static final double EPS = Math.ulp(1.0);

    private RegressionMetrics() {
    }

    /**
     * All regression metrics.
     *
     * @param exampleCount rows
     * @param meanAbsoluteError {@code mean_absolute_error}
     * @param meanSquaredError {@code mean_squared_error}
     * @param rootMeanSquaredError {@code root_mean_squared_error}
     * @param r2 {@code r2_score}
     * @param meanAbsolutePercentageError {@code mean_absolute_percentage_error}
     * @param maxError {@code max_error}
     * @param explainedVariance {@code explained_variance_score}
     * @param sumOnTarget MLflow's {@code sum_on_target}: the sum of {@code y_true}
     * @param meanOnTarget MLflow's {@code mean_on_target}: {@code sum_on_target / n}
     */
    public record Result(long exampleCount, double meanAbsoluteError, double meanSquaredError,
            double rootMeanSquaredError, double r2, double meanAbsolutePercentageError, double maxError,
            double explainedVariance, double sumOnTarget, double meanOnTarget) {
    }

    /** Every metric of this class. */
    public static Result evaluate(double[] yTrue, double[] yPred) {
        check(yTrue, yPred);
        double mse = mse(yTrue, yPred);
        double sum = NumpySum.sum(yTrue);
        return new Result(yTrue.length, mae(yTrue, yPred), mse, Math.sqrt(mse), r2(yTrue, yPred),
                mape(yTrue, yPred), maxErr(yTrue, yPred), ev(yTrue, yPred), sum, sum / yTrue.length);
    }

    /**
     * Every metric of this class from sums over the rows, as a database computes them (TableEvaluate); t is the true
     * value, p the predicted one, d = t - p. Equal to {@link #evaluate} up to the order of the floating-point sums.
     *
     * @param absErrorSum sum of |p - t|
     * @param squaredErrorSum sum of (t - p)^2
     * @param absPercentageErrorSum sum of |p - t| / max(|t|, eps)
     * @param maxError max of |t - p|
     * @param targetSum sum of t
     * @param targetSquaredDeviationSum sum of (t - mean(t))^2
     * @param errorSquaredDeviationSum sum of (d - mean(d))^2
     */
    public static Result fromSums(long n, double absErrorSum, double squaredErrorSum, double absPercentageErrorSum,
            double maxError, double targetSum, double targetSquaredDeviationSum, double errorSquaredDeviationSum) {
        double mse = squaredErrorSum / n;
        double r2 = n < 2 ? Double.NaN : fraction(squaredErrorSum, targetSquaredDeviationSum);
        double ev = fraction(errorSquaredDeviationSum / n, targetSquaredDeviationSum / n);
        return new Result(n, absErrorSum / n, mse, Math.sqrt(mse), r2, absPercentageErrorSum / n, maxError, ev, targetSum,
                targetSum / n);
    }

    /** The floor of |t| in the MAPE denominator, for a database's sum. */
    public static double percentageErrorFloor() {
        return EPS;
    }

    /** {@code sklearn.metrics.mean_absolute_error}: {@code mean(|y_pred - y_true|)}. */
    public static double meanAbsoluteError(double[] yTrue, double[] yPred) {
        check(yTrue, yPred);
        return mae(yTrue, yPred);
    }

    /** {@code sklearn.metrics.mean_squared_error}: {@code mean((y_true - y_pred)^2)}. */
    public static double meanSquaredError(double[] yTrue, double[] yPred) {
        check(yTrue, yPred);
        return mse(yTrue, yPred);
    }

    /** {@code sklearn.metrics.root_mean_squared_error}: {@code sqrt(mean_squared_error)}. */
    public static double rootMeanSquaredError(double[] yTrue, double[] yPred) {
        check(yTrue, yPred);
        return Math.sqrt(mse(yTrue, yPred));
    }

    /**
     * {@code sklearn.metrics.r2_score} with its default {@code force_finite=True}: {@code 1 - SS_res / SS_tot}
     * with {@code SS_res = sum((y_true - y_pred)^2)} and {@code SS_tot = sum((y_true - mean(y_true))^2)}; when
     * {@code SS_res == 0} the score is 1.0 (even for a constant {@code y_true}), when only {@code SS_tot == 0}
     * (constant {@code y_true}, imperfect predictions) it is 0.0. NaN for fewer than two rows (scikit-learn
     * warns "R^2 score is not well-defined with less than two samples").
     */
    public static double r2Score(double[] yTrue, double[] yPred) {
        check(yTrue, yPred);
        return r2(yTrue, yPred);
    }

    /**
     * {@code sklearn.metrics.mean_absolute_percentage_error}: {@code mean(|y_pred - y_true| / max(|y_true|, eps))}
     * with {@code eps} the float64 machine epsilon, so a zero {@code y_true} gives a huge but finite term
     * (e.g. {@code 0.1 / 2.22e-16 = 4.5e14}), not infinity. The value is a fraction, not a percentage.
     */
    public static double meanAbsolutePercentageError(double[] yTrue, double[] yPred) {
        check(yTrue, yPred);
        return mape(yTrue, yPred);
    }

    /** {@code sklearn.metrics.max_error}: {@code max(|y_true - y_pred|)}. */
    public static double maxError(double[] yTrue, double[] yPred) {
        check(yTrue, yPred);
        return maxErr(yTrue, yPred);
    }

    /**
     * {@code sklearn.metrics.explained_variance_score} with {@code force_finite=True}:
     * {@code 1 - var(y_true - y_pred) / var(y_true)} (population variances, as {@code mean((d - mean(d))^2)});
     * 1.0 when the numerator is 0, 0.0 when only the denominator is 0.
     */
    public static double explainedVarianceScore(double[] yTrue, double[] yPred) {
        check(yTrue, yPred);
        return ev(yTrue, yPred);
    }

    // ------------------------------------------------------------------------------------------------

    private static double mae(double[] t, double[] p) {
        double[] terms = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            terms[i] = Math.abs(p[i] - t[i]);
        }
        return NumpySum.mean(terms);
    }

    private static double mse(double[] t, double[] p) {
        double[] terms = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            double d = t[i] - p[i];
            terms[i] = d * d;
        }
        return NumpySum.mean(terms);
    }

    private static double r2(double[] t, double[] p) {
        if (t.length < 2) {
            return Double.NaN;
        }
        double[] terms = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            double d = t[i] - p[i];
            terms[i] = d * d;
        }
        double numerator = NumpySum.sum(terms);
        double mean = NumpySum.mean(t);
        for (int i = 0; i < t.length; i++) {
            double d = t[i] - mean;
            terms[i] = d * d;
        }
        double denominator = NumpySum.sum(terms);
        return fraction(numerator, denominator);
    }

    private static double ev(double[] t, double[] p) {
        double[] diff = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            diff[i] = t[i] - p[i];
        }
        double diffMean = NumpySum.mean(diff);
        double[] terms = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            double d = diff[i] - diffMean;
            terms[i] = d * d;
        }
        double numerator = NumpySum.mean(terms);
        double mean = NumpySum.mean(t);
        for (int i = 0; i < t.length; i++) {
            double d = t[i] - mean;
            terms[i] = d * d;
        }
        double denominator = NumpySum.mean(terms);
        return fraction(numerator, denominator);
    }

    /** {@code _assemble_fraction_of_explained_deviance} with {@code force_finite=True}. */
    static double fraction(double numerator, double denominator) {
        if (numerator == 0) {
            return 1.0;
        }
        if (denominator == 0) {
            return 0.0;
        }
        return 1 - numerator / denominator;
    }

    private static double mape(double[] t, double[] p) {
        double[] terms = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            terms[i] = Math.abs(p[i] - t[i]) / Math.max(Math.abs(t[i]), EPS);
        }
        return NumpySum.mean(terms);
    }

    private static double maxErr(double[] t, double[] p) {
        double max = 0;
        for (int i = 0; i < t.length; i++) {
            max = Math.max(max, Math.abs(t[i] - p[i]));
        }
        return max;
    }

    private static void check(double[] yTrue, double[] yPred) {
        EvalInputs.notNull(yTrue, "yTrue");
        EvalInputs.notNull(yPred, "yPred");
        EvalInputs.rows("yTrue", yTrue.length, "yPred", yPred.length);
        EvalInputs.finite(yTrue, "true value");
        EvalInputs.finite(yPred, "predicted value");
    }
}
