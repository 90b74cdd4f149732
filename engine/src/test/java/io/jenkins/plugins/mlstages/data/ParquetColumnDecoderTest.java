package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.DirectByteBufferAllocator;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder;
import org.junit.Test;

/** The RLE / bit-packed hybrid decoder against parquet-column's own encoder. */
public class ParquetColumnDecoderTest {

    @Test
    public void decodesWhatParquetEncodesAcrossRunsAndCalls() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        for (int width : new int[] {0, 1, 2, 3, 7, 8, 9, 13, 17, 24, 31, 32}) {
            int[] values = new int[10_000];
            for (int i = 0; i < values.length; i++) {
                // runs of repeats (RLE) mixed with random values (bit-packed)
                boolean repeat = i > 0 && (i / 100) % 2 == 0;
                long bound = width == 32 ? (1L << 32) : 1L << width;
                values[i] = repeat ? values[i - 1] : (int) random.nextLong(Math.max(1, bound));
            }
            byte[] encoded = encode(width, values);
            ParquetColumnDecoder.Hybrid hybrid = new ParquetColumnDecoder.Hybrid();
            hybrid.init(ByteBuffer.wrap(encoded), width);
            int[] decoded = new int[values.length];
            int at = 0;
            for (int step = 1; at < values.length; step = step * 3 % 1000 + 1) { // calls of odd sizes
                int count = Math.min(step, values.length - at);
                int[] part = new int[count];
                hybrid.decode(part, count);
                System.arraycopy(part, 0, decoded, at, count);
                at += count;
            }
            assertArrayEquals("bit width " + width, values, decoded);
        }
    }

    @Test
    public void aRunPastTheEndOfThePageIsDamageNotACrash() throws Exception {
        int[] values = new int[64];
        Arrays.setAll(values, i -> i % 13);
        byte[] encoded = encode(4, values);
        ParquetColumnDecoder.Hybrid hybrid = new ParquetColumnDecoder.Hybrid();
        hybrid.init(ByteBuffer.wrap(Arrays.copyOf(encoded, encoded.length / 2)), 4);
        ParquetReader.PageProblem problem = assertThrows(ParquetReader.PageProblem.class,
                () -> hybrid.decode(new int[64], 64));
        assertTrue(problem.getMessage(), problem.getMessage().endsWith("the file is damaged"));
    }

    private static byte[] encode(int width, int[] values) throws Exception {
        RunLengthBitPackingHybridEncoder encoder = new RunLengthBitPackingHybridEncoder(width, 1024, 1 << 20,
                new DirectByteBufferAllocator());
        for (int value : values) {
            encoder.writeInt(value);
        }
        BytesInput bytes = encoder.toBytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        bytes.writeAllTo(out);
        return out.toByteArray();
    }
}
