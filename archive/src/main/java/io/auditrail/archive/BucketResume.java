package io.auditrail.archive;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the archiver resumes: the bucket, not the consumer group. Reads the bucket's newest digest, checks it against
 * the chain head recorded outside the bucket, and lists the objects stored after it (a crash between an upload and
 * the digest or the commit), whose lines the loop compares with Kafka's instead of archiving them again. Reads only:
 * the heads to record and the objects to compare are handed back to the stage.
 */
final class BucketResume {
    private static final Logger LOG = LoggerFactory.getLogger(BucketResume.class);

    /** What the stage continues from. */
    record Resumed(DigestChain chain, List<SignedDigest> headsToRecord,
                   Map<Integer, ArrayDeque<DigestEntry>> storedAfterDigest, Map<TopicPartition, Long> positions) {
    }

    private final ArchiveConfig config;
    private final ArchiveStore store;
    private final ChainHeadStore heads;
    private final PrivateKey signingKey;
    private final String topic;

    BucketResume(ArchiveConfig config, ArchiveStore store, ChainHeadStore heads, PrivateKey signingKey, String topic) {
        this.config = config;
        this.store = store;
        this.heads = heads;
        this.signingKey = signingKey;
        this.topic = topic;
    }

    /**
     * The chain to continue, and for every partition of the raw topic the next offset to read (-1: from the
     * beginning): just after the last digested offset. The objects stored after it are read again from Kafka and
     * compared (a stored object that Kafka contradicts stops the stage), then listed in the next digest.
     *
     * @throws ChainHeadStore.Conflict when the bucket's chain is shorter than the recorded head or differs from it
     */
    Resumed from(Collection<Integer> partitions) {
        List<SignedDigest> toRecord = new ArrayList<>();
        Optional<SignedDigest> head = bucketHead(toRecord);
        DigestChain chain = head.map(h -> DigestChain.resume(topic, h)).orElseGet(() -> DigestChain.start(topic));
        Map<Integer, Coverage> coverage = chain.coverage();
        String startAfter = null;
        if (coverage.keySet().containsAll(partitions)) {
            Instant earliest = coverage.values().stream().map(Coverage::lastObjectTime).min(Instant::compareTo)
                    .orElseThrow();
            // an hour of slack for record timestamps that are not monotonic across producers
            startAfter = ObjectKey.hourPrefix(earliest.minus(Duration.ofHours(1)));
        }
        List<ObjectKey> found = new ArrayList<>();
        for (String k : store.list(ObjectKey.PREFIX, startAfter)) {
            ObjectKey.parse(k).ifPresent(key -> {
                Coverage c = coverage.get(key.partition());
                if (partitions.contains(key.partition()) && (c == null || key.firstOffset() > c.lastOffset())) {
                    found.add(key);
                }
            });
        }
        found.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition())
                : Long.compare(a.firstOffset(), b.firstOffset()));
        Map<Integer, ArrayDeque<DigestEntry>> stored = new HashMap<>();
        for (ObjectKey key : found) {
            byte[] body = store.get(key.key(), config.maxStoredBytes(key))
                    .orElseThrow(() -> new IllegalStateException(key + " was listed and then was gone"));
            stored.computeIfAbsent(key.partition(), p -> new ArrayDeque<>())
                    .add(ObjectContent.entryOf(key, body, config.maxContentBytes(key)));
        }
        if (!found.isEmpty()) {
            LOG.info("archive: {} objects stored after the last digest; checking them against Kafka", found.size());
        }
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (int p : partitions) {
            Coverage c = coverage.get(p);
            positions.put(new TopicPartition(topic, p), c == null ? -1L : c.lastOffset() + 1);
        }
        return new Resumed(chain, toRecord, stored, positions);
    }

    /**
     * The bucket's newest digest, checked against the chain head recorded outside it: it must be the recorded head, or
     * lead back to it through digests signed with our key (digests stored after the last recorded head, by a run that
     * stopped before recording them: those go to {@code toRecord}). The listing starts an hour before the recorded
     * head.
     *
     * @throws ChainHeadStore.Conflict when the bucket's chain is shorter than the recorded head or differs from it
     */
    private Optional<SignedDigest> bucketHead(List<SignedDigest> toRecord) {
        Optional<ChainHead> recorded = heads.latest();
        String startAfter = recorded.map(h -> Digest.hourPrefix(h.created().minus(Duration.ofHours(1)))).orElse(null);
        Optional<String> newest;
        try (var keys = store.keys(Digest.PREFIX, startAfter)) {
            newest = keys.filter(Digest::isDigestKey).reduce((a, b) -> b);
        }
        if (newest.isEmpty()) {
            if (recorded.isPresent()) {
                throw truncated(recorded.get(), "the bucket holds no digest from then on");
            }
            return Optional.empty();
        }
        SignedDigest head = store.digest(newest.get())
                .orElseThrow(() -> new IllegalStateException(newest.get() + " was listed and then was gone"));
        PublicKey publicKey = ArchiveKeys.publicKeyOf(signingKey);
        SignedDigest at = head;
        while (true) {
            Digest d = Digest.parse(at.body());
            if (at.signature() == null || !ArchiveKeys.verify(publicKey, at.body(), at.signature())) {
                throw new ChainHeadStore.Conflict("digest " + at.key() + " in the bucket is not signed with this "
                        + "archiver's key; not building on it (run auditrail verify)");
            }
            if (recorded.isEmpty() || d.sequence() <= recorded.get().sequence()) {
                if (recorded.isPresent() && (d.sequence() < recorded.get().sequence() || !recorded.get().matches(at))) {
                    throw truncated(recorded.get(), "the bucket's chain reaches " + at.key() + " (sequence "
                            + d.sequence() + ") instead");
                }
                break;
            }
            toRecord.add(0, at);
            String previous = d.previousKey();
            if (previous == null) {
                throw truncated(recorded.get(), "the bucket's chain starts at " + at.key() + " without reaching it");
            }
            at = store.digest(previous).orElseThrow(() -> truncated(recorded.get(), "digest " + previous
                    + " on the way from the bucket's newest digest to it is missing"));
        }
        if (recorded.isEmpty()) {
            toRecord.add(head); // a chain that was never recorded (first start with the table): its head from now on
            LOG.info("archive: recording {} as the first chain head of bucket {}", head.key(), store.bucket());
        }
        return Optional.of(head);
    }

    private static ChainHeadStore.Conflict truncated(ChainHead recorded, String what) {
        return new ChainHeadStore.Conflict("the chain head recorded in PostgreSQL is " + recorded + ", but " + what
                + ": digests were deleted from the bucket or replaced. Not resuming on a truncated chain; run "
                + "auditrail verify, restore the digests (object versions), then restart");
    }
}
