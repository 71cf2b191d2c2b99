package io.auditrail.reports.query;

import java.time.Instant;
import java.util.UUID;

/** One decision on an anomaly (a row of {@code anomaly_disposition}): who ({@code decidedBy}, a token id), when, what. */
public record DispositionRecord(long dispositionId, UUID anomalyId, String tenantId, String status, String note,
                                String decidedBy, Instant decidedAt) {
}
