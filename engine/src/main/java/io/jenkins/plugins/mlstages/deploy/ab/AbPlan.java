package io.jenkins.plugins.mlstages.deploy.ab;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.jenkins.plugins.mlstages.deploy.CanarySettingException;

/**
 * What an A/B test does: send {@code weight} % of traffic to the candidate {@code version} (the rest to
 * the control) for at most {@code duration}, analyse every {@code interval}, and decide with
 * {@link MixtureSprt} once both arms have {@code minSample} trials.
 *
 * @param controlVersion the version users had, for the report; may be null
 * @param sample end the test once both arms have this many trials; 0 runs for the whole duration
 * @param margin for {@link PromoteRule#NOT_WORSE}: how much worse (in rate) the candidate may be; 0 otherwise
 */
@JsonPropertyOrder({"model", "version", "control_version", "weight", "duration", "interval", "min_sample", "sample", "alpha",
    "mixing_sd", "promote_when", "margin", "otherwise", "metric"})
public record AbPlan(String model, String version, String controlVersion, int weight, Duration duration, Duration interval,
        long minSample, long sample, double alpha, double mixingSd, PromoteRule promoteWhen, double margin, NoWinnerAction otherwise,
        AbMetric metric) implements Serializable {
    /** More analyses than this would make the state file and the report unwieldy: use a longer interval. */
    public static final int MAX_ANALYSES = 10_000;
    public static final double DEFAULT_ALPHA = 0.05;
    public static final double DEFAULT_MIXING_SD = 0.05;
    public static final long DEFAULT_MIN_SAMPLE = 100;
    /** Below this the normal approximation behind the test is too rough. */
    public static final long LEAST_MIN_SAMPLE = 30;

    public AbPlan {
        if (model == null || model.isBlank()) {
            throw new CanarySettingException("model", "the model name must not be empty");
        }
        if (version == null || version.isBlank()) {
            throw new CanarySettingException("version", "the candidate version must not be empty");
        }
        if (weight < 1 || weight > 99) {
            throw new CanarySettingException("weight", "the candidate's share must be 1 to 99 %, was " + weight);
        }
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(interval, "interval");
        if (duration.isNegative() || duration.isZero()) {
            throw new CanarySettingException("duration", "the test duration must be positive, was " + duration);
        }
        if (interval.isNegative() || interval.isZero() || interval.compareTo(duration) > 0) {
            throw new CanarySettingException("interval", "the analysis interval must be positive and at most the duration ("
                    + duration + "), was " + interval);
        }
        if (duration.dividedBy(interval) > MAX_ANALYSES) {
            throw new CanarySettingException("interval", "duration / interval gives more than " + MAX_ANALYSES
                    + " analyses: use a longer interval");
        }
        if (minSample < LEAST_MIN_SAMPLE) {
            throw new CanarySettingException("minSample", "the minimum sample per arm must be at least " + LEAST_MIN_SAMPLE
                    + " (the test's normal approximation), was " + minSample);
        }
        if (sample != 0 && sample < minSample) {
            throw new CanarySettingException("sample", "the sample per arm (" + sample + ") must be 0 (the whole duration) or at least "
                    + "the minimum sample (" + minSample + ")");
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new CanarySettingException("alpha", "must be between 0 and 1 (exclusive), was " + alpha);
        }
        if (!(mixingSd > 0 && mixingSd <= 1)) {
            throw new CanarySettingException("mixingSd", "the mixing standard deviation must be in (0, 1], was " + mixingSd);
        }
        Objects.requireNonNull(promoteWhen, "promoteWhen");
        Objects.requireNonNull(otherwise, "otherwise");
        if (promoteWhen == PromoteRule.NOT_WORSE && !(margin > 0 && margin < 1)) {
            throw new CanarySettingException("margin", "promote-when not-worse needs a margin between 0 and 1 (e.g. 0.01: at most "
                    + "one percentage point worse), was " + margin);
        }
        if (promoteWhen == PromoteRule.CANDIDATE_WINS && margin != 0) {
            throw new CanarySettingException("margin", "a margin applies to promote-when not-worse only");
        }
        Objects.requireNonNull(metric, "metric");
    }

    public MixtureSprt test() {
        return new MixtureSprt(alpha, mixingSd);
    }
}
