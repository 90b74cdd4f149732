package io.jenkins.plugins.mlstages.data;

import java.nio.charset.StandardCharsets;

/**
 * Exact uniqueness of a column's values in bounded memory: an open-addressing set of 64-bit hashes
 * (collisions among 4 M values have a chance below 1e-6). Past {@link #MAX_VALUES} distinct values it
 * stops tracking and says so, and the check falls back to the HLL estimate.
 */
final class UniqueTracker {
    static final int MAX_VALUES = 4_000_000;
    private static final long EMPTY = 0L;

    private long[] slots = new long[1 << 12];
    private int size;
    private long duplicates;
    private boolean overflowed;

    /** Adds a value; returns true when it was seen before. */
    boolean addIsDuplicate(String value) {
        if (overflowed) {
            return false;
        }
        long hash = hash(value);
        int mask = slots.length - 1;
        int index = (int) (hash ^ (hash >>> 32)) & mask;
        while (slots[index] != EMPTY) {
            if (slots[index] == hash) {
                duplicates++;
                return true;
            }
            index = (index + 1) & mask;
        }
        slots[index] = hash;
        size++;
        if (size >= MAX_VALUES) {
            overflowed = true;
            slots = new long[0];
        } else if (size * 2 > slots.length) {
            grow();
        }
        return false;
    }

    long duplicates() {
        return duplicates;
    }

    boolean overflowed() {
        return overflowed;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        int mask = slots.length - 1;
        for (long hash : old) {
            if (hash != EMPTY) {
                int index = (int) (hash ^ (hash >>> 32)) & mask;
                while (slots[index] != EMPTY) {
                    index = (index + 1) & mask;
                }
                slots[index] = hash;
            }
        }
    }

    /** 64-bit FNV-1a over the UTF-8 bytes, finalised with a murmur mix; never 0 (the empty marker). */
    static long hash(String value) {
        long h = 0xcbf29ce484222325L;
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == EMPTY ? 1 : h;
    }
}
