package io.jenkins.plugins.mlstages.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Picks the {@link TableReader} for a {@link DataFormat}; also holds the text input the text formats share. */
public final class TableReaders {

    /** Rows between two progress reports: often enough for a live display, rare enough to cost nothing. */
    static final int PROGRESS_EVERY_ROWS = 1 << 16;

    private TableReaders() {
    }

    /**
     * @param csv the CSV dialect, used only for {@link DataFormat#CSV}; null means {@link CsvOptions#defaults()}
     */
    public static TableReader forFormat(DataFormat format, CsvOptions csv) {
        return switch (format) {
            case CSV -> new CsvReader(csv == null ? CsvOptions.defaults() : csv);
            case JSONL -> new JsonLinesReader();
            case PARQUET -> new ParquetReader();
        };
    }

    /** The share of a file read so far, for {@link RowSink#progress(double)}. */
    static double share(long bytesRead, long fileSize) {
        return fileSize <= 0 ? 1.0 : Math.min(1.0, (double) bytesRead / fileSize);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /** Text that cannot be data: bytes that are not valid in the charset, or a NUL character. */
    static final class TextDecodingException extends IOException {
        private static final long serialVersionUID = 1L;

        TextDecodingException(String problem) {
            super(problem);
        }
    }

    /**
     * Decodes a file strictly: invalid bytes and NUL characters are a {@link TextDecodingException}
     * instead of being silently replaced, and a UTF-8 byte order mark is dropped. It counts the bytes
     * read, for progress.
     *
     * <p>A problem is raised only once the characters before it have been handed out, so that the
     * parser on top has consumed them and knows the line the problem is on.
     */
    static final class TextInput extends Reader {
        private static final int BYTE_CHUNK = 64 * 1024;
        private static final String NUL_PROBLEM = "contains a NUL byte, which is not text: is this a binary file?";

        private final InputStream in;
        private final CharsetDecoder decoder;
        private final String invalidProblem;
        private final ByteBuffer bytes = ByteBuffer.allocate(BYTE_CHUNK).flip();
        /** The SHA-256 of the bytes read so far: the dataset digest comes from this read, not a second one. */
        private final MessageDigest sha256 = sha256();
        private boolean maybeBom;
        private boolean endOfBytes;
        private boolean decoderFlushed;
        private long bytesRead;
        private TextDecodingException pending;

        private TextInput(InputStream in, Charset charset) {
            this.in = in;
            this.decoder = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            this.invalidProblem = "is not valid " + charset.name();
            this.maybeBom = charset.equals(StandardCharsets.UTF_8);
        }

        static TextInput open(Path file, Charset charset) throws IOException {
            return new TextInput(Files.newInputStream(file), charset);
        }

        long bytesRead() {
            return bytesRead;
        }

        /** The SHA-256 of the whole file once every byte has been read; null before the end. */
        byte[] sha256IfComplete() {
            return endOfBytes ? sha256.digest() : null;
        }

        /** Reports the file's SHA-256 to the sink when the whole file was read. */
        void reportDigest(RowSink sink) {
            byte[] digest = sha256IfComplete();
            if (digest != null) {
                sink.fileSha256(digest);
            }
        }

        @Override
        public int read(char[] chars, int offset, int length) throws IOException {
            if (pending != null) {
                throw pending;
            }
            if (length == 0) {
                return 0;
            }
            int count;
            do {
                count = decode(chars, offset, length);
                if (count > 0 && maybeBom) {
                    maybeBom = false;
                    if (chars[offset] == '\uFEFF') {
                        System.arraycopy(chars, offset + 1, chars, offset, --count);
                    }
                }
            } while (count == 0);
            return count < 0 ? count : upToNul(chars, offset, count);
        }

        /** Decodes at least one character unless at the end (-1); a problem after some characters is deferred. */
        private int decode(char[] chars, int offset, int length) throws IOException {
            if (decoderFlushed) {
                return -1;
            }
            CharBuffer out = CharBuffer.wrap(chars, offset, length);
            while (true) {
                CoderResult result = decoder.decode(bytes, out, endOfBytes);
                if (result.isUnderflow() && endOfBytes) {
                    result = decoder.flush(out);
                    decoderFlushed = result.isUnderflow();
                }
                if (result.isError()) {
                    return problem(new TextDecodingException(invalidProblem), out.position() - offset);
                }
                if (result.isOverflow() || out.position() > offset || decoderFlushed) {
                    int count = out.position() - offset;
                    return count == 0 && decoderFlushed ? -1 : count;
                }
                fill();
            }
        }

        private void fill() throws IOException {
            bytes.compact();
            int read = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (read < 0) {
                endOfBytes = true;
            } else {
                sha256.update(bytes.array(), bytes.position(), read);
                bytes.position(bytes.position() + read);
                bytesRead += read;
            }
            bytes.flip();
        }

        private int upToNul(char[] chars, int offset, int count) throws TextDecodingException {
            for (int i = offset, end = offset + count; i < end; i++) {
                if (chars[i] == '\0') {
                    return problem(new TextDecodingException(NUL_PROBLEM), i - offset);
                }
            }
            return count;
        }

        private int problem(TextDecodingException problem, int goodChars) throws TextDecodingException {
            if (goodChars == 0) {
                throw problem;
            }
            pending = problem;
            return goodChars;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
