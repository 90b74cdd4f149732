package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

public class ColumnWorkersTest {

    @Test
    public void aWideTableGetsBatchesOfFewerRowsSoThatABatchStaysSmall() {
        assertEquals(ColumnWorkers.BATCH_ROWS, ColumnWorkers.batchRows(20));
        assertEquals(ColumnWorkers.BATCH_VALUES / 5000, ColumnWorkers.batchRows(5000));
        assertEquals(1, ColumnWorkers.batchRows(10 * ColumnWorkers.BATCH_VALUES));
        int columns = 5000;
        long[] sums = new long[columns];
        List<ColumnWorkers.ColumnConsumer> consumers = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            int column = c;
            consumers.add((row, chars, start, length, bits) -> sums[column] += row * (chars[start] - '0'));
        }
        ColumnWorkers workers = new ColumnWorkers(consumers, 2);
        String[] values = new String[columns];
        java.util.Arrays.fill(values, "3");
        for (int row = 1; row <= 300; row++) {
            workers.add(row, values);
        }
        workers.finish();
        for (long sum : sums) {
            assertEquals(3L * 300 * 301 / 2, sum);
        }
    }

    @Test
    public void everyValueArrivesIntactInRowOrderFromTextRowsAndStringRows() {
        int columns = 3;
        List<List<String>> seen = new ArrayList<>();
        List<ColumnWorkers.ColumnConsumer> consumers = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            List<String> column = new ArrayList<>();
            seen.add(column);
            consumers.add((row, chars, start, length, bits) -> column.add(row + ":" + (length < 0 ? null : new String(chars, start, length))));
        }
        ColumnWorkers workers = new ColumnWorkers(consumers, 2);
        List<List<String>> expected = new ArrayList<>(List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
        TextRow text = new TextRow(columns);
        String huge = "h".repeat(ColumnWorkers.BATCH_CHARS + 5); // more than a batch holds: sent alone
        for (int row = 1; row <= 3 * ColumnWorkers.BATCH_ROWS + 17; row++) {
            String[] values = {"a" + row, row % 5 == 0 ? null : "b", row == 100 ? huge : "c" + row % 7};
            if (row % 2 == 0) {
                workers.add(row, values);
            } else {
                text.clear();
                for (int c = 0; c < columns; c++) {
                    if (values[c] != null) {
                        text.set(c, values[c].toCharArray(), 0, values[c].length());
                    }
                }
                workers.add(row, text);
            }
            for (int c = 0; c < columns; c++) {
                expected.get(c).add(row + ":" + values[c]);
            }
        }
        workers.finish();
        assertEquals(expected, seen);
    }
}
