package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertEquals;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.SplittableRandom;
import org.junit.Test;

/**
 * {@link ParquetReader.TimestampText} writes every timestamp as java.time's pieces give it: the date as
 * {@code LocalDate.toString}, the time with seconds always and the fraction in groups of three digits.
 */
public class TimestampTextTest {
    private static final long NANOS_PER_DAY = 86_400_000_000_000L;

    /** The text built from java.time, one value at a time, with no state kept between values. */
    private static String expected(long count, long nanosPerUnit, boolean utc) {
        long unitsPerDay = NANOS_PER_DAY / nanosPerUnit;
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(count, unitsPerDay));
        LocalTime time = LocalTime.ofNanoOfDay(Math.floorMod(count, unitsPerDay) * nanosPerUnit);
        String text = date + "T" + String.format("%02d:%02d:%02d", time.getHour(), time.getMinute(), time.getSecond());
        int nanos = time.getNano();
        if (nanos % 1_000_000_000 != 0) {
            text += nanos % 1_000_000 == 0 ? String.format(".%03d", nanos / 1_000_000)
                    : nanos % 1_000 == 0 ? String.format(".%06d", nanos / 1_000) : String.format(".%09d", nanos);
        }
        return utc ? text + "Z" : text;
    }

    @Test
    public void everyUnitAsJavaTimeWritesIt() {
        SplittableRandom random = new SplittableRandom(7);
        for (long nanosPerUnit : new long[] {1_000_000L, 1_000L, 1L}) {
            for (boolean utc : new boolean[] {false, true}) {
                ParquetReader.TimestampText timestamps = new ParquetReader.TimestampText(nanosPerUnit, utc);
                long unitsPerDay = NANOS_PER_DAY / nanosPerUnit;
                long count = 0;
                for (int i = 0; i < 4_000; i++) {
                    switch (i % 5) { // runs within a day, repeats, jumps across days and years, whole seconds
                        case 0 -> count += random.nextLong(1, unitsPerDay / 100);
                        case 1 -> { } // the same value again
                        case 2 -> count = random.nextLong(-40_000L * unitsPerDay, 40_000L * unitsPerDay);
                        case 3 -> count = count - Math.floorMod(count, 1_000_000_000L / nanosPerUnit);
                        default -> count -= random.nextLong(1, 1_000);
                    }
                    assertEquals("count " + count + " in units of " + nanosPerUnit + " ns", expected(count, nanosPerUnit, utc),
                            timestamps.text(count));
                }
            }
        }
    }

    @Test
    public void datesFromYearZeroPastYear10000AsLocalDateWritesThem() {
        ParquetReader.TimestampText seconds = new ParquetReader.TimestampText(1_000_000_000L, false);
        long last = LocalDate.of(10_001, 12, 31).toEpochDay();
        for (long day = LocalDate.of(-2, 1, 1).toEpochDay(); day <= last; ) {
            assertEquals(LocalDate.ofEpochDay(day) + "T00:00:00", seconds.text(day * 86_400));
            int year = LocalDate.ofEpochDay(day).getYear();
            // every day of a whole 400-year cycle (all leap-year rules), of 1900-2100 and around year 10000
            day += year <= 402 || (year >= 1899 && year <= 2101) || year >= 9999 ? 1 : 17;
        }
    }

    @Test
    public void edgesOfTheDayAndOfTheYearRange() {
        ParquetReader.TimestampText nanos = new ParquetReader.TimestampText(1, false);
        assertEquals("1970-01-01T00:00:00", nanos.text(0));
        assertEquals("1969-12-31T23:59:59.999999999", nanos.text(-1));
        assertEquals("1970-01-01T00:00:00.000000001", nanos.text(1));
        assertEquals("1970-01-01T00:00:00.100", nanos.text(100_000_000));
        assertEquals("1970-01-01T00:00:00.000100", nanos.text(100_000));
        assertEquals(expected(Long.MIN_VALUE, 1, false), nanos.text(Long.MIN_VALUE));
        assertEquals(expected(Long.MAX_VALUE, 1, false), nanos.text(Long.MAX_VALUE));
        ParquetReader.TimestampText millis = new ParquetReader.TimestampText(1_000_000L, true);
        long day = NANOS_PER_DAY / 1_000_000L;
        for (long d : new long[] {LocalDate.of(-5, 3, 1).toEpochDay(), LocalDate.of(12, 1, 1).toEpochDay(),
                LocalDate.of(999, 12, 31).toEpochDay(), LocalDate.of(10_000, 1, 1).toEpochDay(),
                LocalDate.of(200_000, 6, 30).toEpochDay(), LocalDate.of(-200_000, 6, 30).toEpochDay()}) {
            assertEquals(expected(d * day + 1, 1_000_000L, true), millis.text(d * day + 1));
            assertEquals(expected(d * day - 1, 1_000_000L, true), millis.text(d * day - 1));
        }
        assertEquals("+10000-01-01T00:00:00.001Z", millis.text(LocalDate.of(10_000, 1, 1).toEpochDay() * day + 1));
    }
}
