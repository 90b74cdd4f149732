package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.Test;

public class CategoryCountsTest {

    @Test
    public void countsLikeAMapOfStringsUpToTheLimit() {
        CategoryCounts counts = new CategoryCounts(1000);
        Map<String, Long> expected = new HashMap<>();
        SplittableRandom random = new SplittableRandom(7);
        char[] buffer = new char[64];
        TextSlice slice = new TextSlice();
        for (int i = 0; i < 50_000; i++) {
            String value = "v" + random.nextInt(800);
            int at = random.nextInt(32); // the same value at different places of a buffer
            value.getChars(0, value.length(), buffer, at);
            int seen = counts.count(slice.set(buffer, at, value.length()));
            assertEquals(expected.containsKey(value) ? CategoryCounts.KNOWN : CategoryCounts.ADDED, seen);
            if (seen == CategoryCounts.ADDED) {
                assertEquals(value, counts.lastAdded());
            }
            expected.merge(value, 1L, Long::sum);
        }
        assertEquals(expected.size(), counts.size());
        Map<String, Long> actual = new HashMap<>();
        counts.forEach(actual::put);
        assertEquals(expected, actual);
    }

    @Test
    public void keepsEachValuesNumberAsParsingGivesIt() {
        CategoryCounts counts = new CategoryCounts(1000);
        TextSlice slice = new TextSlice();
        for (String value : new String[] {"1.5", "x", "1e3", "-0", "NaN", "1.5", "x", "  2", "1e3"}) {
            counts.count(slice.set(value));
            double expected = ColumnType.parseDoubleOrNaN(value);
            assertEquals(value, Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(counts.lastNumber()));
        }
        for (int i = 0; i < 200; i++) { // through the table's growth, on an added value and on a known one
            counts.count(slice.set(Integer.toString(i)));
            assertEquals(i, counts.lastNumber(), 0.0);
            counts.count(slice.set(Integer.toString(i / 2)));
            assertEquals(i / 2, counts.lastNumber(), 0.0);
        }
        counts.count(slice.set("1e3"));
        assertEquals(1000.0, counts.lastNumber(), 0.0);
    }

    @Test
    public void aStringFromAReaderIsFoundByItsCachedHashAndTheSameCharacters() {
        CategoryCounts counts = new CategoryCounts(10);
        TextSlice slice = new TextSlice();
        String red = "red";
        assertEquals(CategoryCounts.ADDED, counts.count(slice.setString(red)));
        assertEquals(CategoryCounts.KNOWN, counts.count(slice.setString(red)));
        assertEquals(CategoryCounts.KNOWN, counts.count(slice.setString(new String("red"))));
        assertEquals(CategoryCounts.KNOWN, counts.count(slice.set("red".toCharArray(), 0, 3)));
        assertEquals(CategoryCounts.ADDED, counts.count(slice.setString("reed")));
        Map<String, Long> actual = new HashMap<>();
        counts.forEach(actual::put);
        assertEquals(Map.of("red", 4L, "reed", 1L), actual);
    }

    @Test
    public void pastTheLimitNewValuesAreNotKeptAndKeptOnesGoOnCounting() {
        CategoryCounts counts = new CategoryCounts(2);
        TextSlice slice = new TextSlice();
        assertEquals(CategoryCounts.ADDED, counts.count(slice.set("a")));
        assertEquals(CategoryCounts.ADDED, counts.count(slice.set("b")));
        assertEquals(CategoryCounts.NOT_KEPT, counts.count(slice.set("c")));
        assertEquals(CategoryCounts.KNOWN, counts.count(slice.set("a")));
        Map<String, Long> actual = new HashMap<>();
        counts.forEach(actual::put);
        assertEquals(Map.of("a", 2L, "b", 1L), actual);
    }

    @Test
    public void countsManyOccurrencesAtOnceAsOneByOne() {
        CategoryCounts counts = new CategoryCounts(2);
        TextSlice slice = new TextSlice();
        assertEquals(CategoryCounts.ADDED, counts.count(slice.set("a"), 5));
        assertEquals(CategoryCounts.KNOWN, counts.count(slice.set("a"), 3));
        assertEquals(CategoryCounts.ADDED, counts.count(slice.set("b"), 1));
        assertEquals(CategoryCounts.NOT_KEPT, counts.count(slice.set("c"), 7));
        Map<String, Long> actual = new HashMap<>();
        counts.forEach(actual::put);
        assertEquals(Map.of("a", 8L, "b", 1L), actual);
    }

    @Test
    public void sliceHashIsTheStringHashForEveryLength() {
        SplittableRandom random = new SplittableRandom(3);
        TextSlice slice = new TextSlice();
        for (int length = 0; length < 70; length++) {
            char[] chars = new char[length + 2];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) random.nextInt(0x3000);
            }
            String value = new String(chars, 1, length);
            assertEquals(value, value.hashCode(), slice.set(chars, 1, length).stringHash());
        }
    }

    @Test
    public void valuesWithTheSameStringHashStayApart() {
        CategoryCounts counts = new CategoryCounts(10);
        TextSlice slice = new TextSlice();
        assertEquals("Aa".hashCode(), "BB".hashCode());
        assertEquals(CategoryCounts.ADDED, counts.count(slice.set("Aa")));
        assertEquals(CategoryCounts.ADDED, counts.count(slice.set("BB")));
        assertEquals(CategoryCounts.KNOWN, counts.count(slice.set("BB")));
        assertEquals(2, counts.size());
    }
}
