package io.jenkins.plugins.mlstages.deploy.behaviour;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A uniform sample of at most {@code capacity} rows of {@code columns} doubles from a stream of any
 * length (Vitter's algorithm R), seeded, so the same stream gives the same sample. Rows are kept whole:
 * a paired sample stays paired. Memory: {@code capacity × columns} doubles, allocated as rows arrive.
 */
final class Reservoir {
    private final int capacity;
    private final int columns;
    private final SplittableRandom random;
    private double[][] rows;
    private int size;
    private long seen;

    Reservoir(int capacity, int columns, long seed) {
        if (capacity < 1) {
            throw new IllegalArgumentException("reservoir capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.columns = columns;
        this.random = new SplittableRandom(seed);
        this.rows = new double[columns][Math.min(capacity, 1024)];
    }

    void add(double... row) {
        seen++;
        int slot;
        if (size < capacity) {
            slot = size++;
            if (slot == rows[0].length) {
                int grown = (int) Math.min(capacity, 2L * rows[0].length);
                for (int c = 0; c < columns; c++) {
                    rows[c] = Arrays.copyOf(rows[c], grown);
                }
            }
        } else {
            long pick = random.nextLong(seen);
            if (pick >= capacity) {
                return;
            }
            slot = (int) pick;
        }
        for (int c = 0; c < columns; c++) {
            rows[c][slot] = row[c];
        }
    }

    /** A copy of one column of the kept rows. */
    double[] column(int column) {
        return Arrays.copyOf(rows[column], size);
    }

    /** A sorted copy of one column of the kept rows. */
    double[] sorted(int column) {
        double[] values = column(column);
        Arrays.sort(values);
        return values;
    }

    int size() {
        return size;
    }

    long seen() {
        return seen;
    }
}
