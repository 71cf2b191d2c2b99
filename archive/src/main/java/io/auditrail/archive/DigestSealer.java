package io.auditrail.archive;

import io.auditrail.core.stage.Backoff;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The archiver's end of the digest chain: lists the objects stored since the last digest in the next signed digest,
 * stores it (the signature first, so a digest is never visible without one), then records each stored digest as the
 * chain head outside the bucket ({@link ChainHeadStore}), oldest first. Both are retried with back-off while S3 or
 * PostgreSQL fails; a digest sealed once is stored as sealed, so a retry never re-signs other content.
 * Used by the archive loop thread only; {@link #headRecorded()} is read by readiness from any thread.
 */
final class DigestSealer {
    private static final Logger LOG = LoggerFactory.getLogger(DigestSealer.class);

    private final ArchiveStore store;
    private final ChainHeadStore heads;
    private final PrivateKey signingKey;
    private final ArchiveMetrics metrics;
    private final Clock clock;
    /** S3's health as the last write of the stage saw it (objects or digests): shared with the loop. */
    private final AtomicBoolean s3Healthy;
    private final Backoff digestBackoff;
    private final Backoff headBackoff;
    /** Objects stored (or confirmed) and not yet listed in a stored digest, in order. */
    private final List<DigestEntry> undigested = new ArrayList<>();
    /** Digests stored in the bucket and not yet recorded as the chain head, oldest first. */
    private final ArrayDeque<SignedDigest> unrecorded = new ArrayDeque<>();
    private final AtomicBoolean headHealthy = new AtomicBoolean(true);
    private DigestChain chain;
    private SignedDigest sealed;
    private int sealedCount;
    private Instant digestRetryAt = Instant.MIN;
    private Instant headRetryAt = Instant.MIN;

    DigestSealer(ArchiveStore store, ChainHeadStore heads, PrivateKey signingKey, ArchiveMetrics metrics, Clock clock,
                 AtomicBoolean s3Healthy, Backoff digestBackoff, Backoff headBackoff) {
        this.store = store;
        this.heads = heads;
        this.signingKey = signingKey;
        this.metrics = metrics;
        this.clock = clock;
        this.s3Healthy = s3Healthy;
        this.digestBackoff = digestBackoff;
        this.headBackoff = headBackoff;
    }

    /** Continues the chain the bucket holds; {@code toRecord} are its digests not yet recorded as the head. */
    void resumeAt(DigestChain resumed, List<SignedDigest> toRecord) {
        chain = resumed;
        undigested.clear();
        sealed = null;
        unrecorded.clear();
        unrecorded.addAll(toRecord);
        headRetryAt = Instant.MIN;
    }

    /** An object stored, or stored by an earlier run and confirmed against Kafka: listed in the next digest. */
    void list(DigestEntry entry) {
        undigested.add(entry);
    }

    /** Seals and stores a digest of the objects stored since the last one; false when S3 failed (tried again later). */
    boolean storeDigest() {
        Instant now = clock.instant();
        if (now.isBefore(digestRetryAt)) {
            return false;
        }
        if (sealed == null) {
            sealedCount = undigested.size();
            sealed = chain.seal(List.copyOf(undigested), now, signingKey);
        }
        try {
            byte[] signature = (Base64.getEncoder().encodeToString(sealed.signature()) + "\n")
                    .getBytes(StandardCharsets.US_ASCII);
            store.putDigestPart(Digest.signatureKey(sealed.key()), signature, "text/plain");
            store.putDigestPart(sealed.key(), sealed.body(), "application/json");
        } catch (SdkException e) {
            metrics.failed(ArchiveMetrics.FailureReason.of(e));
            s3Healthy.set(false);
            Duration wait = digestBackoff.failed();
            digestRetryAt = now.plus(wait);
            LOG.warn("archive: storing digest {} failed, retrying in {} ms: {}", sealed.key(), wait.toMillis(),
                    e.toString());
            return false;
        }
        chain.advance(sealed);
        unrecorded.add(sealed);
        headRetryAt = Instant.MIN;
        undigested.subList(0, sealedCount).clear();
        metrics.digestWritten(now.getEpochSecond());
        LOG.info("archive: digest {} lists {} objects", sealed.key(), sealedCount);
        sealed = null;
        digestBackoff.succeeded();
        digestRetryAt = Instant.MIN;
        s3Healthy.set(true);
        return true;
    }

    /** The next attempt to record heads goes ahead at once, whatever the back-off said (shutdown). */
    void retryHeadsNow() {
        headRetryAt = Instant.MIN;
    }

    /**
     * Records the stored digests as the chain head, oldest first; false while PostgreSQL fails (retried with backoff).
     *
     * @throws ChainHeadStore.Conflict when the table holds another head: another writer, or a tampered table
     */
    boolean recordHeads() {
        Instant now = clock.instant();
        if (unrecorded.isEmpty()) {
            return true;
        }
        if (now.isBefore(headRetryAt)) {
            return false;
        }
        try {
            while (!unrecorded.isEmpty()) {
                heads.record(unrecorded.peek());
                unrecorded.poll();
            }
        } catch (ChainHeadStore.Unavailable e) {
            metrics.chainHeadFailed();
            headHealthy.set(false);
            Duration wait = headBackoff.failed();
            headRetryAt = now.plus(wait);
            LOG.warn("archive: recording digest {} as the chain head failed, retrying in {} ms: {}",
                    unrecorded.peek().key(), wait.toMillis(), e.getMessage());
            return false;
        } finally {
            metrics.chainHeadPending(unrecorded.size());
        }
        headHealthy.set(true);
        headBackoff.succeeded();
        return true;
    }

    /** Whether the last attempt to record the chain head succeeded (readiness, from any thread). */
    boolean headRecorded() {
        return headHealthy.get();
    }

    /** Digests stored and not yet recorded as the chain head. */
    int unrecordedHeads() {
        return unrecorded.size();
    }
}
