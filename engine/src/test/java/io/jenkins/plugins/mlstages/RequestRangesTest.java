package io.jenkins.plugins.mlstages;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.Test;

import io.jenkins.plugins.mlstages.data.ValidateDataRequest;
import io.jenkins.plugins.mlstages.deploy.Durations;
import io.jenkins.plugins.mlstages.eval.EvaluateRequest;
import io.jenkins.plugins.mlstages.eval.Task;
import io.jenkins.plugins.mlstages.registry.RegisterModelRequest;

/**
 * Every numeric setting of the engine's requests has a range, checked on construction, so that the CLI
 * and the Pipeline steps give the same one-line message before any work (and before a huge allocation:
 * {@code --resamples 2000000000} used to end in an OutOfMemoryError).
 */
public class RequestRangesTest {
    private static final Path DATA = Path.of("data.csv");

    @Test
    public void resamplesAreBounded() {
        evaluate(0);
        evaluate(10_000);
        assertRefused("--resamples must be between 0 and 10000, was 10001", () -> evaluate(10_001));
        assertRefused("--resamples must be between 0 and 10000, was 2000000000", () -> evaluate(2_000_000_000));
        assertRefused("--resamples must be between 0 and 10000, was -1", () -> evaluate(-1));
    }

    @Test
    public void sampleSizeAndMaxErrorsAreBounded() {
        new ValidateDataRequest(DATA, null, null, null, null, null, 1000, 1_000_000, 42, null);
        assertRefused("--sample-size must be between 100 and 1000000, was 1000001",
            () -> new ValidateDataRequest(DATA, null, null, null, null, null, 5, 1_000_001, 42, null));
        assertRefused("--max-errors must be between 0 and 1000, was 1001",
            () -> new ValidateDataRequest(DATA, null, null, null, null, null, 1001, 50_000, 42, null));
    }

    @Test
    public void theWaitForReadyIsAtMostADay() {
        register(Duration.ofDays(1));
        assertRefused("--await-seconds must be between 0 and 86400, was 86401", () -> register(Duration.ofSeconds(86_401)));
        assertRefused("--await-seconds must be between 0 and 86400, was 9223372036854775807",
            () -> register(Duration.ofSeconds(Long.MAX_VALUE)));
    }

    @Test
    public void aDurationIsAtMostAYearAndNeverOverflows() {
        assertEquals(Duration.ofDays(365), Durations.parse("8760h"));
        assertRefused("'8761h' is too long: a duration is at most 365 days", () -> Durations.parse("8761h"));
        assertRefused("'99999999999999999999h' is too long: a duration is at most 365 days",
            () -> Durations.parse("99999999999999999999h"));
        assertRefused("'9223372036854775807h9223372036854775807h' is too long: a duration is at most 365 days",
            () -> Durations.parse("9223372036854775807h9223372036854775807h"));
        assertRefused("'PT999999999999H' is too long: a duration is at most 365 days", () -> Durations.parse("PT999999999999H"));
    }

    private static void evaluate(int resamples) {
        new EvaluateRequest(DATA, null, null, Task.BINARY, "y", List.of("p"), null, List.of(), 30, null, null, null,
                resamples, 0.95, 42, null, null, EvaluateRequest.DEFAULT_CURVE_POINTS);
    }

    private static void register(Duration await) {
        new RegisterModelRequest("m", null, null, null, "s3://b/m", null, null, null, null, null, "key", await, null);
    }

    private static void assertRefused(String message, Runnable construction) {
        try {
            construction.run();
            fail("accepted: " + message);
        } catch (IllegalArgumentException e) {
            assertEquals(message, e.getMessage());
        }
    }
}
