package io.jenkins.plugins.mlstages.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Feeds rows to per-column consumers on worker threads while the reader goes on reading: rows are
 * gathered in batches (the characters of every value in one char buffer, no String per value), and
 * each worker handles a fixed share of the columns of every batch, in row order. A column is only ever touched by one worker, so its consumer needs no locking and sees its
 * values in the same order as a single thread would (which keeps seeded sampling deterministic).
 */
final class ColumnWorkers {
    /** Receives the values of one column, row by row, as slices of a buffer it must not keep. */
    interface ColumnConsumer {
        /**
         * @param length the value's length in {@code chars} from {@code start}; {@link TextRow#MISSING} when the
         *        value is missing, {@link TextRow#DOUBLE} or {@link TextRow#LONG} when it is a number kept as such
         * @param bits the number, for {@link TextRow#DOUBLE} and {@link TextRow#LONG}
         */
        void accept(long row, char[] chars, int start, int length, long bits);

        /** A present value held as a String (from a {@link ColumnBlock}); by default its characters go to {@link #accept}. */
        default void acceptText(long row, String value) {
            accept(row, value.toCharArray(), 0, value.length(), 0);
        }

        /**
         * The first {@code size} rows of one column of a {@link ColumnBlock} (see there for the arrays); by
         * default value by value, in row order, through {@link #acceptText} and {@link #accept}.
         */
        default void acceptColumn(long[] rows, int size, int[] kinds, long[] bits, String[] texts, int[] ids,
                int dictionarySize) {
            for (int r = 0; r < size; r++) {
                int kind = kinds[r];
                if (kind == ColumnBlock.TEXT) {
                    acceptText(rows[r], texts[r]);
                } else {
                    accept(rows[r], NO_CHARS, 0, kind, bits[r]);
                }
            }
        }
    }

    static final int BATCH_ROWS = 4096;
    /** Values per batch at most (16 bytes of bookkeeping each): a wide table gets batches of fewer rows. */
    static final int BATCH_VALUES = 1 << 17;
    /** A batch is handed over early once its values hold this many characters, which bounds its buffer. */
    static final int BATCH_CHARS = 1 << 20;
    private static final int BATCHES_IN_FLIGHT = 4;
    static final char[] NO_CHARS = new char[0];

    private final List<ColumnConsumer> consumers;
    private final List<BlockingQueue<Batch>> queues = new ArrayList<>();
    private final BlockingQueue<Batch> free;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private Batch filling;

    ColumnWorkers(List<ColumnConsumer> consumers, int workers) {
        this.consumers = consumers;
        int count = Math.max(1, Math.min(workers, consumers.size()));
        this.free = new ArrayBlockingQueue<>(BATCHES_IN_FLIGHT);
        for (int i = 0; i < BATCHES_IN_FLIGHT; i++) {
            free.add(new Batch(consumers.size(), batchRows(consumers.size())));
        }
        for (int w = 0; w < count; w++) {
            BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(BATCHES_IN_FLIGHT + 1);
            queues.add(queue);
            int first = w;
            Thread thread = new Thread(() -> work(queue, first, count), "mlstages-profile-" + w);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** Adds one row; {@code values} may be reused by the caller afterwards. */
    void add(long row, TextRow values) {
        Batch batch = filling();
        int used = values.used();
        int offset = batch.reserve(used);
        System.arraycopy(values.chars(), 0, batch.chars, offset, used);
        int at = batch.size * consumers.size();
        for (int c = 0; c < consumers.size(); c++) {
            int length = values.length(c);
            batch.starts[at + c] = offset + values.start(c);
            batch.lengths[at + c] = length;
            if (length < TextRow.MISSING) {
                batch.bits[at + c] = values.bits(c);
            }
        }
        added(batch, row);
    }

    /** Adds one row of Strings (null when missing); {@code values} may be reused by the caller afterwards. */
    void add(long row, String[] values) {
        Batch batch = filling();
        int at = batch.size * consumers.size();
        for (int c = 0; c < consumers.size(); c++) {
            String value = values[c];
            if (value == null) {
                batch.lengths[at + c] = TextRow.MISSING;
            } else {
                int offset = batch.reserve(value.length());
                value.getChars(0, value.length(), batch.chars, offset);
                batch.starts[at + c] = offset;
                batch.lengths[at + c] = value.length();
            }
        }
        added(batch, row);
    }

    /**
     * Adds a block of rows held column by column ({@link #batchRows} at most); the block may be refilled
     * by the caller afterwards. Its columns are copied whole into a batch of their own.
     */
    void add(ColumnBlock block) {
        if (filling != null && filling.size > 0) {
            dispatch(filling);
        }
        filling = null;
        Batch batch = take(free);
        batch.columnar(block);
        for (int i = 0; i < block.size; i++) {
            batch.rows[i] = block.firstRow + i;
        }
        batch.size = block.size;
        dispatch(batch);
    }

    /** Rows per batch: {@link #BATCH_ROWS}, fewer for a table so wide that they would exceed {@link #BATCH_VALUES}. */
    static int batchRows(int columns) {
        return Math.max(1, Math.min(BATCH_ROWS, BATCH_VALUES / Math.max(1, columns)));
    }

    private Batch filling() {
        if (filling == null) {
            filling = take(free);
        }
        return filling;
    }

    private void added(Batch batch, long row) {
        batch.rows[batch.size++] = row;
        if (batch.size == batch.rows.length || batch.used >= BATCH_CHARS) {
            dispatch(batch);
            filling = null;
        }
    }

    /** Hands over the last rows, waits for the workers, and rethrows what failed in them. */
    void finish() {
        if (filling != null && filling.size > 0) {
            dispatch(filling);
        }
        filling = null;
        for (BlockingQueue<Batch> queue : queues) {
            put(queue, Batch.END);
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while profiling", e);
            }
        }
        Throwable failed = failure.get();
        if (failed instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failed instanceof Error error) {
            throw error;
        }
    }

    private void dispatch(Batch batch) {
        rethrowEarly();
        batch.pending.set(queues.size());
        for (BlockingQueue<Batch> queue : queues) {
            put(queue, batch);
        }
    }

    private void work(BlockingQueue<Batch> queue, int first, int stride) {
        while (true) {
            Batch batch = take(queue);
            if (batch == Batch.END) {
                return;
            }
            try {
                if (failure.get() == null && batch.columnar) {
                    workColumns(batch, first, stride);
                } else if (failure.get() == null) {
                    int columns = consumers.size();
                    for (int c = first; c < columns; c += stride) {
                        ColumnConsumer consumer = consumers.get(c);
                        for (int r = 0, at = c; r < batch.size; r++, at += columns) {
                            consumer.accept(batch.rows[r], batch.chars, batch.starts[at], batch.lengths[at], batch.bits[at]);
                        }
                    }
                }
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e);
            } finally {
                if (batch.pending.decrementAndGet() == 0) {
                    batch.reset();
                    put(free, batch);
                }
            }
        }
    }

