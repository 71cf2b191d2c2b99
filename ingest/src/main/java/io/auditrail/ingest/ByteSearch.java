package io.auditrail.ingest;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds a byte in a byte array eight bytes at a time (SWAR: a zero-byte test on a long word). Framing and the
 * request-id scan touch every byte of every line; a byte-by-byte loop was their largest cost.
 */
final class ByteSearch {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private ByteSearch() {
    }

    /** Index of the first {@code x} in {@code b[from, end)}, or -1. */
    static int indexOf(byte[] b, int from, int end, byte x) {
        long pattern = ONES * (x & 0xff);
        int i = from;
        for (; i + 8 <= end; i += 8) {
            long found = zeroBytes((long) LONGS.get(b, i) ^ pattern);
            if (found != 0) {
                // the lowest flagged byte is always a true match; false flags only appear above one
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < end; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the first {@code x} or {@code y} in {@code b[from, end)}, or -1. */
    static int indexOfEither(byte[] b, int from, int end, byte x, byte y) {
        long px = ONES * (x & 0xff);
        long py = ONES * (y & 0xff);
        int i = from;
        for (; i + 8 <= end; i += 8) {
            long word = (long) LONGS.get(b, i);
            long found = zeroBytes(word ^ px) | zeroBytes(word ^ py);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < end; i++) {
            if (b[i] == x || b[i] == y) {
                return i;
            }
        }
        return -1;
    }

    private static long zeroBytes(long v) {
        return (v - ONES) & ~v & HIGHS;
    }
}
