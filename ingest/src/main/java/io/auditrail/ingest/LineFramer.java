package io.auditrail.ingest;

import java.util.Arrays;

/**
 * Cuts one connection's byte stream into lines at {@code \n}. The bytes before the newline are the line,
 * unchanged: a {@code \r}, a prefix or invalid UTF-8 stay, since the raw topic holds exactly what Vault wrote.
 * Memory per connection is bounded by the longest line it holds ({@code ingest.max.line.bytes}), and memory of all
 * connections together by the {@link PartialLineBudget} its buffer is reserved from: when the budget refuses, the
 * unfinished line is dropped and {@link #refusedByBudget()} tells the caller to close the connection. Lines up to
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

    private static final byte[] EMPTY = new byte[0];

    private final int rawMaxLineBytes;
    private final int maxLineBytes;
    private final PartialLineBudget budget;
    /** Always exactly what is reserved from the budget: its length, not the bytes in use, is what the heap holds. */
    private byte[] carry = EMPTY;
    private int carryLength;
    /** Bytes of the current line seen beyond {@code maxLineBytes}, once it overflowed (then carry holds its head). */
    private long overflowLength;
    private boolean overflowing;
    /** The budget refused to hold more of the current line: it was dropped, and so is the rest of the stream. */
    private long refusedFragment = -1;

    public LineFramer(int rawMaxLineBytes, int maxLineBytes) {
        this(rawMaxLineBytes, maxLineBytes, PartialLineBudget.unbounded());
    }

    LineFramer(int rawMaxLineBytes, int maxLineBytes, PartialLineBudget budget) {
        if (rawMaxLineBytes < 1 || maxLineBytes < rawMaxLineBytes) {
            throw new IllegalArgumentException("need 0 < rawMaxLineBytes <= maxLineBytes, got " + rawMaxLineBytes
                    + " and " + maxLineBytes);
        }
        this.rawMaxLineBytes = rawMaxLineBytes;
        this.maxLineBytes = maxLineBytes;
        this.budget = budget;
    }

    /** Frames {@code len} bytes of {@code buf} from {@code off}; complete lines go to the sink. */
    public void feed(byte[] buf, int off, int len, LineSink sink) {
        if (refusedFragment >= 0) {
            return;
        }
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
                if (!hold(buf, start, nl - start)) {
                    return;
                }
                finishCarried(sink);
            }
            start = nl + 1;
        }
    }

    /**
     * Whether the budget refused to hold this connection's unfinished line: the line was dropped (its length is
     * {@link #discardPartial()}'s answer), nothing more is framed, and the caller closes the connection.
     */
    public boolean refusedByBudget() {
        return refusedFragment >= 0;
    }

    /** Whether a line has begun and not ended. */
    public boolean hasPartial() {
        return carryLength > 0 || overflowing;
    }

    /**
     * Forgets an unterminated line at connection close. Vault re-sends the whole line on its next connection
     * after a failed write, so the fragment is expected: the caller counts it, nothing delivers it.
     *
     * @return the fragment's length in bytes, 0 if the stream ended on a line boundary
     */
    public long discardPartial() {
        long fragment = refusedFragment >= 0 ? refusedFragment : overflowing ? overflowLength : carryLength;
        reset();
        resize(0);
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
            resize(0);
        }
    }

    private void reset() {
        carryLength = 0;
        overflowLength = 0;
        overflowing = false;
    }

    /** Adds bytes of the current line; false when the budget refused them (the line is then dropped). */
    private boolean hold(byte[] buf, int off, int len) {
        if (overflowing) {
            overflowLength += len;
            return true;
        }
        if ((long) carryLength + len > maxLineBytes) {
            // keep only the head the truncation record carries; the rest is counted, not held
            int keep = Math.max(0, Math.min(len, rawMaxLineBytes - carryLength));
            long seen = (long) carryLength + len;
            if (!append(buf, off, keep, seen)) {
                return false;
            }
            overflowing = true;
            overflowLength = seen;
            carryLength = Math.min(carryLength, rawMaxLineBytes);
            if (carry.length > rawMaxLineBytes) {
                resize(rawMaxLineBytes);
            }
            return true;
        }
        return append(buf, off, len, (long) carryLength + len);
    }

    private boolean append(byte[] buf, int off, int len, long lineSoFar) {
        if (len == 0) {
            return true;
        }
        int needed = carryLength + len;
        if (needed > carry.length) {
            int size = Math.max(INITIAL_CARRY, carry.length);
            while (size < needed) {
                size = size > (maxLineBytes >> 1) ? maxLineBytes : size << 1;
            }
            if (!resize(size)) {
                reset();
                resize(0);
                refusedFragment = lineSoFar;
                return false;
            }
        }
        System.arraycopy(buf, off, carry, carryLength, len);
        carryLength = needed;
        return true;
    }

    /** Gives the carry buffer {@code size} bytes, reserving growth from the budget and returning what shrinks. */
    private boolean resize(int size) {
        int delta = size - carry.length;
        if (delta > 0 && !budget.reserve(this, delta)) {
            return false;
        }
        if (delta < 0) {
            budget.release(-delta);
        }
        carry = size == 0 ? EMPTY : Arrays.copyOf(carry, size);
        return true;
    }

    private static int indexOfNewline(byte[] buf, int from, int end) {
        return ByteSearch.indexOf(buf, from, end, (byte) '\n');
    }
}
