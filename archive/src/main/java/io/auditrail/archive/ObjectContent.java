package io.auditrail.archive;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The NDJSON inside an archive object, decompressed within a byte budget. An object in the bucket may be hostile (a
 * few kilobytes of gzip that inflate to gigabytes): every reader stops at the budget instead of filling the heap, and
 * the object is then reported as too large rather than read.
 */
final class ObjectContent {
    private static final int CHUNK = 64 << 10;

    private ObjectContent() {
    }

    /** Thrown when an object inflates to more than its budget. */
    static final class TooLarge extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        TooLarge(long maxBytes) {
            super("the object decompresses to more than " + maxBytes + " bytes (a gzip bomb, or not written by the "
                    + "archiver)");
        }
    }

    /** Splits an object into its lines, byte-exact, without their newlines. */
    static List<byte[]> lines(byte[] gzip, long maxBytes) {
        byte[] content = gunzip(gzip, maxBytes);
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '\n') {
                byte[] line = new byte[i - start];
                System.arraycopy(content, start, line, 0, line.length);
                out.add(line);
                start = i + 1;
            }
        }
        if (start != content.length) {
            throw new IllegalStateException("object content does not end with a newline");
        }
        return out;
    }

    /**
     * The line at {@code index} (0-based), reading no further than its newline: memory is that one line, and the
     * work stops at the budget counted from the object's start. Empty when the object has fewer lines.
     */
    static Optional<byte[]> line(byte[] gzip, long index, long maxBytes) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long lineNumber = 0;
        long read = 0;
        byte[] buf = new byte[CHUNK];
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip), CHUNK)) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                read += n;
                if (read > maxBytes) {
                    throw new TooLarge(maxBytes);
                }
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] != '\n') {
                        continue;
                    }
                    if (lineNumber == index) {
                        line.write(buf, start, i - start);
                        return Optional.of(line.toByteArray());
                    }
                    lineNumber++;
                    start = i + 1;
                }
                if (lineNumber == index) {
                    line.write(buf, start, n - start);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not a gzip object: " + e.getMessage(), e);
        }
        return Optional.empty();
    }

    /** The decompressed bytes; {@link TooLarge} beyond {@code maxBytes}. */
    static byte[] gunzip(byte[] gzip, long maxBytes) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip), CHUNK)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(maxBytes, gzip.length * 8L + 64));
            byte[] buf = new byte[CHUNK];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                if (out.size() + (long) n > maxBytes) {
                    throw new TooLarge(maxBytes);
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("not a gzip object: " + e.getMessage(), e);
        }
    }

    /** Hex SHA-256 of an object's decompressed content. */
    static String contentSha256(byte[] gzip, long maxBytes) {
        MessageDigest md = Hashes.sha256();
        return Hashes.hex(md.digest(gunzip(gzip, maxBytes)));
    }

    /** What a digest says about an object found in the bucket. */
    static DigestEntry entryOf(ObjectKey key, byte[] body, long maxBytes) {
        byte[] content = gunzip(body, maxBytes);
        int lines = 0;
        for (byte b : content) {
            if (b == '\n') {
                lines++;
            }
        }
        return DigestEntry.of(key, Hashes.sha256Hex(body), Hashes.sha256Hex(content), body.length, lines);
    }
}
