package io.auditrail.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable, bounded, append-only queue between the socket readers and the Kafka sender: segment files in one
 * directory, addressed by a position that only grows (a segment's file name is the position of its first byte).
 *
 * <p>Writers: the socket readers, through {@link #append}; a line counts as accepted once its write call returned,
 * so a killed process loses nothing it accepted (a power loss: see {@link SpoolFsyncPolicy}). Reader: the sender
 * alone, through {@link #read}, {@link #release} and {@link #rewind}. When full: {@link SpoolFullPolicy}. Sender
 * failure: nothing is released, so the records stay and are read again after {@link #rewind} or a restart.
 * A restart after a crash cuts a torn last record off the newest segment and resumes at the last released position.
 *
 * <p>Released segment files are kept (up to {@code reuseSegments}) and written over as later segments instead
 * of being deleted and created again: writing into pages the file system already holds costs a fraction of
 * allocating new ones (measured: the receiver's system time per 200k lines fell from 0.42 s to 0.10-0.13 s,
 * bench/RESULTS.md "Ingest"), as PostgreSQL recycles its WAL segments. A reused file holds its earlier content
 * past what was written; each record's checksum includes its position ({@link SpoolWriteBatch}), so that content
 * never reads as valid. Segments written before positions were in the checksum (suffix {@code .spool}) are still
 * read, then deleted rather than reused.
 */
public final class DiskSpool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiskSpool.class);
    private static final String SEGMENT_SUFFIX = ".segment";
    /** Segments of the format without the position in the checksum; read after an upgrade, never reused. */
    private static final String LEGACY_SUFFIX = ".spool";
    private static final String RECYCLED_SUFFIX = ".recycled";
    private static final String CHECKPOINT = "released.checkpoint";
    private static final long CHECKPOINT_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long FULL_LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Path dir;
    private final long maxBytes;
    private final int segmentBytes;
    private final int maxRecordBytes;
    private final SpoolFullPolicy fullPolicy;
    private final SpoolFsyncPolicy fsyncPolicy;
    /** Released segment files kept for reuse: disk and page cache they hold beyond the spool's bound. */
    private final int reuseSegments;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private final ReentrantLock mutex = new ReentrantLock();
    private final Condition dataWritten = mutex.newCondition();
    private final Condition spaceFreed = mutex.newCondition();
    private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    /** Released segment files waiting for reuse (renamed to {@code <n>.recycled}, channel open). */
    private final ConcurrentLinkedDeque<Recycled> recycled = new ConcurrentLinkedDeque<>();
    private final AtomicLong recycledNames = new AtomicLong();
    private volatile long end;
    private volatile long released;
    private volatile boolean closed;
    private volatile boolean blocked;
    /** Set when stopping: writers no longer wait for space, so nothing already read is lost. */
    private volatile boolean unbounded;
    private final AtomicLong fullEpisodes = new AtomicLong();
    private final AtomicLong corruptRegions = new AtomicLong();

    // reader state: the sender thread only
    private long cursor;
    private ByteBuffer readBuffer = ByteBuffer.allocate(1 << 20);
    private long lastCheckpointNanos;
    private long checkpointed = -1;
    private byte[] lastSource = new byte[0];
    private byte[] lastListener = new byte[0];

    private DiskSpool(Path dir, long maxBytes, int segmentBytes, int maxRecordBytes, SpoolFullPolicy fullPolicy,
                      SpoolFsyncPolicy fsyncPolicy, int reuseSegments, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        this.maxRecordBytes = maxRecordBytes;
        this.fullPolicy = fullPolicy;
        this.fsyncPolicy = fsyncPolicy;
        this.reuseSegments = reuseSegments;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (or creates) the spool in {@code dir}, recovering what a previous process left.
     *
     * @param maxRecordBytes the longest line plus its metadata; a longer length prefix marks a torn record
     * @param reuseSegments  how many released segment files to keep for reuse (0: delete them)
     */
    public static DiskSpool open(Path dir, long maxBytes, int segmentBytes, int maxRecordBytes,
                                 SpoolFullPolicy fullPolicy, SpoolFsyncPolicy fsyncPolicy, int reuseSegments)
            throws IOException {
        Files.createDirectories(dir);
        FileChannel lockChannel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("spool directory " + dir + " is in use by another ingest process");
        }
        DiskSpool spool = new DiskSpool(dir, maxBytes, segmentBytes, maxRecordBytes, fullPolicy, fsyncPolicy,
                reuseSegments, lockChannel, lock);
        try {
            spool.recover();
        } catch (IOException | RuntimeException e) {
            spool.close();
            throw e;
        }
        return spool;
    }

    private void recover() throws IOException {
        long checkpoint = readCheckpoint();
        List<Path> found = new ArrayList<>();
        List<Path> reusable = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> {
                String n = p.getFileName().toString();
                if (n.endsWith(RECYCLED_SUFFIX)) {
                    reusable.add(p);
                } else if (n.endsWith(SEGMENT_SUFFIX) || n.endsWith(LEGACY_SUFFIX)) {
                    if (baseOf(n) >= 0) {
                        found.add(p);
                    } else {
                        LOG.warn("ignoring {} in spool directory {}: not a segment name", n, dir);
                    }
                }
            });
        }
        found.sort((a, b) -> Long.compare(baseOf(a.getFileName().toString()), baseOf(b.getFileName().toString())));
        for (int i = 0; i < found.size(); i++) {
            Path file = found.get(i);
            long base = baseOf(file.getFileName().toString());
            boolean positional = file.getFileName().toString().endsWith(SEGMENT_SUFFIX);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            long size = ch.size();
            if (i == found.size() - 1) {
                long valid = validLength(ch, base, positional);
                if (valid < size) {
                    // a crash in the middle of a write (that tail was never accepted: Vault saw no success for it),
                    // or the earlier content of a reused file after a crash
                    LOG.warn("spool segment {}: cut {} bytes after the last whole record at byte {} (a write torn by a "
                            + "crash, or what a reused segment file held before)", file, size - valid, valid);
                    ch.truncate(valid);
                    ch.force(true);
                    size = valid;
                }
            }
            if (base + size <= checkpoint || size == 0) {
                ch.close();
                Files.delete(file);
                continue;
            }
            segments.put(base, new Segment(base, file, ch, size, positional));
        }
        for (Path p : reusable) {
            if (recycled.size() < reuseSegments) {
                recycled.add(new Recycled(p, FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)));
            } else {
                Files.delete(p);
            }
        }
        long last = segments.isEmpty() ? Math.max(checkpoint, 0) : lastEnd();
        end = Math.max(last, checkpoint);
        long first = segments.isEmpty() ? end : segments.firstKey();
        released = Math.max(checkpoint, first);
        cursor = released;
        checkpointed = released;
        long used = end - released;
        if (used > 0) {
            LOG.info("spool {}: {} bytes in {} segments left by the previous run; sending them first", dir, used,
                    segments.size());
        }
        newActiveSegment();
    }

    /** The position in a segment file's name, or -1 when it is not one. */
    private static long baseOf(String name) {
        int dot = name.indexOf('.');
        try {
            return dot > 0 ? Long.parseLong(name.substring(0, dot)) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The checksum a record at {@code position} stores for a body whose crc32c is {@code crc}. */
    private static int storedChecksum(int crc, long position, boolean positional) {
        return positional ? crc ^ SpoolWriteBatch.positionMark(position) : crc;
    }

    private long lastEnd() {
        Segment s = segments.lastEntry().getValue();
        return s.base + s.size;
    }

    /** Length of the prefix of the file made of whole, intact records. */
    private long validLength(FileChannel ch, long base, boolean positional) throws IOException {
        long pos = 0;
        long size = ch.size();
        ByteBuffer header = ByteBuffer.allocate(SpoolWriteBatch.HEADER_BYTES);
        CRC32C crc = new CRC32C();
        while (pos + SpoolWriteBatch.HEADER_BYTES <= size) {
            header.clear();
            readFully(ch, header, pos);
            int body = header.getInt(0);
            if (body < SpoolWriteBatch.FIXED_BODY_BYTES || body > maxRecordBytes
                    || pos + SpoolWriteBatch.HEADER_BYTES + body > size) {
                return pos;
            }
            ByteBuffer b = ByteBuffer.allocate(body);
            readFully(ch, b, pos + SpoolWriteBatch.HEADER_BYTES);
            crc.reset();
            crc.update(b.array(), 0, body);
            if (storedChecksum((int) crc.getValue(), base + pos, positional) != header.getInt(4)) {
                return pos;
            }
            pos += SpoolWriteBatch.HEADER_BYTES + body;
        }
        return pos;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long p = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, p);
            if (n < 0) {
                throw new IOException("unexpected end of spool file at " + p);
            }
            p += n;
        }
    }

    private void newActiveSegment() throws IOException {
        Path file = segmentFile(end);
        Recycled reuse = recycled.poll();
        FileChannel ch;
        if (reuse != null) {
            Files.move(reuse.file, file, StandardCopyOption.ATOMIC_MOVE);
            ch = reuse.channel;
        } else {
            ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        }
        if (fsyncPolicy != SpoolFsyncPolicy.NEVER) {
            forceDirectory();
        }
        segments.put(end, new Segment(end, file, ch, 0, true));
    }

    private Path segmentFile(long base) {
        return dir.resolve(String.format("%020d%s", base, SEGMENT_SUFFIX));
    }

    /** Keeps a released segment's file for reuse, or deletes it. */
    private void retire(Segment s) throws IOException {
        if (s.positional && recycled.size() < reuseSegments && !closed) {
            Path name = dir.resolve(recycledNames.incrementAndGet() + "-" + s.base + RECYCLED_SUFFIX);
            Files.move(s.file, name, StandardCopyOption.ATOMIC_MOVE);
            recycled.add(new Recycled(name, s.channel));
            return;
        }
        s.channel.close();
        Files.deleteIfExists(s.file);
    }

    /**
     * Appends the batch in one write. Returns false only under {@link SpoolFullPolicy#REJECT} when it does not
     * fit; under {@link SpoolFullPolicy#BLOCK} waits for space (once closing, it writes past the bound rather than
     * lose what was already read).
     */
    public boolean append(SpoolWriteBatch batch) throws IOException {
        if (batch.isEmpty()) {
            return true;
        }
        int bytes = batch.bytes();
        mutex.lock();
        try {
            // a batch larger than the whole bound still goes into an empty spool rather than wait forever
            if (end - released + bytes > maxBytes && end != released && !unbounded) {
                if (fullPolicy == SpoolFullPolicy.REJECT) {
                    logFull(bytes, "dropping lines that do not fit (ingest.spool.full.policy=reject)");
                    return false;
                }
                awaitSpace(bytes);
            }
            Map.Entry<Long, Segment> last = segments.lastEntry();
            if (last == null) {
                throw new IOException("spool " + dir + " is closed");
            }
            Segment active = last.getValue();
            if (active.size >= segmentBytes) {
                roll(active);
                active = segments.lastEntry().getValue();
            }
            batch.bindTo(active.base + active.size);
            ByteBuffer data = batch.encoded();
            long pos = active.size;
            while (data.hasRemaining()) {
                pos += active.channel.write(data, pos);
            }
            if (fsyncPolicy == SpoolFsyncPolicy.ALWAYS) {
                active.channel.force(false);
            }
            active.size = pos;
            end = active.base + pos;
            dataWritten.signalAll();
            return true;
        } finally {
            mutex.unlock();
        }
    }

    private void awaitSpace(int bytes) {
        fullEpisodes.incrementAndGet();
        blocked = true;
        long lastLog = 0;
        try {
            while (end - released + bytes > maxBytes && end != released && !unbounded) {
                long now = System.nanoTime();
                if (lastLog == 0 || now - lastLog >= FULL_LOG_EVERY_NANOS) {
                    logFull(bytes, "no longer reading from Vault until Kafka drains it (ingest.spool.full.policy=block)");
                    lastLog = now;
                }
                spaceFreed.await(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            blocked = false;
        }
    }

    private long lastFullLogNanos;

    private void logFull(int bytes, String action) {
        long now = System.nanoTime();
        if (fullPolicy == SpoolFullPolicy.REJECT) {
            fullEpisodes.incrementAndGet();
            if (lastFullLogNanos != 0 && now - lastFullLogNanos < FULL_LOG_EVERY_NANOS) {
                return;
            }
            lastFullLogNanos = now;
        }
        LOG.error("SPOOL FULL: {} of {} bytes used in {}, {} more needed; Kafka is not taking lines: {}",
                end - released, maxBytes, dir, bytes, action);
    }

    private void roll(Segment active) throws IOException {
        // a reused file may be longer than what this life wrote; a finished segment's file length is its end
        if (active.channel.size() > active.size) {
            active.channel.truncate(active.size);
        }
        if (fsyncPolicy != SpoolFsyncPolicy.NEVER) {
            active.channel.force(false);
        }
        newActiveSegment();
    }

    /** Forces the active segment to disk ({@link SpoolFsyncPolicy#INTERVAL}'s timer). */
    public void fsync() throws IOException {
        Map.Entry<Long, Segment> last = segments.lastEntry();
        if (last != null && !closed && last.getValue().channel.isOpen()) {
            last.getValue().channel.force(false);
        }
    }

    /**
     * Reads the next records after the cursor, up to {@code maxBytes} (at least one record), waiting up to
     * {@code wait} for one to be written. The sender thread only.
     */
    public SpoolBatch read(int maxBytes, int maxRecords, Duration wait) throws IOException {
        long start = cursor;
        if (cursor >= end) {
            mutex.lock();
            try {
                long nanos = wait.toNanos();
                while (cursor >= end && nanos > 0 && !closed) {
                    nanos = dataWritten.awaitNanos(nanos);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                mutex.unlock();
            }
            if (cursor >= end) {
                return new SpoolBatch(List.of(), start, start);
            }
        }
        List<SpoolRecord> out = new ArrayList<>(Math.min(maxRecords, 1024));
        int bytes = 0;
        while (cursor < end && out.size() < maxRecords && bytes < maxBytes) {
            Map.Entry<Long, Segment> entry = segments.floorEntry(cursor);
            if (entry == null) {
                // released segments are gone; the next one starts further on
                Long next = segments.ceilingKey(cursor);
                if (next == null) {
                    break;
                }
                cursor = next;
                continue;
            }
            Segment seg = entry.getValue();
            long segEnd = seg.base + seg.size;
            if (cursor >= segEnd) {
                Long next = segments.higherKey(seg.base);
                if (next == null) {
                    break;
                }
                cursor = next;
                continue;
            }
            int got = readRecords(seg, segEnd, out, maxRecords, maxBytes - bytes);
            if (got < 0) {
                break;
            }
            bytes += got;
        }
        return new SpoolBatch(out, start, cursor);
    }

    /** Reads whole records of one segment from the cursor; returns the bytes consumed. */
    private int readRecords(Segment seg, long segEnd, List<SpoolRecord> out, int maxRecords, int budget)
            throws IOException {
        long filePos = cursor - seg.base;
        int available = (int) Math.min(segEnd - cursor, Math.max(readBuffer.capacity(), 0));
        readBuffer.clear().limit(available);
        readFully(seg.channel, readBuffer, filePos);
        readBuffer.flip();
        int consumed = 0;
        CRC32C crc = new CRC32C();
        byte[] arr = readBuffer.array();
        while (out.size() < maxRecords && consumed < budget) {
            int at = readBuffer.position();
            if (readBuffer.remaining() < SpoolWriteBatch.HEADER_BYTES) {
                break;
            }
            int body = readBuffer.getInt(at);
            int total = SpoolWriteBatch.HEADER_BYTES + body;
            if (body < SpoolWriteBatch.FIXED_BODY_BYTES || body > maxRecordBytes || cursor + total > segEnd) {
                skipCorrupt(seg, segEnd, "bad record length " + body);
                return consumed;
            }
            if (readBuffer.remaining() < total) {
                if (total > readBuffer.capacity()) {
                    // one long line: grow for it now, shrink back on the next call
                    if (consumed > 0) {
                        break;
                    }
                    readBuffer = ByteBuffer.allocate(total);
                    return readRecords(seg, segEnd, out, maxRecords, budget);
                }
                break;
            }
            crc.reset();
            crc.update(arr, at + SpoolWriteBatch.HEADER_BYTES, body);
            if (storedChecksum((int) crc.getValue(), cursor, seg.positional) != readBuffer.getInt(at + 4)) {
                skipCorrupt(seg, segEnd, "checksum mismatch");
                return consumed;
            }
            out.add(decode(cursor, arr, at + SpoolWriteBatch.HEADER_BYTES, body));
            readBuffer.position(at + total);
            cursor += total;
            consumed += total;
        }
        if (readBuffer.capacity() > (4 << 20) && consumed > 0) {
            readBuffer = ByteBuffer.allocate(1 << 20);
        }
        return consumed;
    }

    private SpoolRecord decode(long position, byte[] a, int off, int body) {
        ByteBuffer b = ByteBuffer.wrap(a, off, body);
        LineKind kind = LineKind.ofCode(b.get());
        long receivedAt = b.getLong();
        long originalLength = b.getLong();
        int sourceLength = b.getShort() & 0xffff;
        int sourceAt = b.position();
        b.position(sourceAt + sourceLength);
        int listenerLength = b.getShort() & 0xffff;
        int listenerAt = b.position();
        b.position(listenerAt + listenerLength);
        int keyLength = b.getShort() & 0xffff;
        byte[] key = keyLength == 0 ? null : Arrays.copyOfRange(a, b.position(), b.position() + keyLength);
        b.position(b.position() + keyLength);
        byte[] line = Arrays.copyOfRange(a, b.position(), off + body);
        // the same few peers and listeners repeat: share their arrays instead of one pair per line
        if (!Arrays.equals(lastSource, 0, lastSource.length, a, sourceAt, sourceAt + sourceLength)) {
            lastSource = Arrays.copyOfRange(a, sourceAt, sourceAt + sourceLength);
        }
        if (!Arrays.equals(lastListener, 0, lastListener.length, a, listenerAt, listenerAt + listenerLength)) {
            lastListener = Arrays.copyOfRange(a, listenerAt, listenerAt + listenerLength);
        }
        return new SpoolRecord(position, kind, receivedAt, originalLength, lastSource, lastListener, key, line);
    }

    private void skipCorrupt(Segment seg, long segEnd, String why) {
        corruptRegions.incrementAndGet();
        LOG.error("spool segment {} is corrupt at byte {} ({}); skipping its remaining {} bytes", seg.file,
                cursor - seg.base, why, segEnd - cursor);
        cursor = segEnd;
    }

    /** Forgets everything before {@code position}: Kafka has acknowledged it. The sender thread only. */
    public void release(long position) throws IOException {
        if (position <= released) {
            return;
        }
        if (position > end) {
            throw new IllegalArgumentException("release(" + position + ") beyond the end " + end);
        }
        mutex.lock();
        try {
            released = position;
            spaceFreed.signalAll();
        } finally {
            mutex.unlock();
        }
        boolean deleted = false;
        for (Map.Entry<Long, Segment> e = segments.firstEntry(); e != null; e = segments.firstEntry()) {
            Segment s = e.getValue();
            if (s == segments.lastEntry().getValue() || s.base + s.size > position) {
                break;
            }
            segments.remove(s.base);
            retire(s);
            deleted = true;
        }
        long now = System.nanoTime();
        if (deleted || now - lastCheckpointNanos >= CHECKPOINT_EVERY_NANOS) {
            writeCheckpoint();
            lastCheckpointNanos = now;
        }
    }

    /**
     * Receive time (epoch microseconds) of the oldest unreleased record, 0 when there is none. The sender thread
     * only, like {@link #release}: it is what deletes segments.
     */
    public long oldestReceivedAtMicros() throws IOException {
        long at = released;
        if (at >= end) {
            return 0;
        }
        Map.Entry<Long, Segment> entry = segments.floorEntry(at);
        if (entry == null) {
            Long next = segments.ceilingKey(at);
            if (next == null) {
                return 0;
            }
            entry = segments.floorEntry(next);
            at = next;
        }
        Segment seg = entry.getValue();
        if (at - seg.base + SpoolWriteBatch.HEADER_BYTES + 9 > seg.size) {
            Long next = segments.higherKey(seg.base);
            return next == null || next >= end ? 0 : oldestIn(segments.get(next), next);
        }
        return oldestIn(seg, at);
    }

    private static long oldestIn(Segment seg, long at) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(SpoolWriteBatch.HEADER_BYTES + 9);
        readFully(seg.channel, head, at - seg.base);
        return head.getLong(SpoolWriteBatch.HEADER_BYTES + 1);
    }

    /** Moves the read cursor back to the oldest unreleased record, to send again what Kafka did not take. */
    public void rewind() {
        cursor = released;
    }

    /**
     * Moves the read cursor back to {@code position}, the start of a record read but never handed to Kafka, so the
     * next {@link #read} starts there. The sender thread only.
     */
    public void rewindTo(long position) {
        if (position < released || position > cursor) {
            throw new IllegalArgumentException("rewindTo(" + position + ") outside [" + released + ", " + cursor + "]");
        }
        cursor = position;
    }

    /** Wakes a {@link #read} that waits, e.g. when an acknowledgement arrived and there is something to release. */
    public void wakeReader() {
        mutex.lock();
        try {
            dataWritten.signalAll();
        } finally {
            mutex.unlock();
        }
    }

    /** Waits up to {@code wait} for a write or {@link #wakeReader()}; the sender's idle wait. */
    public void awaitSignal(Duration wait) {
        mutex.lock();
        try {
            if (!closed) {
                dataWritten.awaitNanos(wait.toNanos());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            mutex.unlock();
        }
    }

    /** Bytes accepted but not yet released (acknowledged by Kafka). */
    public long usedBytes() {
        return end - released;
    }

    public boolean isEmpty() {
        return end == released;
    }

    /** Bytes written but not yet read by the sender. */
    public long unreadBytes() {
        return end - cursor;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** True while a writer waits for space ({@link SpoolFullPolicy#BLOCK}). */
    public boolean isBlocked() {
        return blocked;
    }

    /** How often the spool was found full. */
    public long fullEpisodes() {
        return fullEpisodes.get();
    }

    /** Stretches of a segment skipped because they failed their checksum (disk damage; should stay 0). */
    public long corruptRegions() {
        return corruptRegions.get();
    }

    public Path directory() {
        return dir;
    }

    private long readCheckpoint() throws IOException {
        Path file = dir.resolve(CHECKPOINT);
        if (!Files.exists(file)) {
            return -1;
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            // an unreadable checkpoint costs duplicates (everything is sent again), never a loss
            LOG.warn("spool {}: unreadable {} ('{}'); sending everything still in the spool", dir, CHECKPOINT, text);
            return -1;
        }
    }

    private void writeCheckpoint() throws IOException {
        long value = released;
        if (value == checkpointed) {
            return;
        }
        Path tmp = dir.resolve(CHECKPOINT + ".tmp");
        Files.writeString(tmp, Long.toString(value), StandardCharsets.US_ASCII);
        try {
            Files.move(tmp, dir.resolve(CHECKPOINT), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve(CHECKPOINT), StandardCopyOption.REPLACE_EXISTING);
        }
        checkpointed = value;
    }

    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // not every file system lets a directory be opened; the segment data itself is still forced
            LOG.debug("cannot fsync directory {}: {}", dir, e.toString());
        }
    }

    /** Lets writers blocked for space write past the bound: the stage is stopping and must keep what it read. */
    public void releaseBlockedWriters() {
        mutex.lock();
        try {
            unbounded = true;
            spaceFreed.signalAll();
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Ends every wait: a reader returns, writers blocked for space write past the bound rather than lose what they
     * already read. Call before stopping the writer and reader threads, then {@link #close()}.
     */
    public void stopWaits() {
        mutex.lock();
        try {
            closed = true;
            unbounded = true;
            spaceFreed.signalAll();
            dataWritten.signalAll();
        } finally {
            mutex.unlock();
        }
    }

    /** Writes the released position and closes the files; unreleased records stay for the next start. */
    @Override
    public void close() {
        stopWaits();
        mutex.lock();
        try {
            if (segments.isEmpty() && !lock.isValid()) {
                return;
            }
            try {
                writeCheckpoint();
            } catch (IOException e) {
                LOG.warn("spool {}: cannot write the checkpoint ({}); the next start may send some lines twice",
                        dir, e.toString());
            }
            for (Segment s : segments.values()) {
                try {
                    if (s.channel.size() > s.size) {
                        // what a reused file held before: cut now, so the next start finds no tail to explain
                        s.channel.truncate(s.size);
                    }
                    if (fsyncPolicy != SpoolFsyncPolicy.NEVER) {
                        s.channel.force(false);
                    }
                    s.channel.close();
                    if (s.size == 0) {
                        Files.deleteIfExists(s.file);
                    }
                } catch (IOException e) {
                    LOG.warn("spool {}: closing {} failed: {}", dir, s.file, e.toString());
                }
            }
            segments.clear();
            for (Recycled r = recycled.poll(); r != null; r = recycled.poll()) {
                try {
                    r.channel.close();
                } catch (IOException e) {
                    LOG.warn("spool {}: closing {} failed: {}", dir, r.file, e.toString());
                }
            }
            try {
                lock.release();
                lockChannel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } finally {
            mutex.unlock();
        }
    }

    private static final class Segment {
        final long base;
        final Path file;
        final FileChannel channel;
        /** Checksums include the record's position (false only for segments of the earlier format). */
        final boolean positional;
        volatile long size;

        Segment(long base, Path file, FileChannel channel, long size, boolean positional) {
            this.base = base;
            this.file = file;
            this.channel = channel;
            this.size = size;
            this.positional = positional;
        }
    }

    /** A released segment's file, kept open for reuse. */
    private record Recycled(Path file, FileChannel channel) {
    }
}
