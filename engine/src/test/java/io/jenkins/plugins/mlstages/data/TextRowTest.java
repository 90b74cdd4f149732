package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class TextRowTest {

    @Test
    public void equalValuesShareTheStringsSeenWhileThereIsRoom() {
        String[] seen = new String[2];
        String first = row("1", "0.25").value(0, seen);
        assertSame(first, row("1", "0.5").value(0, seen));
        String zero = row("0", "x").value(0, seen);
        assertEquals("0", zero);
        assertSame(zero, row("0", "x").value(0, seen));
        String two = row("2", "x").value(0, seen); // no room left: a new String each time
        assertEquals("2", two);
        assertNotSame(two, row("2", "x").value(0, seen));
        assertArrayEquals(new String[] {"1", "0"}, seen);
        assertNull(row(null, "x").value(0, seen));
    }

    @Test
    public void numbersAreReadInPlaceAsParseDoubleReadsThem() {
        TextRow row = row("0.25", "-1e3", null, "NaN", "1,5", "7");
        assertEquals(0.25, row.finiteNumberOrNaN(0), 0.0);
        assertEquals(-1000.0, row.finiteNumberOrNaN(1), 0.0);
        assertTrue(Double.isNaN(row.finiteNumberOrNaN(2)));
        assertTrue(Double.isNaN(row.finiteNumberOrNaN(3)));
        assertTrue(Double.isNaN(row.finiteNumberOrNaN(4)));
        assertEquals(7.0, row.finiteNumberOrNaN(5), 0.0);
        assertArrayEquals(new String[] {"0.25", "-1e3", null, "NaN", "1,5", "7"}, row.toStrings());
    }

    private static TextRow row(String... values) {
        TextRow row = new TextRow(values.length);
        row.clear();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                row.set(i, ("..." + values[i]).toCharArray(), 3, values[i].length());
            }
        }
        return row;
    }
}
