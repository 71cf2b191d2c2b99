package io.auditrail.alerts;

import io.auditrail.core.anomaly.Anomaly;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * One pending send of one anomaly revision to one target. The body is rendered once, so every attempt sends the same
 * bytes. Fields after construction are written by the target's worker thread only; {@link #done} completes once the
 * outcome is recorded in the database.
 */
final class Delivery {
    final DeliveryKey key;
    final Anomaly anomaly;
    final Target target;
    final byte[] body;
    /** System.nanoTime() when the record was consumed: the latency timer's start. */
    final long consumedNanos;
    /** Give up when System.nanoTime() passes this. */
    final long deadlineNanos;
    final CompletableFuture<DeliveryStatus> done = new CompletableFuture<>();

    int attempts;
    Integer lastHttpStatus;
    String lastError;
    Instant firstAttemptAt;

    Delivery(Anomaly anomaly, Target target, byte[] body, long consumedNanos, long deadlineNanos) {
        this.key = new DeliveryKey(anomaly.anomalyId(), anomaly.revision(), target.name());
        this.anomaly = anomaly;
        this.target = target;
        this.body = body;
        this.consumedNanos = consumedNanos;
        this.deadlineNanos = deadlineNanos;
    }

    AlertDelivery outcome(DeliveryStatus status, Instant finishedAt) {
        return new AlertDelivery(anomaly.anomalyId(), anomaly.revision(), target.name(), target.type(), anomaly.rule(),
                anomaly.severity().wire(), anomaly.tenantId(), status, attempts, lastHttpStatus,
                status == DeliveryStatus.DELIVERED ? null : lastError, firstAttemptAt, finishedAt);
    }
}
