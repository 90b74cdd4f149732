package io.jenkins.plugins.mlstages.deploy.ab;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.jenkins.plugins.mlstages.deploy.DeployException;

public class OutcomeFileSourceTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void theArmCanComeWithTheOutcomes() throws Exception {
        Path outcomes = tmp.getRoot().toPath().resolve("outcomes.csv");
        Files.writeString(outcomes, "request_id,arm,converted\n"
                + "r1,control,1\nr2,control,0\nr3,candidate,true\nr4,candidate,false\nr5,candidate,yes\n"
                + "r6,other,1\n" // neither arm: not counted
                + "r2,control,1\n" // a corrected label: the last one counts
                + "r7,,1\n"); // no arm: not counted
        OutcomeFileSource source = new OutcomeFileSource(AbMetric.outcomes(outcomes.toString(), null, "request_id", "arm", "converted",
                "control", "candidate"));
        assertEquals(new ArmCounts(2, 2, 3, 2), source.counts(Instant.EPOCH));
        assertEquals(ArmCounts.ZERO, source.baseline(Instant.EPOCH));
    }

    /**
     * The arm from the router's access log: nginx logs {@code $request_id} (passed to the model server as a
     * header, and from there to the application that labels the outcome) and {@code $upstream_addr}.
     */
    @Test
    public void theArmCanComeFromTheRoutersAccessLog() throws Exception {
        Path log = tmp.getRoot().toPath().resolve("access.jsonl");
        Files.writeString(log, "{\"request_id\":\"a1\",\"upstream\":\"127.0.0.1:8001\",\"status\":200}\n"
                + "{\"request_id\":\"a2\",\"upstream\":\"127.0.0.1:8002\",\"status\":200}\n"
                + "{\"request_id\":\"a3\",\"upstream\":\"127.0.0.1:8002\",\"status\":200}\n"
                + "{\"request_id\":\"a4\",\"upstream\":\"-\",\"status\":502}\n"
                + "{\"request_id\":\"a5\",\"upstream\":\"127.0.0.1:8001\",\"status\":200}\n");
        Path outcomes = tmp.getRoot().toPath().resolve("labels.jsonl");
        Files.writeString(outcomes, "{\"request_id\":\"a1\",\"converted\":1}\n{\"request_id\":\"a2\",\"converted\":1}\n"
                + "{\"request_id\":\"a3\",\"converted\":0}\n{\"request_id\":\"a4\",\"converted\":1}\n"
                + "{\"request_id\":\"zz\",\"converted\":1}\n"); // a5 not labelled yet; zz never assigned
        OutcomeFileSource source = new OutcomeFileSource(AbMetric.outcomes(outcomes.toString(), log.toString(), "request_id",
                "upstream", "converted", "127.0.0.1:8001", "127.0.0.1:8002"));
        assertEquals(new ArmCounts(1, 1, 2, 1), source.counts(Instant.EPOCH));
    }

    /** A named pipe as the outcomes file blocked the analysis (and the test's driver) forever when opened. */
    @Test(timeout = 20_000)
    public void aNamedPipeIsRefusedNotOpened() throws Exception {
        Path fifo = tmp.getRoot().toPath().resolve("outcomes.csv");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectInput(new java.io.File("/dev/null"))
                .redirectErrorStream(true).redirectOutput(tmp.newFile("mkfifo.log")).start();
        assertEquals(0, mkfifo.waitFor());
        OutcomeFileSource source = new OutcomeFileSource(AbMetric.outcomes(fifo.toString(), null, "request_id", "arm", "converted",
                "control", "candidate"));
        DeployException e = assertThrows(DeployException.class, () -> source.counts(Instant.EPOCH));
        assertTrue(e.getMessage(), e.getMessage().startsWith(fifo + ": "));
    }

    @Test
    public void filesNotWrittenYetCountNothing() {
        OutcomeFileSource source = new OutcomeFileSource(AbMetric.outcomes(tmp.getRoot().toPath().resolve("later.csv").toString(),
                null, "id", "arm", "y", "a", "b"));
        assertEquals(ArmCounts.ZERO, source.counts(Instant.EPOCH));
    }

    @Test
    public void badRowsAreNamed() throws Exception {
        Path outcomes = tmp.getRoot().toPath().resolve("o.csv");
        Files.writeString(outcomes, "id,arm,y\nr1,a,1\nr1,b,0\n");
        DeployException both = assertThrows(DeployException.class, () -> new OutcomeFileSource(AbMetric.outcomes(outcomes.toString(),
                null, "id", "arm", "y", "a", "b")).counts(Instant.EPOCH));
        assertTrue(both.getMessage(), both.getMessage().contains("o.csv row 2: id 'r1' is in both arms"));
        Files.writeString(outcomes, "id,arm,y\nr1,a,maybe\n");
        DeployException value = assertThrows(DeployException.class, () -> new OutcomeFileSource(AbMetric.outcomes(outcomes.toString(),
                null, "id", "arm", "y", "a", "b")).counts(Instant.EPOCH));
        assertTrue(value.getMessage(), value.getMessage().contains("row 1: outcome 'maybe' is not 1/0"));
        DeployException column = assertThrows(DeployException.class, () -> new OutcomeFileSource(AbMetric.outcomes(outcomes.toString(),
                null, "id", "arm", "label", "a", "b")).counts(Instant.EPOCH));
        assertTrue(column.getMessage(), column.getMessage().contains("label"));
    }
}