    /** A batch held column by column. */
    private void workColumns(Batch batch, int first, int stride) {
        for (int c = first; c < consumers.size(); c += stride) {
            consumers.get(c).acceptColumn(batch.rows, batch.size, batch.columnKinds[c], batch.columnBits[c],
                    batch.columnTexts[c], batch.columnIds[c], batch.dictionarySizes[c]);
        }
    }

    private void rethrowEarly() {
        Throwable failed = failure.get();
        if (failed != null) {
            finish();
        }
    }

    private static <T> T take(BlockingQueue<T> queue) {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while profiling", e);
        }
    }

    private static <T> void put(BlockingQueue<T> queue, T item) {
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while profiling", e);
        }
    }

    /** Rows of a batch: the value of row r, column c is chars[starts[i]..] of lengths[i], i = r * columns + c. */
    private static final class Batch {
        private static final int INITIAL_CHARS = 1 << 16;
        static final Batch END = new Batch(0, 0);

        char[] chars = new char[INITIAL_CHARS];
        int used;
        final int[] starts;
        final int[] lengths;
        final long[] bits;
        final long[] rows;
        final AtomicInteger pending = new AtomicInteger();
        int size;
        /** Whether the rows are held column by column ({@link #columnar(ColumnBlock)}), not in the arrays above. */
        boolean columnar;
        int[][] columnKinds;
        long[][] columnBits;
        String[][] columnTexts;
        int[][] columnIds;
        int[] dictionarySizes;

        Batch(int columns, int rows) {
            this.rows = new long[rows];
            starts = new int[columns * rows];
            lengths = new int[columns * rows];
            bits = new long[columns * rows];
        }

        /** Room for {@code length} more characters; returns where they go. */
        int reserve(int length) {
            int offset = used;
            if (offset + length > chars.length) {
                chars = Arrays.copyOf(chars, Math.max(chars.length * 2, offset + length));
            }
            used = offset + length;
            return offset;
        }

        /** Takes a copy of a block's columns. */
        void columnar(ColumnBlock block) {
            int width = block.width();
            if (columnKinds == null) {
                columnKinds = new int[width][rows.length];
                columnBits = new long[width][rows.length];
                columnTexts = new String[width][rows.length];
                columnIds = new int[width][rows.length];
                dictionarySizes = new int[width];
            }
            for (int c = 0; c < width; c++) {
                System.arraycopy(block.kinds[c], 0, columnKinds[c], 0, block.size);
                System.arraycopy(block.bits[c], 0, columnBits[c], 0, block.size);
                System.arraycopy(block.texts[c], 0, columnTexts[c], 0, block.size);
                System.arraycopy(block.ids[c], 0, columnIds[c], 0, block.size);
            }
            System.arraycopy(block.dictionarySizes, 0, dictionarySizes, 0, width);
            columnar = true;
        }

        void reset() {
            if (columnar) {
                for (String[] texts : columnTexts) {
                    Arrays.fill(texts, 0, size, null);
                }
                columnar = false;
            }
            size = 0;
            used = 0;
            if (chars.length > 2 * BATCH_CHARS) {
                chars = new char[INITIAL_CHARS]; // a row of huge values made it grow: do not keep that
            }
        }
    }
}
