package io.jenkins.plugins.mlstages.data;

import java.util.Arrays;
import java.util.function.ObjLongConsumer;

/**
 * Exact counts of a column's distinct values, at most a fixed number of them, looked up by the
 * characters of a {@link TextSlice}: an open-addressing table on the String hash of the slice, so a
 * value seen before costs a hash and a comparison, and only a new value becomes a String.
 */
final class CategoryCounts {
    /** What {@link #count} did with a value. */
    static final int KNOWN = 0;
    static final int ADDED = 1;
    static final int NOT_KEPT = 2;

    private final int limit;
    private String[] keys = new String[64];
    /** The characters of each key, compared with {@link Arrays#equals(char[], int, int, char[], int, int)}. */
    private char[][] keyChars = new char[64][];
    private int[] hashes = new int[64];
    private long[] counts = new long[64];
    /** What {@link ColumnType#parseDoubleOrNaN} gives for each key, so that a known value is not parsed again. */
    private double[] numbers = new double[64];
    private int size;
    private String lastAdded;
    /** The number of the value the last {@link #count} counted or added. */
    private double lastNumber = Double.NaN;

    CategoryCounts(int limit) {
        this.limit = limit;
    }

    /** Counts one occurrence: {@link #KNOWN}, {@link #ADDED} (see {@link #lastAdded()}) or {@link #NOT_KEPT} when full. */
    int count(TextSlice value) {
        int hash = value.stringHash();
        String string = value.string(); // a reader's String, often the very key (Parquet dictionaries)
        int mask = keys.length - 1;
        int index = spread(hash) & mask;
        for (String key = keys[index]; key != null; key = keys[index]) {
            if (hashes[index] == hash && (key == string || value.contentEquals(keyChars[index]))) {
                counts[index]++;
                lastNumber = numbers[index];
                return KNOWN;
            }
            index = (index + 1) & mask;
        }
        if (size >= limit) {
            return NOT_KEPT;
        }
        lastAdded = value.toString();
        keys[index] = lastAdded;
        keyChars[index] = lastAdded.toCharArray();
        hashes[index] = hash;
        counts[index] = 1;
        lastNumber = numbers[index] = ColumnType.parseDoubleOrNaN(value);
        if (++size * 2 > keys.length) {
            grow();
        }
        return ADDED;
    }

    /** The number of the value the last {@link #count} found {@link #KNOWN} or {@link #ADDED}, as {@link ColumnType#parseDoubleOrNaN} gives it. */
    double lastNumber() {
        return lastNumber;
    }

    /** The value the last {@link #ADDED} made into a key. */
    String lastAdded() {
        return lastAdded;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Forgets every value and frees the table. */
    void clear() {
        keys = new String[64];
        keyChars = new char[64][];
        hashes = new int[64];
        counts = new long[64];
        numbers = new double[64];
        size = 0;
        lastAdded = null;
        lastNumber = Double.NaN;
    }

    void forEach(ObjLongConsumer<String> action) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                action.accept(keys[i], counts[i]);
            }
        }
    }

    private void grow() {
        String[] oldKeys = keys;
        char[][] oldChars = keyChars;
        int[] oldHashes = hashes;
        long[] oldCounts = counts;
        double[] oldNumbers = numbers;
        keys = new String[oldKeys.length * 2];
        numbers = new double[keys.length];
        keyChars = new char[keys.length][];
        hashes = new int[keys.length];
        counts = new long[keys.length];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                int index = spread(oldHashes[i]) & mask;
                while (keys[index] != null) {
                    index = (index + 1) & mask;
                }
                keys[index] = oldKeys[i];
                keyChars[index] = oldChars[i];
                hashes[index] = oldHashes[i];
                counts[index] = oldCounts[i];
                numbers[index] = oldNumbers[i];
            }
        }
    }

    private static int spread(int hash) {
        int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
