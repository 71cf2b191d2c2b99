package io.auditrail.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One line as the spool keeps it: the exact bytes, where it goes, when and from where it was read.
 *
 * @param position       where the record starts in the spool (what {@link DiskSpool#rewindTo} takes)
 * @param source         peer address as UTF-8 ({@code host:port}, or the socket path for a unix socket); for a line
 *                       that carried a configured prefix, the prefix's name, a NUL byte, then the peer (see
 *                       {@link #source(String, String)}: the spool's format stays as it was)
 * @param listener       the listener that accepted it as UTF-8, e.g. {@code tcp://127.0.0.1:9090}
 * @param originalLength the line's length as Vault sent it (without a checked prefix); larger than
 *                       {@code line.length} only when truncated
 * @param key            the line's {@code request.id} as UTF-8, null when it has none (or is not JSON)
 */
public record SpoolRecord(long position, LineKind kind, long receivedAtMicros, long originalLength, byte[] source,
                          byte[] listener, byte[] key, byte[] line) {
    private static final byte SEPARATOR = 0;

    /** The source field of a line whose prefix belongs to {@code name}, read from {@code peer}. */
    static byte[] source(String name, String peer) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] p = peer.getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(n, n.length + 1 + p.length);
        out[n.length] = SEPARATOR;
        System.arraycopy(p, 0, out, n.length + 1, p.length);
        return out;
    }

    /** Where the name ends in a source field, or -1 when it has none (peers and listeners never hold a NUL). */
    static int separatorIn(byte[] source) {
        for (int i = 0; i < source.length; i++) {
            if (source[i] == SEPARATOR) {
                return i;
            }
        }
        return -1;
    }
}
