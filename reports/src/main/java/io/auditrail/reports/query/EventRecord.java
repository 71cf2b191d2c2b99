package io.auditrail.reports.query;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code audit_event} as the API shows it. {@code detailJson} is the row's {@code detail} (json) as JSON
 * text; {@code rawPartition}/{@code rawOffset} locate the archived line and may be null. {@code pathTenantId} is the
 * tenant the path names: where it differs from {@code tenantId}, the event belongs to both tenants.
 */
public record EventRecord(UUID eventId, Instant time, String tenantId, String tenantSource, String pathTenantId,
                          String type,
                          String requestId, String operation, String path, String secretPath, String mountType,
                          String mountPoint, String namespace, String outcome, String actorEntityId,
                          String actorDisplayName, String remoteAddress, String pairingStatus, Integer rawPartition,
                          Long rawOffset, String detailJson, Instant indexedAt) {
}
