package io.auditrail.archive;

import io.auditrail.core.config.Settings;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Walks the digest chain of a period: every digest signed by the public key and linked to its predecessor, every
 * listed object present with the listed SHA-256, and each partition's offsets contiguous across the objects.
 */
public final class ArchiveVerifier {
    /** How long after the period the digests that may list its last objects are read. */
    static final Duration LISTING_SLACK = Duration.ofHours(2);

    private final ArchiveStore store;
    private final PublicKey publicKey;

    /** Clock difference between S3 and the archiver that an unlisted object's store time is allowed. */
    static final Duration CLOCK_MARGIN = Duration.ofMinutes(1);

    private final Duration clockMargin;

    ArchiveVerifier(ArchiveStore store, PublicKey publicKey) {
        this(store, publicKey, CLOCK_MARGIN);
    }

    ArchiveVerifier(ArchiveStore store, PublicKey publicKey, Duration clockMargin) {
        this.store = store;
        this.publicKey = publicKey;
        this.clockMargin = clockMargin;
    }

    /** Verifies the digests created in [from, to) with the bucket and public key of {@code settings}. */
    public static VerifyReport verify(Settings settings, Instant from, Instant to) {
        ArchiveConfig config = new ArchiveConfig(settings);
        PublicKey key = config.publicKey();
        try (ArchiveStore store = ArchiveStore.open(config, Clock.systemUTC())) {
            return new ArchiveVerifier(store, key).verify(from, to);
        }
    }

    public VerifyReport verify(Instant from, Instant to) {
        List<SignedDigest> digests = new ArrayList<>();
        // digests of the hour before "from" are listed too, so a digest key in the period is never missed
        String startAfter = Digest.hourPrefix(from.minus(Duration.ofHours(1))) + "~";
        String stopAt = Digest.hourPrefix(to.plus(Duration.ofHours(1)));
        for (String k : store.list(Digest.PREFIX, startAfter)) {
            if (k.compareTo(stopAt) >= 0) {
                break;
            }
            if (Digest.isDigestKey(k) && inPeriod(k, from, to)) {
                digests.add(read(k));
            }
        }
        SignedDigest predecessor = null;
        boolean predecessorMissing = false;
        if (!digests.isEmpty()) {
            String previousKey = previousKeyOf(digests.get(0));
            if (previousKey != null) {
                Optional<byte[]> body = store.get(previousKey);
                if (body.isPresent()) {
                    predecessor = new SignedDigest(previousKey, body.get(), null);
                } else {
                    predecessorMissing = true;
                }
            }
        }
        DigestChain.CheckResult chain = DigestChain.check(digests, predecessor, predecessorMissing, publicKey);
        List<Problem> problems = new ArrayList<>(chain.problems());
        int objects = 0;
        long lines = 0;
        for (DigestChain.Checked c : chain.digests()) {
            for (DigestEntry o : c.digest().objects()) {
                objects++;
                lines += o.lines();
                Optional<byte[]> body = store.get(o.key());
                if (body.isEmpty()) {
                    problems.add(new Problem(Problem.Kind.MISSING_OBJECT, o.key(), "listed in " + c.stored().key()
                            + " but not in the bucket"));
                } else if (!Hashes.sha256Hex(body.get()).equals(o.sha256())) {
                    problems.add(new Problem(Problem.Kind.ALTERED_OBJECT, o.key(), "SHA-256 is "
                            + Hashes.sha256Hex(body.get()) + ", " + c.stored().key() + " says " + o.sha256()));
                }
            }
        }
        problems.addAll(unlisted(chain.digests(), from, to));
        String head = digests.isEmpty() ? null : digests.get(digests.size() - 1).key();
        return new VerifyReport(from, to, digests.size(), objects, lines, head, problems);
    }

    /**
     * Objects whose first line is in the period, that none of the period's digests nor those of the next
     * {@link #LISTING_SLACK} list, though stored before the last of those digests was created (so it should list them).
     */
    private List<Problem> unlisted(List<DigestChain.Checked> checked, Instant from, Instant to) {
        java.util.Set<String> listed = new java.util.HashSet<>();
        Instant newest = null;
        for (DigestChain.Checked c : checked) {
            c.digest().objects().forEach(o -> listed.add(o.key()));
            newest = c.digest().created();
        }
        // an object is listed by the first digest after its upload, which may come after the period
        for (String k : store.list(Digest.PREFIX, Digest.hourPrefix(to.minus(Duration.ofHours(1))) + "~")) {
            if (k.compareTo(Digest.hourPrefix(to.plus(LISTING_SLACK).plus(Duration.ofHours(1)))) >= 0) {
                break;
            }
            if (Digest.isDigestKey(k) && inPeriod(k, to, to.plus(LISTING_SLACK))) {
                try {
                    Digest d = Digest.parse(store.get(k).orElse(new byte[0]));
                    d.objects().forEach(o -> listed.add(o.key()));
                    newest = d.created();
                } catch (IllegalArgumentException e) {
                    // reported when its own period is verified
                }
            }
        }
        List<Problem> problems = new ArrayList<>();
        if (newest == null) {
            return problems;
        }
        String startAfter = ObjectKey.hourPrefix(from.minus(Duration.ofHours(1))) + "~";
        String stopAt = ObjectKey.hourPrefix(to.plus(Duration.ofHours(1)));
        for (ArchiveStore.Listed l : store.listWithTimes(ObjectKey.PREFIX, startAfter)) {
            if (l.key().compareTo(stopAt) >= 0) {
                break;
            }
            Optional<ObjectKey> key = ObjectKey.parse(l.key());
            boolean inPeriod = key.map(k -> !k.firstTime().isBefore(from) && k.firstTime().isBefore(to)).orElse(false);
            if (inPeriod && !listed.contains(l.key()) && l.lastModified().plus(clockMargin).isBefore(newest)) {
                problems.add(new Problem(Problem.Kind.UNLISTED_OBJECT, l.key(), "stored " + l.lastModified()
                        + ", listed by no digest up to " + newest));
            }
        }
        return problems;
    }

    private SignedDigest read(String key) {
        byte[] body = store.get(key).orElse(new byte[0]);
        byte[] signature = store.get(Digest.signatureKey(key)).map(ArchiveVerifier::decodeSignature).orElse(null);
        return new SignedDigest(key, body, signature);
    }

    private static byte[] decodeSignature(byte[] text) {
        try {
            return Base64.getDecoder().decode(new String(text, StandardCharsets.US_ASCII).strip());
        } catch (IllegalArgumentException e) {
            return new byte[0]; // fails verification, reported as a bad signature
        }
    }

    private static String previousKeyOf(SignedDigest d) {
        try {
            return Digest.parse(d.body()).previousKey();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The creation time in a digest key: {@code digests/yyyy/MM/dd/HH/<stamp>-<sequence>.json}. */
    private static boolean inPeriod(String key, Instant from, Instant to) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        int dash = name.indexOf('-');
        if (dash < 0) {
            return false;
        }
        try {
            Instant created = ObjectKey.parseStamp(name.substring(0, dash));
            return !created.isBefore(from) && created.isBefore(to);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
