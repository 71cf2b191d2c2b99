package io.auditrail.ingest;

/**
 * One line as the spool keeps it: the exact bytes, where it goes, when and from where it was read.
 *
 * @param position       where the record starts in the spool (what {@link DiskSpool#rewindTo} takes)
 * @param source         peer address as UTF-8 ({@code host:port}, or the socket path for a unix socket)
 * @param listener       the listener that accepted it as UTF-8, e.g. {@code tcp://127.0.0.1:9090}
 * @param originalLength the line's length as Vault sent it; larger than {@code line.length} only when truncated
 * @param key            the line's {@code request.id} as UTF-8, null when it has none (or is not JSON)
 */
public record SpoolRecord(long position, LineKind kind, long receivedAtMicros, long originalLength, byte[] source,
                          byte[] listener, byte[] key, byte[] line) {
}
