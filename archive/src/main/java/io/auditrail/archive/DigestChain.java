package io.auditrail.archive;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The hash chain of digests. Pure: no I/O and no clock. The writer side holds the chain head and seals the next
 * digest; {@link #check} is the verifier's side, on digests already read from the bucket.
 */
public final class DigestChain {
    private final String topic;
    private long nextSequence;
    private String headKey;
    private String headSha256;
    private final SortedMap<Integer, Coverage> coverage;

    private DigestChain(String topic, long nextSequence, String headKey, String headSha256,
                        SortedMap<Integer, Coverage> coverage) {
        this.topic = topic;
        this.nextSequence = nextSequence;
        this.headKey = headKey;
        this.headSha256 = headSha256;
        this.coverage = new TreeMap<>(coverage);
    }

    /** A chain with no digest yet. */
    public static DigestChain start(String topic) {
        return new DigestChain(topic, 0, null, null, new TreeMap<>());
    }

    /** The chain continuing after {@code head}, the latest digest in the bucket. */
    public static DigestChain resume(String topic, SignedDigest head) {
        Digest d = Digest.parse(head.body());
        return new DigestChain(topic, d.sequence() + 1, head.key(), head.sha256(), d.coverage());
    }

    /** Highest archived offset per partition, as of the last sealed digest. */
    public SortedMap<Integer, Coverage> coverage() {
        return new TreeMap<>(coverage);
    }

    public long nextSequence() {
        return nextSequence;
    }

    /**
     * The next digest, listing {@code objects}, signed. The chain does not advance: call {@link #advance} once the
     * digest is stored, so a failed upload is sealed again (with a new time) rather than skipped.
     */
    public SignedDigest seal(List<DigestEntry> objects, Instant created, PrivateKey key) {
        SortedMap<Integer, Coverage> next = new TreeMap<>(coverage);
        for (DigestEntry o : objects) {
            Coverage c = next.get(o.partition());
            if (c == null || o.lastOffset() > c.lastOffset()) {
                next.put(o.partition(), new Coverage(o.lastOffset(), o.firstTime()));
            }
        }
        Digest d = new Digest(Digest.VERSION, nextSequence, created, topic, headKey, headSha256, next, objects);
        byte[] body = d.toJson();
        return new SignedDigest(d.key(), body, ArchiveKeys.sign(key, body));
    }

    /** Makes {@code stored} (from {@link #seal}) the chain head. */
    public void advance(SignedDigest stored) {
        Digest d = Digest.parse(stored.body());
        if (d.sequence() != nextSequence) {
            throw new IllegalArgumentException("digest " + d.sequence() + " is not the next one (" + nextSequence + ")");
        }
        nextSequence++;
        headKey = stored.key();
        headSha256 = stored.sha256();
        coverage.clear();
        coverage.putAll(d.coverage());
    }

    /** A digest that verified, with its parsed content. */
    public record Checked(SignedDigest stored, Digest digest) {
    }

    /** What {@link #check} found: the problems, and the digests that could be read (signed or not). */
    public record CheckResult(List<Problem> problems, List<Checked> digests) {
    }

    /**
     * Checks signatures, links and offset continuity of consecutive digests.
     *
     * @param digests     the digests of a period, in chain order (by key)
     * @param predecessor the digest the first one names as previous, null when it has none or when it could not be
     *                    read (then the link is reported as broken unless the first digest starts the chain)
     * @param predecessorMissing true when the first digest names a previous digest that is not in the bucket
     */
    public static CheckResult check(List<SignedDigest> digests, SignedDigest predecessor, boolean predecessorMissing,
                                    PublicKey publicKey) {
        List<Problem> problems = new ArrayList<>();
        List<Checked> readable = new ArrayList<>();
        Map<Integer, Long> lastOffset = new HashMap<>();
        SignedDigest previous = predecessor;
        Digest previousDigest = null;
        if (predecessor != null) {
            try {
                previousDigest = Digest.parse(predecessor.body());
                previousDigest.coverage().forEach((p, c) -> lastOffset.put(p, c.lastOffset()));
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(Problem.Kind.BROKEN_CHAIN, predecessor.key(), "unreadable: " + e.getMessage()));
            }
        }
        boolean first = true;
        for (SignedDigest s : digests) {
            if (s.signature() == null) {
                problems.add(new Problem(Problem.Kind.BAD_SIGNATURE, s.key(), "signature object "
                        + Digest.signatureKey(s.key()) + " is missing"));
            } else if (!ArchiveKeys.verify(publicKey, s.body(), s.signature())) {
                problems.add(new Problem(Problem.Kind.BAD_SIGNATURE, s.key(), "signature does not verify with the "
                        + "public key " + ArchiveKeys.fingerprint(publicKey).substring(0, 16)));
            }
            Digest d;
            try {
                d = Digest.parse(s.body());
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(Problem.Kind.BROKEN_CHAIN, s.key(), "unreadable: " + e.getMessage()));
                previous = s;
                previousDigest = null;
                first = false;
                continue;
            }
            readable.add(new Checked(s, d));
            if (!s.key().equals(d.key())) {
                problems.add(new Problem(Problem.Kind.BROKEN_CHAIN, s.key(), "stored under another key than its "
                        + "content names (" + d.key() + ")"));
            }
            checkLink(s, d, previous, previousDigest, first && predecessorMissing, problems);
            for (DigestEntry o : d.objects()) {
                Long before = lastOffset.get(o.partition());
                if (before != null && o.firstOffset() != before + 1) {
                    String what = o.firstOffset() > before + 1
                            ? "offsets " + (before + 1) + ".." + (o.firstOffset() - 1) + " of partition " + o.partition()
                            + " are in no object" : "offsets " + o.firstOffset() + ".." + Math.min(before, o.lastOffset())
                            + " of partition " + o.partition() + " are archived twice";
                    problems.add(new Problem(Problem.Kind.OFFSET_GAP, o.key(), what));
                }
                if (o.lines() != o.lastOffset() - o.firstOffset() + 1) {
                    problems.add(new Problem(Problem.Kind.OFFSET_GAP, o.key(), o.lines() + " lines for offsets "
                            + o.firstOffset() + ".." + o.lastOffset()));
                }
                lastOffset.merge(o.partition(), o.lastOffset(), Math::max);
            }
            previous = s;
            previousDigest = d;
            first = false;
        }
        return new CheckResult(problems, readable);
    }

    private static void checkLink(SignedDigest s, Digest d, SignedDigest previous, Digest previousDigest,
                                  boolean previousMissing, List<Problem> problems) {
        if (previousMissing) {
            problems.add(new Problem(Problem.Kind.BROKEN_CHAIN, s.key(), "previous digest " + d.previousKey()
                    + " is missing"));
            return;
        }
        if (previous == null) {
            if (d.previousKey() != null) {
                // the period starts mid-chain and the caller did not read the predecessor: nothing to compare with
                return;
            }
            if (d.sequence() != 0) {
                problems.add(new Problem(Problem.Kind.BROKEN_CHAIN, s.key(), "names no previous digest but is number "
                        + d.sequence()));
            }
            return;
        }
        if (!previous.key().equals(d.previousKey())) {
            problems.add(new Problem(Problem.Kind.BROKEN_CHAIN, s.key(), "previous digest should be " + previous.key()
                    + " but it names " + d.previousKey() + " (a digest between them is missing)"));
        } else if (!Objects.equals(previous.sha256(), d.previousSha256())) {
            problems.add(new Problem(Problem.Kind.BROKEN_CHAIN, s.key(), "previous digest " + previous.key()
                    + " has SHA-256 " + previous.sha256() + ", this one recorded " + d.previousSha256()));
        } else if (previousDigest != null && d.sequence() != previousDigest.sequence() + 1) {
            problems.add(new Problem(Problem.Kind.BROKEN_CHAIN, s.key(), "sequence " + d.sequence() + " follows "
                    + previousDigest.sequence()));
        }
    }
}
