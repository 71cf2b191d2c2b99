package io.auditrail.ingest;

import java.util.Arrays;

/**
 * Cuts one connection's byte stream into lines at {@code \n}. The bytes before the newline are the line,
 * unchanged: a {@code \r}, a prefix or invalid UTF-8 stay, since the raw topic holds exactly what Vault wrote.
 * Memory per connection is bounded by the longest line it holds ({@code ingest.max.line.bytes}); lines up to
 * the raw limit that lie inside one read are handed out without a copy. Not thread-safe: one per connection.
 */
public final class LineFramer {
    /** Receives framed lines; the bytes are valid only during the call. */
    @FunctionalInterface
    public interface LineSink {
        /**
         * @param originalLength the line's full length; larger than {@code len} only for
         *                       {@link LineKind#OVERSIZE_TRUNCATED}
         */
        void line(byte[] buf, int off, int len, LineKind kind, long originalLength);
    }

    private static final int INITIAL_CARRY = 4096;
    /** A carry buffer that grew for a long line is given back after it, so idle connections stay small. */
    private static final int KEEP_CARRY = 64 << 10;

    private final int rawMaxLineBytes;
    private final int maxLineBytes;
    private byte[] carry = new byte[0];
    private int carryLength;
    /** Bytes of the current line seen beyond {@code maxLineBytes}, once it overflowed (then carry holds its head). */
    private long overflowLength;
    private boolean overflowing;

    public LineFramer(int rawMaxLineBytes, int maxLineBytes) {
        if (rawMaxLineBytes < 1 || maxLineBytes < rawMaxLineBytes) {
            throw new IllegalArgumentException("need 0 < rawMaxLineBytes <= maxLineBytes, got " + rawMaxLineBytes
                    + " and " + maxLineBytes);
        }
        this.rawMaxLineBytes = rawMaxLineBytes;
        this.maxLineBytes = maxLineBytes;
    }

    /** Frames {@code len} bytes of {@code buf} from {@code off}; complete lines go to the sink. */
    public void feed(byte[] buf, int off, int len, LineSink sink) {
        int end = off + len;
        int start = off;
        while (start < end) {
            int nl = indexOfNewline(buf, start, end);
            if (nl < 0) {
                hold(buf, start, end - start);
                return;
            }
            if (carryLength == 0 && !overflowing) {
                emit(buf, start, nl - start, sink);
            } else {
                hold(buf, start, nl - start);
                finishCarried(sink);
            }
            start = nl + 1;
        }
    }

    /**
     * Forgets an unterminated line at connection close. Vault re-sends the whole line on its next connection
     * after a failed write, so the fragment is expected: the caller counts it, nothing delivers it.
     *
     * @return the fragment's length in bytes, 0 if the stream ended on a line boundary
     */
    public long discardPartial() {
        long fragment = overflowing ? overflowLength : carryLength;
        reset();
        carry = new byte[0];
        return fragment;
    }

    /** Bytes held for an unfinished line (for tests and memory accounting). */
    public int heldBytes() {
        return carry.length;
    }

    private void emit(byte[] buf, int off, int len, LineSink sink) {
        LineKind kind = len <= rawMaxLineBytes ? LineKind.RAW : LineKind.OVERSIZE;
        sink.line(buf, off, len, kind, len);
    }

    private void finishCarried(LineSink sink) {
        if (overflowing) {
            sink.line(carry, 0, Math.min(carryLength, rawMaxLineBytes), LineKind.OVERSIZE_TRUNCATED, overflowLength);
        } else {
            emit(carry, 0, carryLength, sink);
        }
        reset();
        if (carry.length > KEEP_CARRY) {
            carry = new byte[0];
        }
    }

    private void reset() {
        carryLength = 0;
        overflowLength = 0;
        overflowing = false;
    }

    private void hold(byte[] buf, int off, int len) {
        if (overflowing) {
            overflowLength += len;
            return;
        }
        if ((long) carryLength + len > maxLineBytes) {
            // keep only the head the truncation record carries; the rest is counted, not held
            int keep = Math.max(0, Math.min(len, rawMaxLineBytes - carryLength));
            append(buf, off, keep);
            overflowing = true;
            overflowLength = (long) carryLength - keep + len;
            carryLength = Math.min(carryLength, rawMaxLineBytes);
            if (carry.length > rawMaxLineBytes) {
                carry = Arrays.copyOf(carry, rawMaxLineBytes);
            }
            return;
        }
        append(buf, off, len);
    }

    private void append(byte[] buf, int off, int len) {
        if (len == 0) {
            return;
        }
        int needed = carryLength + len;
        if (needed > carry.length) {
            int size = Math.max(INITIAL_CARRY, carry.length);
            while (size < needed) {
                size = size > (maxLineBytes >> 1) ? maxLineBytes : size << 1;
            }
            carry = Arrays.copyOf(carry, size);
        }
        System.arraycopy(buf, off, carry, carryLength, len);
        carryLength = needed;
    }

    private static int indexOfNewline(byte[] buf, int from, int end) {
        return ByteSearch.indexOf(buf, from, end, (byte) '\n');
    }
}
