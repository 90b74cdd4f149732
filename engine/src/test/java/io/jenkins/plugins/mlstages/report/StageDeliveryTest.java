package io.jenkins.plugins.mlstages.report;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

/** A stage's result is recorded and its verdict applied before the report file, whose failure loses nothing. */
public class StageDeliveryTest {
    private final List<String> calls = new ArrayList<>();
    private final List<Exception> writeFailures = new ArrayList<>();

    @Test
    public void recordsAndAppliesTheVerdictBeforeWritingTheFile() throws Exception {
        String outcome = StageDelivery.deliver(() -> calls.add("record"), () -> {
            calls.add("verdict");
            return "PROMOTED";
        }, () -> calls.add("file"), writeFailures::add);
        assertEquals("PROMOTED", outcome);
        assertEquals(List.of("record", "verdict", "file"), calls);
        assertTrue(writeFailures.isEmpty());
    }

    @Test
    public void aFileThatCannotBeWrittenKeepsTheRecordAndTheVerdict() throws Exception {
        IOException offline = new IOException("agent is offline");
        String outcome = StageDelivery.deliver(() -> calls.add("record"), () -> {
            calls.add("verdict");
            return "ROLLED_BACK";
        }, () -> {
            throw offline;
        }, writeFailures::add);
        assertEquals("ROLLED_BACK", outcome);
        assertEquals(List.of("record", "verdict"), calls);
        assertEquals(List.of(offline), writeFailures);
    }

    @Test
    public void aRuntimeFailureOfTheWriteIsReportedToo() throws Exception {
        IllegalStateException closed = new IllegalStateException("channel closed");
        StageDelivery.deliver(() -> {}, () -> "x", () -> {
            throw closed;
        }, writeFailures::add);
        assertEquals(List.of(closed), writeFailures);
    }

    @Test
    public void anInterruptedWriteIsReportedAndTheInterruptKept() throws Exception {
        try {
            StageDelivery.deliver(() -> {}, () -> "x", () -> {
                throw new InterruptedException("aborted");
            }, writeFailures::add);
            assertTrue("the interrupt stays set for the caller", Thread.interrupted());
            assertEquals(1, writeFailures.size());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    public void aFailedRecordStopsTheDelivery() {
        IOException disk = new IOException("disk full");
        try {
            StageDelivery.deliver(() -> {
                throw disk;
            }, () -> {
                calls.add("verdict");
                return "x";
            }, () -> calls.add("file"), writeFailures::add);
            fail("the record's failure propagates");
        } catch (Exception e) {
            assertSame(disk, e);
        }
        assertTrue(calls.isEmpty());
        assertFalse(writeFailures.contains(disk));
    }
}
