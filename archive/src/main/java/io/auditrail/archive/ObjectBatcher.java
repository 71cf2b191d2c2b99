package io.auditrail.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * Gathers one partition's raw lines into archive objects. Pure: no I/O, no clock (the caller passes the time).
 *
 * <p>An object is cut before a line that would take its line bytes past {@code maxBytes}, or whose record timestamp
 * is {@code maxAge} or more after the object's first one. Both rules depend only on the records, so a restart that
 * reads the same records cuts the same objects. {@link #flushIfOlderThan} also seals an object held open for
 * {@code maxAge} of wall-clock time, so a quiet partition is archived too; the stage never re-cuts an object that is
 * already in the bucket (it resumes after the last archived offset), so this rule cannot produce overlapping objects.
 */
public final class ObjectBatcher {
    private final int partition;
    private final long maxBytes;
    private final Duration maxAge;

    private ByteArrayOutputStream buffer;
    private GZIPOutputStream gzip;
    private MessageDigest content;
    private long firstOffset = -1;
    private long lastOffset;
    private Instant firstTime;
    private Instant lastTime;
    private Instant openedAt;
    private int lines;
    private long lineBytes;

    public ObjectBatcher(int partition, long maxBytes, Duration maxAge) {
        if (maxBytes < 1 || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxBytes and maxAge must be positive");
        }
        this.partition = partition;
        this.maxBytes = maxBytes;
        this.maxAge = maxAge;
    }

    /**
     * Adds a record's line (without its newline) and returns the objects this sealed, oldest first (none, the
     * previous object, and/or this line's own object when the line alone reaches {@code maxBytes}).
     *
     * @param now wall-clock time, remembered as the moment an object was opened
     */
    public List<ArchiveObject> add(long offset, Instant timestamp, byte[] line, Instant now) {
        List<ArchiveObject> sealed = new ArrayList<>(2);
        if (!isEmpty() && offset <= lastOffset) {
            throw new IllegalArgumentException("offset " + offset + " after " + lastOffset + " in partition " + partition);
        }
        if (!isEmpty() && (lineBytes + line.length + 1 > maxBytes
                || Duration.between(firstTime, timestamp).compareTo(maxAge) >= 0)) {
            sealed.add(seal());
        }
        if (isEmpty()) {
            open(offset, timestamp, now);
        }
        try {
            gzip.write(line);
            gzip.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        content.update(line);
        content.update((byte) '\n');
        lines++;
        lineBytes += line.length + 1L;
        lastOffset = offset;
        if (timestamp.isAfter(lastTime)) {
            lastTime = timestamp;
        }
        if (lineBytes >= maxBytes) {
            sealed.add(seal());
        }
        return sealed;
    }

    /** Seals the open object when it was opened {@code maxAge} or longer before {@code now}. */
    public Optional<ArchiveObject> flushIfOlderThan(Instant now) {
        if (isEmpty() || Duration.between(openedAt, now).compareTo(maxAge) < 0) {
            return Optional.empty();
        }
        return Optional.of(seal());
    }

    /** Seals whatever is open (shutdown). */
    public Optional<ArchiveObject> flush() {
        return isEmpty() ? Optional.empty() : Optional.of(seal());
    }

    /** Drops the open object without sealing it (its records will be read again from Kafka). */
    public void discard() {
        firstOffset = -1;
        buffer = null;
        gzip = null;
        content = null;
    }

    public boolean isEmpty() {
        return firstOffset < 0;
    }

    public int bufferedLines() {
        return isEmpty() ? 0 : lines;
    }

    public int partition() {
        return partition;
    }

    private void open(long offset, Instant timestamp, Instant now) {
        buffer = new ByteArrayOutputStream(64 << 10);
        try {
            // GZIPOutputStream writes a fixed header (no name, mtime 0), so equal lines give equal bytes
            gzip = new GZIPOutputStream(buffer, 64 << 10);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        content = Hashes.sha256();
        firstOffset = offset;
        lastOffset = offset;
        firstTime = timestamp;
        lastTime = timestamp;
        openedAt = now;
        lines = 0;
        lineBytes = 0;
    }

    private ArchiveObject seal() {
        try {
            gzip.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] body = buffer.toByteArray();
        ObjectKey key = new ObjectKey(firstTime, lastTime, partition, firstOffset, lastOffset);
        DigestEntry entry = DigestEntry.of(key, Hashes.sha256Hex(body), Hashes.hex(content.digest()), body.length,
                lines);
        discard();
        return new ArchiveObject(key, body, entry);
    }
}
