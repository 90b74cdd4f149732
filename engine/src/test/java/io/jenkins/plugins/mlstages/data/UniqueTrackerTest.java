package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/** {@link UniqueTracker}: exact duplicate detection by 64-bit hashes, and its overflow. */
public class UniqueTrackerTest {

    @Test
    public void countsDuplicates() {
        UniqueTracker tracker = new UniqueTracker();
        List<Boolean> seen = new ArrayList<>();
        for (String value : new String[] {"a", "b", "a", "a", "c", "b", "", ""}) {
            seen.add(tracker.addIsDuplicate(value));
        }
        assertEquals(List.of(false, false, true, true, false, true, false, true), seen);
        assertEquals(4, tracker.duplicates());
        assertFalse(tracker.overflowed());
    }

    @Test
    public void valuesAreComparedExactly() {
        UniqueTracker tracker = new UniqueTracker();
        assertFalse(tracker.addIsDuplicate("é"));
        assertFalse(tracker.addIsDuplicate("e\u0301")); // the same letter, decomposed: other bytes
        assertFalse(tracker.addIsDuplicate("E"));
        assertFalse(tracker.addIsDuplicate("e"));
        assertFalse(tracker.addIsDuplicate("1"));
        assertFalse(tracker.addIsDuplicate("1.0"));
        assertFalse(tracker.addIsDuplicate(" 1"));
        assertEquals(0, tracker.duplicates());
    }

    @Test
    public void hundredThousandDistinctValuesHaveNoFalseDuplicate() {
        UniqueTracker tracker = new UniqueTracker();
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            assertFalse("value " + i, tracker.addIsDuplicate("id-" + i));
        }
        assertEquals(0, tracker.duplicates());
        // after the table grew many times, every value is still found
        for (int i = 0; i < n; i++) {
            assertTrue("value " + i, tracker.addIsDuplicate("id-" + i));
        }
        assertEquals(n, tracker.duplicates());
        assertFalse(tracker.overflowed());
    }

    @Test
    public void sequentialNumbersHaveNoFalseDuplicate() {
        UniqueTracker tracker = new UniqueTracker();
        for (long i = 0; i < 100_000; i++) {
            assertFalse(tracker.addIsDuplicate(Long.toString(i * 1_000_003L)));
        }
        assertEquals(0, tracker.duplicates());
    }

    @Test
    public void hashIsStableAndSpread() {
        assertEquals(UniqueTracker.hash("abc"), UniqueTracker.hash(new String("abc")));
        assertNotEquals(UniqueTracker.hash("abc"), UniqueTracker.hash("abd"));
        assertNotEquals(UniqueTracker.hash("ab"), UniqueTracker.hash("ba"));
        assertNotEquals(0L, UniqueTracker.hash(""));
    }

    @Test
    public void stopsTrackingPastTheLimit() {
        UniqueTracker tracker = new UniqueTracker();
        for (int i = 0; i < UniqueTracker.MAX_VALUES - 1; i++) {
            tracker.addIsDuplicate(Integer.toString(i));
        }
        assertFalse(tracker.overflowed());
        assertTrue(tracker.addIsDuplicate("0"));
        assertFalse(tracker.addIsDuplicate("last"));
        assertTrue(tracker.overflowed());
        // no longer tracked: a repeat is not reported
        assertFalse(tracker.addIsDuplicate("0"));
        assertEquals(1, tracker.duplicates());
    }
}
