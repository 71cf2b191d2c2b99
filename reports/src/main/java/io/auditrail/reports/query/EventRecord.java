package io.auditrail.reports.query;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code audit_event} as the API shows it. {@code detailJson} is the row's {@code detail} (jsonb) as JSON
 * text; {@code rawPartition}/{@code rawOffset} locate the archived line and may be null.
 */
public record EventRecord(UUID eventId, Instant time, String tenantId, String tenantSource, String type,
                          String requestId, String operation, String path, String secretPath, String mountType,
                          String mountPoint, String namespace, String outcome, String actorEntityId,
                          String actorDisplayName, String remoteAddress, String pairingStatus, Integer rawPartition,
                          Long rawOffset, String detailJson, Instant indexedAt) {
}
