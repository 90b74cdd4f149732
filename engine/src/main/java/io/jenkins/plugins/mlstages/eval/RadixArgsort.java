package io.jenkins.plugins.mlstages.eval;

/**
 * An index sort of doubles: LSD radix sort on the order-preserving 64-bit image of each value, 11 bits per
 * pass, skipping passes in which every value has the same digit (for probabilities the sign and most
 * exponent bits). Stable, O(n); about 24 bytes per row of scratch. {@code -0.0} sorts as {@code 0.0};
 * NaN must be rejected by the caller.
 */
final class RadixArgsort {
    private static final int BITS = 11;
    private static final int BUCKETS = 1 << BITS;
    private static final int MASK = BUCKETS - 1;

    private RadixArgsort() {
    }

    /** Unsigned-comparable key: ascending keys = ascending values. */
    static long key(double v) {
        long bits = Double.doubleToRawLongBits(v + 0.0);
        return bits ^ ((bits >> 63) | Long.MIN_VALUE);
    }

    /** Indices in descending value order (ties in index order) and the matching (complemented) keys. */
    record Sorted(int[] index, long[] keys) {
    }

    /** Sorts the indices of {@code values} by descending value; equal keys mean equal values. */
    static Sorted descending(double[] values) {
        int n = values.length;
        long[] keys = new long[n];
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            keys[i] = ~key(values[i]); // descending
            idx[i] = i;
        }
        long[] keys2 = new long[n];
        int[] idx2 = new int[n];
        int[] count = new int[BUCKETS];
        for (int shift = 0; shift < 64; shift += BITS) {
            java.util.Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) {
                count[(int) (keys[i] >>> shift) & MASK]++;
            }
            if (n == 0 || count[(int) (keys[0] >>> shift) & MASK] == n) {
                continue; // every key has this digit
            }
            int sum = 0;
            for (int b = 0; b < BUCKETS; b++) {
                int c = count[b];
                count[b] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                long k = keys[i];
                int pos = count[(int) (k >>> shift) & MASK]++;
                keys2[pos] = k;
                idx2[pos] = idx[i];
            }
            long[] tk = keys;
            keys = keys2;
            keys2 = tk;
            int[] ti = idx;
            idx = idx2;
            idx2 = ti;
        }
        return new Sorted(idx, keys);
    }
}
