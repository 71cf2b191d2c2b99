package io.auditrail.archive;

import io.auditrail.core.config.PostgresLogin;
import io.auditrail.core.config.Settings;
import io.auditrail.core.event.RawPosition;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the archive: the objects of a period, the lines of an object, and the line at a raw-topic position,
 * byte-exact. Used by verify, replay and the {@code /events/{id}/raw} route.
 *
 * <p>Listing is lazy and stops at the period's bound, and every object is decompressed within what the archiver can
 * have written ({@link ArchiveConfig#maxContentBytes}). A raw line is served only from an object whose bytes hash to
 * what a digest signed with the chain's key lists.
 */
public final class ArchiveReader implements AutoCloseable {
    /** How far around the given time {@link #rawLine} looks for the object (its first line may be older). */
    public static final Duration DEFAULT_SEARCH_WINDOW = Duration.ofHours(2);
    /**
     * Digests read after an object's upload before giving up: the first digest written after an upload lists the
     * object, so only a digest sealed just before the upload (and stored after it) can come first.
     */
    static final int MAX_DIGESTS_AFTER_STORE = 3;

    private final ArchiveStore store;
    private final ArchiveConfig config;
    private final PublicKey publicKey;
    private final ChainHeadStore heads;
    private final Clock clock;
    private final boolean ownsStore;

    /**
     * @param publicKey the chain's public key; null when only {@link #objects} and {@link #lines} are used (replay)
     * @param heads     the chain head table, which tells a replaced object from one not digested yet; may be null
     */
    ArchiveReader(ArchiveStore store, ArchiveConfig config, PublicKey publicKey, ChainHeadStore heads, Clock clock,
                  boolean ownsStore) {
        this.store = store;
        this.config = config;
        this.publicKey = publicKey;
        this.heads = heads;
        this.clock = clock;
        this.ownsStore = ownsStore;
    }

    /**
     * A reader for serving raw lines: needs the chain's public key ({@code archive.public.key(.file)}), and reads the
     * chain head table of {@code postgres.*}.
     */
    public static ArchiveReader open(Settings settings) {
        return open(settings, new ArchiveConfig(settings).postgresLogin());
    }

    /** The same, reading the chain head as {@code login} (serve's own role). */
    public static ArchiveReader open(Settings settings, PostgresLogin login) {
        ArchiveConfig config = new ArchiveConfig(settings);
        PublicKey key = config.publicKey();
        return new ArchiveReader(ArchiveStore.open(config, Clock.systemUTC()), config, key,
                ChainHeadStore.open(config, login), Clock.systemUTC(), true);
    }

    /**
     * The line Vault wrote at a raw-topic position, without its newline, once its object is checked against the
     * signed digest that lists it.
     *
     * @param around the record's time (the event's time serves): objects whose first line is within
     *               {@code window} before it, or an hour after it, are searched
     */
    public RawLookup rawLine(RawPosition position, Instant around, Duration window) {
        if (publicKey == null) {
            throw new IllegalStateException("this reader has no public key to check digests with");
        }
        Instant from = around.minus(window);
        Instant to = around.plus(Duration.ofHours(1));
        Optional<ArchiveStore.Listed> holder;
        try (Stream<ArchiveStore.Listed> listed = listed(from, to)) {
            holder = listed.filter(l -> ObjectKey.parse(l.key())
                    .map(k -> inPeriod(k, from, to) && k.contains(position.partition(), position.offset()))
                    .orElse(false)).findFirst();
        }
        if (holder.isEmpty()) {
            return new RawLookup.Absent("no archived object holds offset " + position.offset() + " of partition "
                    + position.partition() + " (yet): the archiver stores objects every few minutes");
        }
        ObjectKey key = ObjectKey.parse(holder.get().key()).orElseThrow();
        return checked(key, holder.get().lastModified(), position);
    }

    public RawLookup rawLine(RawPosition position, Instant around) {
        return rawLine(position, around, DEFAULT_SEARCH_WINDOW);
    }

    /**
     * Finds the signed digest that lists {@code key}: the first digest written after the object was stored lists it
     * (digests created up to a clock margin before the store time are looked at too, for clock differences between
     * S3 and the archiver). Anything else is a refusal: a digest after the store time that covers the object's offsets
     * without listing it (the object was replaced or inserted), a bad signature, other bytes than listed, or no digest
     * although one is overdue.
     */
    private RawLookup checked(ObjectKey key, Instant stored, RawPosition position) {
        Instant after = stored.minus(ArchiveVerifier.CLOCK_MARGIN);
        int seen = 0;
        try (Stream<String> keys = store.keys(Digest.PREFIX, Digest.hourPrefix(after))) {
            Iterator<String> it = keys.filter(Digest::isDigestKey).iterator();
            while (it.hasNext()) {
                String digestKey = it.next();
                Optional<Instant> created = Digest.createdOf(digestKey);
                if (created.isEmpty() || created.get().isBefore(after)) {
                    continue;
                }
                boolean afterStore = !created.get().isBefore(stored);
                if (afterStore && ++seen > MAX_DIGESTS_AFTER_STORE) {
                    break;
                }
                Optional<SignedDigest> signed = store.digest(digestKey);
                if (signed.isEmpty()) {
                    continue;
                }
                Digest d;
                try {
                    d = Digest.parse(signed.get().body());
                } catch (IllegalArgumentException e) {
                    if (!afterStore) {
                        continue;
                    }
                    return new RawLookup.Refused(key.key(), "digest " + digestKey + " is unreadable");
                }
                Optional<DigestEntry> entry = d.objects().stream().filter(o -> o.key().equals(key.key())).findFirst();
                Coverage c = d.coverage().get(key.partition());
                boolean covers = c != null && c.lastOffset() >= key.firstOffset();
                if (entry.isEmpty() && !(afterStore && covers)) {
                    continue;
                }
                if (signed.get().signature() == null
                        || !ArchiveKeys.verify(publicKey, signed.get().body(), signed.get().signature())) {
                    return new RawLookup.Refused(key.key(), "digest " + digestKey + " is not signed with the "
                            + "archive's key");
                }
                if (entry.isPresent()) {
                    return served(key, entry.get(), digestKey, position);
                }
                return new RawLookup.Refused(key.key(), "stored " + stored + ", but " + digestKey + ", the first "
                        + "signed digest after it that covers its offsets, does not list it: the object was replaced "
                        + "or inserted after archiving");
            }
        }
        Optional<RawLookup> replaced = seen == 0 ? digestedBefore(key, stored) : Optional.empty();
        if (replaced.isPresent()) {
            return replaced.get();
        }
        if (seen <= MAX_DIGESTS_AFTER_STORE && stored.plus(config.digestDueWithin()).isAfter(clock.instant())) {
            return new RawLookup.Absent("the object holding it was stored at " + stored + " and is not in a signed "
                    + "digest yet (one is written every " + config.digestInterval().toSeconds() + " s)");
        }
        return new RawLookup.Refused(key.key(), "stored " + stored + ", and no signed digest written since lists it");
    }

    /**
     * No digest after the object yet: new, or stored again after its offsets were digested (replaced, or an inserted
     * object over archived offsets). The chain head tells which: when the newest digest is older than the object and
     * already covers its offsets, the object came after them. Empty when it does not, or the head cannot be read.
     */
    private Optional<RawLookup> digestedBefore(ObjectKey key, Instant stored) {
        if (heads == null) {
            return Optional.empty();
        }
        try {
            Optional<ChainHead> head = heads.latest();
            if (head.isEmpty() || !head.get().created().isBefore(stored.minus(ArchiveVerifier.CLOCK_MARGIN))) {
                return Optional.empty();
            }
            Optional<SignedDigest> d = store.digest(head.get().digestKey());
            if (d.isEmpty() || d.get().signature() == null
                    || !ArchiveKeys.verify(publicKey, d.get().body(), d.get().signature())) {
                return Optional.of(new RawLookup.Refused(key.key(), "the chain head " + head.get().digestKey()
                        + " is missing or not signed with the archive's key; run auditrail verify"));
            }
            Coverage c = Digest.parse(d.get().body()).coverage().get(key.partition());
            if (c != null && c.lastOffset() >= key.firstOffset()) {
                return Optional.of(new RawLookup.Refused(key.key(), "stored " + stored + ", after its offsets were "
                        + "already listed by signed digests (up to " + head.get().digestKey() + "): the object was "
                        + "replaced or inserted after archiving"));
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty(); // not served either way: reported as not digested yet
        }
    }

    private RawLookup served(ObjectKey key, DigestEntry entry, String digestKey, RawPosition position) {
        if (entry.lines() != key.offsetCount()) {
            return new RawLookup.Refused(key.key(), digestKey + " lists " + entry.lines() + " lines for "
                    + key.offsetCount() + " offsets");
        }
        Optional<byte[]> body;
        try {
            body = store.get(key.key(), entry.bytes());
        } catch (ArchiveStore.ObjectTooLarge e) {
            return new RawLookup.Refused(key.key(), "larger than the " + entry.bytes() + " bytes " + digestKey
                    + " lists: altered");
        }
        if (body.isEmpty()) {
            return new RawLookup.Absent("the object holding it is no longer in the bucket; run auditrail verify");
        }
        String sha256 = Hashes.sha256Hex(body.get());
        if (!sha256.equals(entry.sha256())) {
            return new RawLookup.Refused(key.key(), "altered: its SHA-256 is " + sha256 + ", the signed digest "
                    + digestKey + " lists " + entry.sha256());
        }
        Optional<byte[]> line;
        try {
            line = ObjectContent.line(body.get(), position.offset() - key.firstOffset(), config.maxContentBytes(key));
        } catch (ObjectContent.TooLarge e) {
            return new RawLookup.Refused(key.key(), e.getMessage());
        }
        return line.<RawLookup>map(l -> new RawLookup.Found(l, key.key(), digestKey))
                .orElseGet(() -> new RawLookup.Refused(key.key(), "holds fewer lines than " + digestKey + " lists"));
    }

    /** Objects whose first line's time is in [from, to), in key order (time, then partition and offset). */
    public List<ObjectKey> objects(Instant from, Instant to) {
        try (Stream<ArchiveStore.Listed> listed = listed(from, to)) {
            return listed.map(l -> ObjectKey.parse(l.key())).flatMap(Optional::stream)
                    .filter(k -> inPeriod(k, from, to)).toList();
        }
    }

    /**
     * The keys of the hour folders that can hold objects whose first line is in [from, to), listed lazily: the
     * listing stops at the first key past them, however many keys the bucket holds after.
     */
    private Stream<ArchiveStore.Listed> listed(Instant from, Instant to) {
        String startAfter = ObjectKey.hourPrefix(from.minus(Duration.ofHours(1))) + "~"; // '~' sorts after the stamps
        String stopAt = ObjectKey.hourPrefix(to.plus(Duration.ofHours(1)));
        return store.listed(ObjectKey.PREFIX, startAfter).takeWhile(l -> l.key().compareTo(stopAt) < 0);
    }

    private static boolean inPeriod(ObjectKey key, Instant from, Instant to) {
        return !key.firstTime().isBefore(from) && key.firstTime().isBefore(to);
    }

    /** The lines of a stored object, byte-exact, without their newlines; empty when the object is not there. */
    public Optional<List<byte[]>> lines(ObjectKey key) {
        return store.get(key.key(), config.maxStoredBytes(key))
                .map(body -> ObjectContent.lines(body, config.maxContentBytes(key)));
    }

    @Override
    public void close() {
        if (ownsStore) {
            store.close();
        }
    }
}
