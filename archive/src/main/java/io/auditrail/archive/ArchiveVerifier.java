package io.auditrail.archive;

import io.auditrail.core.config.PostgresLogin;
import io.auditrail.core.config.Settings;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Walks the digest chain of a period: every digest signed by the public key and linked to its predecessor, every
 * listed object present with the listed SHA-256, and each partition's offsets contiguous across the objects. The
 * period must hold a digest, the first digest after it must link to its last one, and the chain must still reach the
 * head recorded outside the bucket ({@link ChainHeadStore}), which must be no older than the digest interval allows.
 */
public final class ArchiveVerifier {
    /** How long after the period the digests that may list its last objects are read. */
    static final Duration LISTING_SLACK = Duration.ofHours(2);

    /** Clock difference between S3 and the archiver that an unlisted object's store time is allowed. */
    static final Duration CLOCK_MARGIN = Duration.ofMinutes(1);

    private final ArchiveStore store;
    private final PublicKey publicKey;
    private final ChainHeadStore heads;
    private final Duration digestDueWithin;
    private final Clock clock;
    private final Duration clockMargin;

    ArchiveVerifier(ArchiveStore store, PublicKey publicKey, ChainHeadStore heads, Duration digestDueWithin,
                    Clock clock, Duration clockMargin) {
        this.store = store;
        this.publicKey = publicKey;
        this.heads = heads;
        this.digestDueWithin = digestDueWithin;
        this.clock = clock;
        this.clockMargin = clockMargin;
    }

    /**
     * Verifies the digests created in [from, to) with the bucket and public key of {@code settings}, and the chain
     * head recorded in the PostgreSQL of {@code settings}.
     */
    public static VerifyReport verify(Settings settings, Instant from, Instant to) {
        return verify(settings, new ArchiveConfig(settings).postgresLogin(), from, to);
    }

    /** The same, reading the chain head as {@code login} (serve's own role). */
    public static VerifyReport verify(Settings settings, PostgresLogin login, Instant from, Instant to) {
        ArchiveConfig config = new ArchiveConfig(settings);
        PublicKey key = config.publicKey();
        try (ArchiveStore store = ArchiveStore.open(config, Clock.systemUTC())) {
            return new ArchiveVerifier(store, key, ChainHeadStore.open(config, login), config.digestDueWithin(),
                    Clock.systemUTC(), CLOCK_MARGIN).verify(from, to);
        }
    }

    public VerifyReport verify(Instant from, Instant to) {
        // the chain head table first: a digest is recorded only once stored, so every row read now must be in the
        // listing below, even while the archiver goes on writing
        Optional<ChainHead> head;
        List<ChainHead> recordedInPeriod;
        String headUnreadable = null;
        try {
            head = heads.latest();
            recordedInPeriod = heads.createdBetween(from, to);
        } catch (RuntimeException e) {
            head = Optional.empty();
            recordedInPeriod = null;
            headUnreadable = e.getMessage();
        }
        List<SignedDigest> digests = new ArrayList<>();
        SignedDigest successor = null;
        // the listing starts at the hour of "from" and stops at the first digest created at or after "to"
        try (Stream<String> keys = store.keys(Digest.PREFIX, Digest.hourPrefix(from.minus(Duration.ofHours(1))) + "~")) {
            Iterator<String> it = keys.filter(Digest::isDigestKey).iterator();
            while (it.hasNext()) {
                String k = it.next();
                Optional<Instant> created = Digest.createdOf(k);
                if (created.isEmpty() || created.get().isBefore(from)) {
                    continue;
                }
                if (created.get().isBefore(to)) {
                    digests.add(read(k));
                } else {
                    successor = read(k);
                    break;
                }
            }
        }
        SignedDigest predecessor = null;
        boolean predecessorMissing = false;
        if (!digests.isEmpty()) {
            String previousKey = previousKeyOf(digests.get(0));
            if (previousKey != null) {
                Optional<byte[]> body = store.get(previousKey, ArchiveStore.MAX_DIGEST_BYTES);
                if (body.isPresent()) {
                    predecessor = new SignedDigest(previousKey, body.get(), null);
                } else {
                    predecessorMissing = true;
                }
            }
        }
        DigestChain.CheckResult chain = DigestChain.check(digests, predecessor, predecessorMissing, publicKey);
        List<Problem> problems = new ArrayList<>(chain.problems());
        if (digests.isEmpty()) {
            problems.add(new Problem(Problem.Kind.NO_DIGEST, Digest.hourPrefix(from), "no digest was created from "
                    + from + " to " + to + " (one is written every archive.digest.interval.ms): nothing in the "
                    + "archive vouches for this period"));
        }
        int objects = 0;
        long lines = 0;
        for (DigestChain.Checked c : chain.digests()) {
            for (DigestEntry o : c.digest().objects()) {
                objects++;
                lines += o.lines();
                Optional<byte[]> body;
                try {
                    body = store.get(o.key(), o.bytes()); // a hostile object far larger than listed is not read whole
                } catch (ArchiveStore.ObjectTooLarge e) {
                    problems.add(new Problem(Problem.Kind.ALTERED_OBJECT, o.key(), "larger than the " + o.bytes()
                            + " bytes " + c.stored().key() + " says"));
                    continue;
                }
                if (body.isEmpty()) {
                    problems.add(new Problem(Problem.Kind.MISSING_OBJECT, o.key(), "listed in " + c.stored().key()
                            + " but not in the bucket"));
                } else if (!Hashes.sha256Hex(body.get()).equals(o.sha256())) {
                    problems.add(new Problem(Problem.Kind.ALTERED_OBJECT, o.key(), "SHA-256 is "
                            + Hashes.sha256Hex(body.get()) + ", " + c.stored().key() + " says " + o.sha256()));
                }
            }
        }
        problems.addAll(periodEnd(digests, successor, from, to));
        if (headUnreadable != null) {
            problems.add(new Problem(Problem.Kind.CHAIN_HEAD, "archive_chain_head", "the chain head could not be read "
                    + "(" + headUnreadable + "): a deletion of the newest digests cannot be ruled out"));
        } else {
            problems.addAll(recorded(digests, successor, head, recordedInPeriod));
        }
        // the recorded head says digests were written up to its creation: objects stored before it and listed by none
        // of the digests left are unlisted, also when the digests that listed them were deleted
        Instant listedUpTo = head.map(h -> min(h.created(), to.plus(LISTING_SLACK))).orElse(null);
        problems.addAll(unlisted(chain.digests(), from, to, listedUpTo));
        String last = digests.isEmpty() ? null : digests.get(digests.size() - 1).key();
        return new VerifyReport(from, to, digests.size(), objects, lines, last, problems);
    }

