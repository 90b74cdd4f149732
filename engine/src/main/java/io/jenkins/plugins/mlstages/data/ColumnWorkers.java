package io.jenkins.plugins.mlstages.data;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Feeds rows to per-column consumers on worker threads while the reader goes on reading: rows are
 * gathered in batches, and each worker handles a fixed share of the columns of every batch, in row
 * order. A column is only ever touched by one worker, so its consumer needs no locking and sees its
 * values in the same order as a single thread would (which keeps seeded sampling deterministic).
 */
final class ColumnWorkers {
    /** Receives the values of one column, row by row. */
    interface ColumnConsumer {
        void accept(long row, String value);
    }

    static final int BATCH_ROWS = 4096;
    private static final int BATCHES_IN_FLIGHT = 4;

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
            free.add(new Batch(consumers.size()));
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
    void add(long row, String[] values) {
        if (filling == null) {
            filling = take(free);
        }
        System.arraycopy(values, 0, filling.values[filling.size], 0, values.length);
        filling.rows[filling.size++] = row;
        if (filling.size == BATCH_ROWS) {
            dispatch(filling);
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
                if (failure.get() == null) {
                    for (int c = first; c < consumers.size(); c += stride) {
                        ColumnConsumer consumer = consumers.get(c);
                        for (int r = 0; r < batch.size; r++) {
                            consumer.accept(batch.rows[r], batch.values[r][c]);
                        }
                    }
                }
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e);
            } finally {
                if (batch.pending.decrementAndGet() == 0) {
                    batch.size = 0;
                    put(free, batch);
                }
            }
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

    /** Rows of a batch: values[row][column]. */
    private static final class Batch {
        static final Batch END = new Batch(0);

        final String[][] values;
        final long[] rows = new long[BATCH_ROWS];
        final AtomicInteger pending = new AtomicInteger();
        int size;

        Batch(int columns) {
            values = new String[columns == 0 ? 0 : BATCH_ROWS][columns];
        }
    }
}
