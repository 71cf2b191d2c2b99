package io.auditrail.alerts;

import java.time.Instant;

/**
 * One row of {@code alert_delivery}: how one revision of one anomaly ended at one target.
 *
 * @param attempts       HTTP requests made (0 when throttled, skipped, or given up before the first attempt)
 * @param lastHttpStatus status of the last response, null when none came (connection refused, timeout)
 * @param lastError      short reason of the last failure, null when delivered; never a URL or a key
 * @param firstAttemptAt null when no attempt was made
 */
public record AlertDelivery(String anomalyId, int revision, String target, TargetType targetType, String rule,
                            String severity, String tenantId, DeliveryStatus status, int attempts,
                            Integer lastHttpStatus, String lastError, Instant firstAttemptAt, Instant finishedAt) {
    /** Longest {@code last_error} kept (the column's limit). */
    public static final int MAX_ERROR_CHARS = 500;

    public AlertDelivery {
        if (lastError != null && lastError.length() > MAX_ERROR_CHARS) {
            lastError = lastError.substring(0, MAX_ERROR_CHARS);
        }
    }

    public DeliveryKey key() {
        return new DeliveryKey(anomalyId, revision, target);
    }
}
