package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Keeps everything a reader sends, copying rows since the reader reuses its array. Shared by the reader tests. */
final class RecordingSink implements RowSink {
    List<String> header;
    final List<String[]> rows = new ArrayList<>();
    final List<Long> lines = new ArrayList<>();
    final List<Long> rowNumbers = new ArrayList<>();
    final List<Double> progress = new ArrayList<>();
    byte[] sha256;

    @Override
    public void header(List<String> columns) {
        header = columns;
    }

    @Override
    public void row(long row, long line, String[] values) {
        rows.add(values.clone());
        lines.add(line);
        rowNumbers.add(row);
    }

    @Override
    public void progress(double shareRead) {
        progress.add(shareRead);
    }

    @Override
    public void fileSha256(byte[] sha256) {
        assertTrue("the digest is reported once", this.sha256 == null);
        this.sha256 = sha256;
    }

    /**
     * Reads a large file whose first column counts 1..rows, keeping only counts (not rows, to stay
     * small), and checks that every row arrived and progress was reported as the contract says: at
     * most every 64 K rows, increasing, ending at 1.
     */
    static void assertReadsAllWithProgress(TableReader reader, Path file, int rows) throws Exception {
        List<Double> progress = new ArrayList<>();
        long[] count = new long[1];
        String[] last = new String[1];
        reader.read(file, new RowSink() {
            @Override
            public void header(List<String> columns) {
                // not needed
            }

            @Override
            public void row(long row, long line, String[] values) {
                count[0]++;
                last[0] = values[0];
            }

            @Override
            public void progress(double shareRead) {
                progress.add(shareRead);
            }
        });
        assertEquals(rows, count[0]);
        assertEquals(Integer.toString(rows), last[0]);
        assertTrue("progress at most every 64K rows: " + progress.size(), progress.size() <= rows / 65_536 + 1);
        assertTrue(progress.size() >= 30);
        for (int i = 1; i < progress.size(); i++) {
            assertTrue("progress must increase: " + progress, progress.get(i) > progress.get(i - 1));
        }
        assertTrue(progress.get(progress.size() - 2) > 0.9);
        assertEquals(1.0, progress.get(progress.size() - 1), 1e-9);
    }
}
