package io.auditrail.archive;

import io.auditrail.core.config.Settings;
import io.auditrail.core.event.RawPosition;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Reads the archive: the objects of a period, the lines of an object, and the line at a raw-topic position,
 * byte-exact. Used by verify, replay and the {@code /events/{id}/raw} route.
 */
public final class ArchiveReader implements AutoCloseable {
    /** How far around the given time {@link #rawLine} looks for the object (its first line may be older). */
    public static final Duration DEFAULT_SEARCH_WINDOW = Duration.ofHours(2);

    private final ArchiveStore store;
    private final boolean ownsStore;

    ArchiveReader(ArchiveStore store, boolean ownsStore) {
        this.store = store;
        this.ownsStore = ownsStore;
    }

    public static ArchiveReader open(Settings settings) {
        return new ArchiveReader(ArchiveStore.open(new ArchiveConfig(settings), Clock.systemUTC()), true);
    }

    /**
     * The line Vault wrote at a raw-topic position, without its newline.
     *
     * @param around the record's time (the event's time serves): objects whose first line is within
     *               {@code window} before it, or an hour after it, are searched
     */
    public Optional<byte[]> rawLine(RawPosition position, Instant around, Duration window) {
        for (ObjectKey key : objects(around.minus(window), around.plus(Duration.ofHours(1)))) {
            if (key.contains(position.partition(), position.offset())) {
                Optional<byte[]> body = store.get(key.key());
                if (body.isEmpty()) {
                    return Optional.empty();
                }
                List<byte[]> lines = lines(body.get());
                if (lines.size() != key.offsetCount()) {
                    throw new IllegalStateException(key + " holds " + lines.size() + " lines for "
                            + key.offsetCount() + " offsets; run verify");
                }
                return Optional.of(lines.get((int) (position.offset() - key.firstOffset())));
            }
        }
        return Optional.empty();
    }

    public Optional<byte[]> rawLine(RawPosition position, Instant around) {
        return rawLine(position, around, DEFAULT_SEARCH_WINDOW);
    }

    /** Objects whose first line's time is in [from, to), in key order (time, then partition and offset). */
    public List<ObjectKey> objects(Instant from, Instant to) {
        List<ObjectKey> out = new ArrayList<>();
        String startAfter = ObjectKey.hourPrefix(from.minus(Duration.ofHours(1))) + "~"; // '~' sorts after the stamps
        String stopAt = ObjectKey.hourPrefix(to.plus(Duration.ofHours(1)));
        for (String k : store.list(ObjectKey.PREFIX, startAfter)) {
            if (k.compareTo(stopAt) >= 0) {
                break;
            }
            ObjectKey.parse(k).filter(key -> !key.firstTime().isBefore(from) && key.firstTime().isBefore(to))
                    .ifPresent(out::add);
        }
        return out;
    }

    /** The lines of a stored object, byte-exact, without their newlines; empty when the object is not there. */
    public Optional<List<byte[]>> lines(ObjectKey key) {
        return store.get(key.key()).map(ArchiveReader::lines);
    }

    /** Splits a gzip NDJSON object into its lines. */
    static List<byte[]> lines(byte[] gzip) {
        byte[] content = gunzip(gzip);
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '\n') {
                byte[] line = new byte[i - start];
                System.arraycopy(content, start, line, 0, line.length);
                out.add(line);
                start = i + 1;
            }
        }
        if (start != content.length) {
            throw new IllegalStateException("object content does not end with a newline");
        }
        return out;
    }

    static byte[] gunzip(byte[] gzip) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip), 64 << 10)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(gzip.length * 8);
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("not a gzip object: " + e.getMessage(), e);
        }
    }

    /** Hex SHA-256 of an object's decompressed content. */
    static String contentSha256(byte[] gzip) {
        MessageDigest md = Hashes.sha256();
        return Hashes.hex(md.digest(gunzip(gzip)));
    }

    /** What a digest says about an object found in the bucket. */
    static DigestEntry entryOf(ObjectKey key, byte[] body) {
        byte[] content = gunzip(body);
        int lines = 0;
        for (byte b : content) {
            if (b == '\n') {
                lines++;
            }
        }
        return DigestEntry.of(key, Hashes.sha256Hex(body), Hashes.sha256Hex(content), body.length, lines);
    }

    @Override
    public void close() {
        if (ownsStore) {
            store.close();
        }
    }
}
