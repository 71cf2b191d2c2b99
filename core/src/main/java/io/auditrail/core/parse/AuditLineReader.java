package io.auditrail.core.parse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a stream of audit-device output (a file device's log, stdin) into lines, byte-exact and
 * without the newline. A line longer than the bound is returned cut at the bound and flagged, and
 * the rest of it is skipped, so one runaway line cannot exhaust memory. The last line may lack its
 * newline. Not thread-safe.
 */
public final class AuditLineReader {
    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] chunk = new byte[64 * 1024];
    private int pos;
    private int limit;
    private long lineNumber;

    public AuditLineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** One line: its bytes (at most the bound), its number from 1, its full length, and whether it was cut. */
    public record Line(byte[] bytes, long number, long fullLength, boolean truncated, boolean terminated) {
    }

    /** The next line, or null at the end of the stream. */
    public Line next() throws IOException {
        byte[] buf = new byte[256];
        int len = 0;
        long full = 0;
        while (true) {
            if (pos == limit) {
                limit = in.read(chunk);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (full == 0) {
                        return null;
                    }
                    return line(buf, len, full, false);
                }
            }
            int nl = -1;
            for (int i = pos; i < limit; i++) {
                if (chunk[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int end = nl < 0 ? limit : nl;
            int take = Math.min(end - pos, Math.max(0, maxLineBytes - len));
            if (take > 0) {
                if (len + take > buf.length) {
                    buf = Arrays.copyOf(buf, Math.min(maxLineBytes, Math.max(buf.length * 2, len + take)));
                }
                System.arraycopy(chunk, pos, buf, len, take);
                len += take;
            }
            full += end - pos;
            if (nl >= 0) {
                pos = nl + 1;
                return line(buf, len, full, true);
            }
            pos = limit;
        }
    }

    private Line line(byte[] buf, int len, long full, boolean terminated) {
        lineNumber++;
        int end = len;
        if (full == len && end > 0 && buf[end - 1] == '\r') {
            end--; // a file written on Windows; Vault itself writes bare \n
        }
        return new Line(Arrays.copyOf(buf, end), lineNumber, full, full > len, terminated);
    }
}
