package io.auditrail.ingest;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Lines encoded in the spool's record format, ready for one {@link DiskSpool#append} (one write call for every
 * line of a socket read). Record: {@code int bodyLength, int crc32c(body), body}; body: {@code byte kind,
 * long receivedAtMicros, long originalLength, short sourceLength, source, short listenerLength, listener,
 * short keyLength, key, line}; the key is the line's {@code request.id}, found here on the socket reader's thread so
 * the sender, the busier thread, does not scan the line again (length 0: no key).
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