    /**
     * The first digest after the period must name the period's last digest as its previous one, with its hash: so
     * deleting (or replacing) the digests at the end of a period breaks a link that verify of that period reads.
     */
    private List<Problem> periodEnd(List<SignedDigest> digests, SignedDigest successor, Instant from, Instant to) {
        List<Problem> problems = new ArrayList<>();
        if (successor == null) {
            return problems; // nothing after the period: the recorded head says whether the chain ends too early
        }
        if (successor.signature() == null || !ArchiveKeys.verify(publicKey, successor.body(), successor.signature())) {
            problems.add(new Problem(Problem.Kind.BAD_SIGNATURE, successor.key(), "the first digest after the period "
                    + "is not signed with the public key " + ArchiveKeys.fingerprint(publicKey).substring(0, 16)));
        }
        Digest next;
        try {
            next = Digest.parse(successor.body());
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(Problem.Kind.BROKEN_CHAIN, successor.key(), "unreadable: " + e.getMessage()));
            return problems;
        }
        if (digests.isEmpty()) {
            Optional<Instant> previousCreated = next.previousKey() == null ? Optional.empty()
                    : Digest.createdOf(next.previousKey());
            if (previousCreated.isPresent() && !previousCreated.get().isBefore(from) && previousCreated.get().isBefore(to)) {
                problems.add(new Problem(Problem.Kind.BROKEN_CHAIN, successor.key(), "its previous digest "
                        + next.previousKey() + " was created in the period and is missing"));
            }
            return problems;
        }
        SignedDigest last = digests.get(digests.size() - 1);
        if (!last.key().equals(next.previousKey())) {
            problems.add(new Problem(Problem.Kind.BROKEN_CHAIN, successor.key(), "the first digest after the period "
                    + "names " + next.previousKey() + " as previous, not the period's last digest " + last.key()
                    + " (digests at the end of the period are missing)"));
        } else if (!last.sha256().equals(next.previousSha256())) {
            problems.add(new Problem(Problem.Kind.BROKEN_CHAIN, successor.key(), "the first digest after the period "
                    + "recorded SHA-256 " + next.previousSha256() + " for " + last.key() + ", which now has "
                    + last.sha256()));
        }
        return problems;
    }

    /**
     * Against the chain head table: the newest recorded digest must still be in the bucket with its recorded bytes and
     * be no older than the digest interval allows, and every digest recorded for the period must be in the bucket as
     * recorded (which a stolen signing key cannot re-sign away: the rows were written before).
     */
    private List<Problem> recorded(List<SignedDigest> digests, SignedDigest successor, Optional<ChainHead> head,
                                   List<ChainHead> inPeriod) {
        List<Problem> problems = new ArrayList<>();
        Map<String, SignedDigest> byKey = new HashMap<>();
        digests.forEach(d -> byKey.put(d.key(), d));
        if (successor != null) {
            byKey.put(successor.key(), successor);
        }
        if (head.isEmpty()) {
            problems.add(new Problem(Problem.Kind.CHAIN_HEAD, "archive_chain_head", "no chain head is recorded for "
                    + "bucket " + store.bucket() + ": the archiver has not recorded a digest, and a deletion of the "
                    + "newest digests cannot be ruled out"));
        } else {
            ChainHead h = head.get();
            Optional<SignedDigest> stored = Optional.ofNullable(byKey.get(h.digestKey()))
                    .or(() -> store.digest(h.digestKey()));
            if (stored.isEmpty()) {
                problems.add(new Problem(Problem.Kind.TRUNCATED_CHAIN, h.digestKey(), "the newest digest recorded "
                        + "outside the bucket, " + h + ", is not in the bucket: the chain stops short of it (the "
                        + "newest digests were deleted)"));
            } else if (!h.matches(stored.get())) {
                problems.add(new Problem(Problem.Kind.TRUNCATED_CHAIN, h.digestKey(), "the newest recorded digest "
                        + h + " is in the bucket with other bytes (SHA-256 " + stored.get().sha256() + "): replaced"));
            }
            Instant now = clock.instant();
            if (h.created().plus(digestDueWithin).isBefore(now)) {
                problems.add(new Problem(Problem.Kind.CHAIN_HEAD, h.digestKey(), "the newest recorded digest was "
                        + "created " + h.created() + ", more than " + digestDueWithin.toMinutes() + " min before "
                        + now + ": the archiver is not writing digests (or cannot record them), so a deletion of "
                        + "the newest ones cannot be ruled out"));
            }
        }
        for (ChainHead r : inPeriod) {
            SignedDigest d = byKey.get(r.digestKey());
            if (d == null) {
                problems.add(new Problem(Problem.Kind.BROKEN_CHAIN, r.digestKey(), "recorded when it was written ("
                        + r.recordedAt() + ") but not in the bucket"));
            } else if (!r.matches(d)) {
                problems.add(new Problem(Problem.Kind.BROKEN_CHAIN, r.digestKey(), "SHA-256 is " + d.sha256()
                        + ", recorded as " + r.sha256() + " when it was written: replaced"));
            }
        }
        return problems;
    }

    /**
     * Objects whose first line is in the period, that none of the period's digests nor those of the next
     * {@link #LISTING_SLACK} list, though stored before the last of those digests was created (so it should list them),
     * or before {@code recordedUpTo}, when the chain head table says digests were written until then.
     */
    private List<Problem> unlisted(List<DigestChain.Checked> checked, Instant from, Instant to, Instant recordedUpTo) {
        java.util.Set<String> listed = new java.util.HashSet<>();
        Instant newest = null;
        for (DigestChain.Checked c : checked) {
            c.digest().objects().forEach(o -> listed.add(o.key()));
            newest = c.digest().created();
        }
        // an object is listed by the first digest after its upload, which may come after the period
        List<String> after;
        try (Stream<String> keys = store.keys(Digest.PREFIX, Digest.hourPrefix(to.minus(Duration.ofHours(1))) + "~",
                Digest.hourPrefix(to.plus(LISTING_SLACK).plus(Duration.ofHours(1))))) {
            after = keys.filter(k -> Digest.isDigestKey(k) && inPeriod(k, to, to.plus(LISTING_SLACK))).toList();
        }
        for (String k : after) {
            try {
                Digest d = Digest.parse(store.get(k, ArchiveStore.MAX_DIGEST_BYTES).orElse(new byte[0]));
                d.objects().forEach(o -> listed.add(o.key()));
                newest = d.created();
            } catch (IllegalArgumentException e) {
                // reported when its own period is verified
            }
        }
        if (recordedUpTo != null && (newest == null || recordedUpTo.isAfter(newest))) {
            newest = recordedUpTo;
        }
        List<Problem> problems = new ArrayList<>();
        if (newest == null) {
            return problems;
        }
        String startAfter = ObjectKey.hourPrefix(from.minus(Duration.ofHours(1))) + "~";
        String stopAt = ObjectKey.hourPrefix(to.plus(Duration.ofHours(1)));
        Instant listedUpTo = newest;
        try (Stream<ArchiveStore.Listed> objects = store.listed(ObjectKey.PREFIX, startAfter)
                .takeWhile(l -> l.key().compareTo(stopAt) < 0)) {
            objects.forEach(l -> {
                Optional<ObjectKey> key = ObjectKey.parse(l.key());
                boolean inPeriod = key.map(k -> !k.firstTime().isBefore(from) && k.firstTime().isBefore(to))
                        .orElse(false);
                if (inPeriod && !listed.contains(l.key()) && l.lastModified().plus(clockMargin).isBefore(listedUpTo)) {
                    problems.add(new Problem(Problem.Kind.UNLISTED_OBJECT, l.key(), "stored " + l.lastModified()
                            + ", listed by no digest up to " + listedUpTo));
                }
            });
        }
        return problems;
    }

    /** A listed digest; one that vanished since the listing reads as empty bytes (unreadable, and unsigned). */
    private SignedDigest read(String key) {
        return store.digest(key).orElseGet(() -> new SignedDigest(key, new byte[0], null));
    }

    private static String previousKeyOf(SignedDigest d) {
        try {
            return Digest.parse(d.body()).previousKey();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Whether a digest key's creation time is in [from, to). */
    private static boolean inPeriod(String key, Instant from, Instant to) {
        return Digest.createdOf(key).map(c -> !c.isBefore(from) && c.isBefore(to)).orElse(false);
    }
}
