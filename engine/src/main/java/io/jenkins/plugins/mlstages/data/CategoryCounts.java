package io.jenkins.plugins.mlstages.data;

import java.util.Arrays;
import java.util.function.ObjLongConsumer;

/**
 * Exact counts of a column's distinct values, at most a fixed number of them, looked up by the
 * characters of a {@link TextSlice}: an open-addressing table on the String hash of the slice, so a
 * value seen before costs a hash and a comparison, and only a new value becomes a String.
 *
 * <p>Laid out for few cache misses per look-up: a slot is one {@code long} (the hash and the entry's
 * number), the entries are dense arrays in the order they were added, and every key's characters sit
 * in one pool, so a known value reads a slot, the entry's place in the pool, its characters, and its
 * count and number (side by side in one array).
 */
final class CategoryCounts {
    /** What {@link #count} did with a value. */
    static final int KNOWN = 0;
    static final int ADDED = 1;
    static final int NOT_KEPT = 2;

    private final int limit;
    /** (hash << 32) | (entry + 1); 0 is a free slot. */
    private long[] slots = new long[64];
    /** Entry e: its String. */
    private String[] keys = new String[16];
    /** Entry e: its characters in {@link #pool} from {@code places[2e]}, {@code places[2e + 1]} of them. */
    private int[] places = new int[32];
    private char[] pool = new char[256];
    private int pooled;
    /**
     * Entry e: its count at {@code 2e} and, at {@code 2e + 1}, the raw bits of what
     * {@link ColumnType#parseDoubleOrNaN} gives for it, so that a known value is not parsed again.
     */
    private long[] countsAndNumbers = new long[32];
    private int size;
    /** The number of the value the last {@link #count} counted or added. */
    private double lastNumber = Double.NaN;

    CategoryCounts(int limit) {
        this.limit = limit;
    }

    /** Counts one occurrence: {@link #KNOWN}, {@link #ADDED} (see {@link #lastAdded()}) or {@link #NOT_KEPT} when full. */
    int count(TextSlice value) {
        return count(value, 1);
    }

    /** As {@link #count(TextSlice)}, for {@code times} occurrences at once. */
    int count(TextSlice value, long times) {
        int hash = value.stringHash();
        String string = value.string(); // a reader's String, often the very key (Parquet dictionaries)
        long[] table = slots;
        int mask = table.length - 1;
        int index = spread(hash) & mask;
        for (long slot = table[index]; slot != 0; slot = table[index]) {
            if ((int) (slot >>> 32) == hash) {
                int entry = (int) slot - 1;
                String key = keys[entry];
                if (key == string || (string != null ? key.equals(string)
                        : value.contentEquals(pool, places[2 * entry], places[2 * entry + 1]))) {
                    countsAndNumbers[2 * entry] += times;
                    lastNumber = Double.longBitsToDouble(countsAndNumbers[2 * entry + 1]);
                    return KNOWN;
                }
            }
            index = (index + 1) & mask;
        }
        if (size >= limit) {
            return NOT_KEPT;
        }
        add(index, hash, value, times);
        return ADDED;
    }

    private void add(int index, int hash, TextSlice value, long times) {
        int entry = size++;
        if (entry == keys.length) {
            keys = Arrays.copyOf(keys, entry * 2);
            places = Arrays.copyOf(places, entry * 4);
            countsAndNumbers = Arrays.copyOf(countsAndNumbers, entry * 4);
        }
        int length = value.length();
        if (pooled + length > pool.length) {
            pool = Arrays.copyOf(pool, Math.max(pool.length * 2, pooled + length));
        }
        System.arraycopy(value.buffer(), value.start(), pool, pooled, length);
        places[2 * entry] = pooled;
        places[2 * entry + 1] = length;
        pooled += length;
        keys[entry] = value.toString();
        lastNumber = ColumnType.parseDoubleOrNaN(value);
        countsAndNumbers[2 * entry] = times;
        countsAndNumbers[2 * entry + 1] = Double.doubleToRawLongBits(lastNumber);
        slots[index] = (long) hash << 32 | (entry + 1L);
        if (size * 2 > slots.length) {
            grow();
        }
    }

    /** The number of the value the last {@link #count} found {@link #KNOWN} or {@link #ADDED}, as {@link ColumnType#parseDoubleOrNaN} gives it. */
    double lastNumber() {
        return lastNumber;
    }

    /** The value the last {@link #ADDED} made into a key. */
    String lastAdded() {
        return keys[size - 1];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Forgets every value and frees the table. */
    void clear() {
        slots = new long[64];
        keys = new String[16];
        places = new int[32];
        pool = new char[256];
        pooled = 0;
        countsAndNumbers = new long[32];
        size = 0;
        lastNumber = Double.NaN;
    }

    /** Every kept value and its count, in the order the values were first seen. */
    void forEach(ObjLongConsumer<String> action) {
        for (int e = 0; e < size; e++) {
            action.accept(keys[e], countsAndNumbers[2 * e]);
        }
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        int mask = slots.length - 1;
        for (long slot : old) {
            if (slot != 0) {
                int index = spread((int) (slot >>> 32)) & mask;
                while (slots[index] != 0) {
                    index = (index + 1) & mask;
                }
                slots[index] = slot;
            }
        }
    }

    private static int spread(int hash) {
        int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
