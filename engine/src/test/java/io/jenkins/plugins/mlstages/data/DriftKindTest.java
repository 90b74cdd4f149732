package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/** {@link DriftCheck#kind}: how a column is read for drift, Evidently 0.7's {@code infer_column_type} on pandas dtypes. */
public class DriftKindTest {

    private static DriftMethod.Kind kind(ColumnType declared, String... values) {
        ColumnProfiler profiler = new ColumnProfiler("c", declared, 1000, 1, null);
        for (String value : values) {
            profiler.accept(value);
        }
        return DriftCheck.kind(profiler.finish());
    }

    private static String[] range(int from, int to) {
        List<String> values = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            values.add(String.valueOf(i));
            values.add(String.valueOf(i));
        }
        return values.toArray(new String[0]);
    }

    @Test
    public void integersWithAtMostTenValuesAreCategorical() {
        assertEquals(DriftMethod.Kind.CATEGORICAL, kind(null, range(1, 10)));
        assertEquals(DriftMethod.Kind.NUMERICAL, kind(null, range(1, 11)));
        assertEquals("a declared integer too", DriftMethod.Kind.CATEGORICAL, kind(ColumnType.INTEGER, range(1, 10)));
        // 1 and 01 are one value to pandas
        assertEquals(DriftMethod.Kind.CATEGORICAL, kind(null, "1", "01", "2", "3", "4", "5", "6", "7", "8", "9", "10"));
    }

    @Test
    public void aMissingValueOrNanMakesAnIntegerColumnAFloatColumn() {
        List<String> values = new ArrayList<>(List.of(range(0, 1)));
        values.add(null);
        assertEquals(DriftMethod.Kind.NUMERICAL, kind(null, values.toArray(new String[0])));
        assertEquals(DriftMethod.Kind.NUMERICAL, kind(null, "0", "1", "nan", "1"));
        assertEquals(DriftMethod.Kind.NUMERICAL, kind(null, "0", "1", "-inf", "1"));
    }

    @Test
    public void numbersAreNumericalBooleansAndCategoriesCategorical() {
        assertEquals(DriftMethod.Kind.NUMERICAL, kind(null, "0.5", "1.5", "0.5"));
        assertEquals(DriftMethod.Kind.CATEGORICAL, kind(null, "true", "False", "TRUE"));
        assertEquals(DriftMethod.Kind.CATEGORICAL, kind(ColumnType.CATEGORY, "a", "b", "c"));
    }

    @Test
    public void stringsAreTextWhenMoreThanHalfAreDistinct() {
        assertEquals("2 of 3 distinct", DriftMethod.Kind.TEXT, kind(ColumnType.STRING, "a", "b", "a"));
        assertEquals("2 of 4 distinct", DriftMethod.Kind.CATEGORICAL, kind(ColumnType.STRING, "a", "b", "a", "b"));
        assertEquals(DriftMethod.Kind.TEXT, kind(null, "the cat sat", "a dog ran", "birds fly"));
    }

    @Test
    public void datesAndTimestampsAreNotCompared() {
        assertNull(kind(null, "2024-01-01", "2024-01-02"));
        assertNull(kind(null, "2024-01-01T10:00:00", "2024-01-02T11:00:00"));
    }
}
