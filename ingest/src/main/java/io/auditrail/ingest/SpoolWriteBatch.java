package io.auditrail.ingest;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Lines encoded in the spool's record format, ready for one {@link DiskSpool#append} (one write call for every
 * line of a socket read). Record: {@code int bodyLength, int crc32c(body), body}; body: {@code byte kind,
 * long receivedAtMicros, long originalLength, short sourceLength, source, short listenerLength, listener,
 * short keyLength, key, line}; the key is the line's {@code request.id}, found here on the socket reader's thread so
 * the sender, the busier thread, does not scan the line again (length 0: no key).
 * The stored checksum is {@code crc32c(body) ^ positionMark(position)}, where position is the record's place in the
 * spool: segment files are reused, and a record left from a file's earlier life must not pass as a current one
 * (PostgreSQL's recycled WAL segments carry their address in each page for the same reason).
 * Owned by one writer thread and reused.
 */
public final class SpoolWriteBatch {
    static final int HEADER_BYTES = 8;
    static final int FIXED_BODY_BYTES = 1 + 8 + 8 + 2 + 2 + 2;

    private final CRC32C crc = new CRC32C();
    private ByteBuffer buffer = ByteBuffer.allocate(256 << 10);
    private int records;

    public void add(LineKind kind, long receivedAtMicros, long originalLength, byte[] source, byte[] listener,
                    byte[] key, byte[] line, int off, int len) {
        int keyLength = key == null || key.length > 0xffff ? 0 : key.length;
        int body = FIXED_BODY_BYTES + source.length + listener.length + keyLength + len;
        ensure(HEADER_BYTES + body);
        int start = buffer.position();
        buffer.putInt(body);
        buffer.putInt(0);
        buffer.put((byte) kind.ordinal());
        buffer.putLong(receivedAtMicros);
        buffer.putLong(originalLength);
        buffer.putShort((short) source.length);
        buffer.put(source);
        buffer.putShort((short) listener.length);
        buffer.put(listener);
        buffer.putShort((short) keyLength);
        if (keyLength > 0) {
            buffer.put(key);
        }
        buffer.put(line, off, len);
        crc.reset();
        crc.update(buffer.array(), start + HEADER_BYTES, body);
        buffer.putInt(start + 4, (int) crc.getValue());
        records++;
    }

    /**
     * Binds each record's checksum to where it lands: {@code position} is the spool position of the first byte.
     * Called by the spool under its lock, once the place is known; cheap (no pass over the lines).
     */
    void bindTo(long position) {
        byte[] a = buffer.array();
        ByteBuffer b = ByteBuffer.wrap(a);
        for (int at = 0; at < buffer.position(); at += HEADER_BYTES + b.getInt(at)) {
            b.putInt(at + 4, b.getInt(at + 4) ^ positionMark(position + at));
        }
    }

    /** 32 well-mixed bits of a spool position (MurmurHash3's 64-bit finaliser), so nearby positions differ widely. */
    static int positionMark(long position) {
        long h = position;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h;
    }

    public int records() {
        return records;
    }

    public int bytes() {
        return buffer.position();
    }

    public boolean isEmpty() {
        return records == 0;
    }

    public void clear() {
        buffer.clear();
        records = 0;
        if (buffer.capacity() > (4 << 20)) {
            // a truncation or oversize record grew it; do not keep megabytes per writer
            buffer = ByteBuffer.allocate(256 << 10);
        }
    }

    /** The encoded bytes, as a read-only view from 0 to {@link #bytes()}. */
    ByteBuffer encoded() {
        return ByteBuffer.wrap(buffer.array(), 0, buffer.position());
    }

    private void ensure(int more) {
        if (buffer.remaining() < more) {
            int size = buffer.capacity();
            while (size - buffer.position() < more) {
                size <<= 1;
            }
            ByteBuffer bigger = ByteBuffer.allocate(size);
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
    }
}
