package io.jenkins.plugins.mlstages.deploy.ab;

import java.io.Serializable;

/**
 * The mixture sequential probability ratio test (mSPRT) for the difference of two proportions, with a
 * normal mixture, as in Johari, Koomen, Pekelis and Walsh, "Always Valid Inference: Continuous
 * Monitoring of A/B Tests" (Operations Research 70(3), 2022). With n<sub>A</sub>, x<sub>A</sub> the
 * control's trials and conversions and n<sub>B</sub>, x<sub>B</sub> the candidate's:
 *
 * <pre>
 *   θ̂ = x_B/n_B − x_A/n_A                                  (candidate minus control)
 *   V = p̂_A(1−p̂_A)/n_A + p̂_B(1−p̂_B)/n_B                    (plug-in variance of θ̂)
 *   Λ(θ₀) = √(V/(V+τ²)) · exp( τ²(θ̂−θ₀)² / (2V(V+τ²)) )      (mixture likelihood ratio, θ ~ N(θ₀, τ²))
 *   p_n = min(p_{n−1}, 1/Λ_n(0)),  p_0 = 1                    (always-valid p-value)
 *   CI_n = θ̂ ± √( V(V+τ²)/τ² · (2 ln(1/α) + ln((V+τ²)/V)) ), intersected with CI_{n−1}   (always-valid CI)
 * </pre>
 *
 * H₀: θ = 0 is rejected at the first analysis where p_n ≤ α, which is exactly when 0 leaves the
 * interval. τ (the mixing standard deviation) is fixed in the plan before the test starts: a τ chosen
 * from the data would void the guarantee. When V = 0 (both arms at rate 0 or 1) an analysis carries no
 * information: Λ = 1 and the interval is the whole [−1, 1].
 *
 * @param alpha the error rate guaranteed however often the test is looked at (0 &lt; α &lt; 1)
 * @param mixingSd τ, in units of the rate difference (0.05 = 5 percentage points)
 */
public record MixtureSprt(double alpha, double mixingSd) implements Serializable {
    public MixtureSprt {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be between 0 and 1 (exclusive), was " + alpha);
        }
        if (!(mixingSd > 0 && mixingSd <= 1)) {
            throw new IllegalArgumentException("the mixing standard deviation must be in (0, 1], was " + mixingSd);
        }
    }

    /** One look at the data. */
    public record Look(double controlRate, double candidateRate, double difference, double standardError, double zStatistic,
            double logLikelihoodRatio, double pValue, double ciLow, double ciHigh) implements Serializable {
    }

    /**
     * The test after the counts {@code c}, given the previous look (null for the first one).
     */
    public Look look(ArmCounts c, Look previous) {
        if (c.controlTrials() <= 0 || c.candidateTrials() <= 0) {
            throw new IllegalArgumentException("both arms need trials: " + c);
        }
        double pa = (double) c.controlConversions() / c.controlTrials();
        double pb = (double) c.candidateConversions() / c.candidateTrials();
        double diff = pb - pa;
        double v = pa * (1 - pa) / c.controlTrials() + pb * (1 - pb) / c.candidateTrials();
        double tau2 = mixingSd * mixingSd;
        double logLambda;
        double low;
        double high;
        double z;
        if (v <= 0) {
            logLambda = 0;
            low = -1;
            high = 1;
            z = 0;
        } else {
            logLambda = logLikelihoodRatio(diff, 0, v);
            double half = Math.sqrt(v * (v + tau2) / tau2 * (2 * Math.log(1 / alpha) + Math.log((v + tau2) / v)));
            low = Math.max(-1, diff - half);
            high = Math.min(1, diff + half);
            z = diff / Math.sqrt(v);
        }
        double p = Math.min(1, Math.exp(-logLambda));
        if (previous != null) {
            p = Math.min(p, previous.pValue());
            double l = Math.max(low, previous.ciLow());
            double h = Math.min(high, previous.ciHigh());
            if (l <= h) { // an empty intersection (possible only through the variance's estimation) keeps this look's interval
                low = l;
                high = h;
            }
        }
        return new Look(pa, pb, diff, Math.sqrt(Math.max(v, 0)), z, logLambda, p, low, high);
    }

    /** ln Λ(θ₀) for an observed difference and variance V &gt; 0. */
    public double logLikelihoodRatio(double difference, double theta0, double v) {
        double tau2 = mixingSd * mixingSd;
        double d = difference - theta0;
        return 0.5 * Math.log(v / (v + tau2)) + tau2 * d * d / (2 * v * (v + tau2));
    }

    /** Whether H₀ (no difference) is rejected at this look. */
    public boolean rejects(Look look) {
        return look.pValue() <= alpha;
    }
}
