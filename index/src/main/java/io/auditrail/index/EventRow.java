package io.auditrail.index;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.auditrail.core.event.Actor;
import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.EventCodec;
import io.auditrail.core.event.Outcome;
import io.auditrail.core.event.PairedEvent;
import io.auditrail.core.event.Pairing;
import io.auditrail.core.event.RawPosition;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * One row of {@code audit_event}: the columns auditors filter on, and every other field of the event as
 * {@code detail} (json). Pure mapping from the event on {@code vault.audit.events}; no database here.
 *
 * <p>{@code pathTenantId} is the tenant the path names; where it differs from {@code tenantId} (tenant A's token on
 * tenant B's path) the event belongs to both, and B finds it by this column ({@link #crossTenant}).
 *
 * <p>{@code outcome} is the effective one: on a paired request the response's (the request's real outcome); the
 * entry's own is kept in {@code detail.entry_outcome}. {@code eventTime} is Vault's time truncated to microseconds
 * (timestamptz's precision), so a re-delivered event always has the same key.
 */
public record EventRow(
        UUID eventId,
        Instant eventTime,
        String tenantId,
        String tenantSource,
        String pathTenantId,
        String type,
        String requestId,
        String operation,
        String path,
        String secretPath,
        String mountType,
        String mountPoint,
        String namespace,
        String outcome,
        String actorEntityId,
        String actorDisplayName,
        String remoteAddress,
        String pairingStatus,
        Integer rawPartition,
        Long rawOffset,
        String detailJson) {

    /** The columns COPY fills, in {@link #appendCopy} order; {@code indexed_at} takes its default. */
    static final List<String> COLUMNS = List.of("event_id", "event_time", "tenant_id", "tenant_source",
            "path_tenant_id", "type",
            "request_id", "operation", "path", "secret_path", "mount_type", "mount_point", "namespace", "outcome",
            "actor_entity_id", "actor_display_name", "remote_address", "pairing_status", "raw_partition",
            "raw_offset", "detail");

    /** Whether the path names another tenant than the one the event is filed under: the event belongs to both. */
    public boolean crossTenant() {
        return pathTenantId != null && !pathTenantId.equals(tenantId);
    }

    /** The day partition this row goes to. */
    public EventPartition partition() {
        return EventPartition.of(eventTime);
    }

    /** Parses a record value of {@code vault.audit.events} and maps it. */
    public static EventRow fromJson(byte[] value) throws RowRejected {
        if (value == null) {
            throw new RowRejected(IndexFailure.NOT_AN_EVENT, "null value (tombstone) on the events topic");
        }
        PairedEvent event;
        try {
            event = PairedEvent.fromJson(value);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw new RowRejected(IndexFailure.NOT_AN_EVENT, "not an event object: "
                    + (e.getCause() == null ? e : e.getCause()).getClass().getSimpleName());
        }
        if (event.event() == null) {
            throw new RowRejected(IndexFailure.NOT_AN_EVENT, "not an event object");
        }
        return of(event);
    }

    public static EventRow of(PairedEvent paired) throws RowRejected {
        AuditEvent e = paired.event();
        if (e.eventId() == null) {
            throw new RowRejected(IndexFailure.MISSING_FIELD, "event without event_id");
        }
        UUID id;
        try {
            id = UUID.fromString(e.eventId());
        } catch (IllegalArgumentException ex) {
            throw new RowRejected(IndexFailure.BAD_ID, "event_id is not a UUID");
        }
        if (e.time() == null) {
            throw new RowRejected(IndexFailure.MISSING_FIELD, "event without time");
        }
        if (e.type() == null) {
            throw new RowRejected(IndexFailure.MISSING_FIELD, "event without type");
        }
        Outcome outcome = paired.effectiveOutcome();
        if (outcome == null) {
            throw new RowRejected(IndexFailure.MISSING_FIELD, "event without outcome");
        }
        Actor actor = e.actor();
        Pairing pairing = paired.pairing();
        Detail detail = new Detail(e.schema(), e.actorTenantId(), e.pathTenantId(),
                e.outcome() == null ? null : e.outcome().wire(), e.error(),
                actor == null ? null : new ActorDetail(actor.policies(), actor.tokenType(), actor.tokenTtl(),
                        actor.accessor(), actor.remotePort()),
                paired.issuedTokenTtl(), e.forwardedFrom(), e.rawLogging().isEmpty() ? null : e.rawLogging(),
                pairing);
        String detailJson;
        try {
            detailJson = EventCodec.mapper().writeValueAsString(detail);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("the detail of an event always serialises", ex);
        }
        RawPosition source = e.source();
        EventRow row = new EventRow(id, e.time().truncatedTo(ChronoUnit.MICROS), e.tenantId(),
                e.tenantSource() == null ? null : e.tenantSource().wire(), e.pathTenantId(), e.type(), e.requestId(),
                e.operation(), e.path(), e.secretPath(), e.mountType(), e.mountPoint(), e.namespace(), outcome.wire(),
                actor == null ? null : actor.entityId(), actor == null ? null : actor.displayName(),
                actor == null ? null : actor.remoteAddress(), pairing == null ? null : pairing.status().wire(),
                source == null ? null : source.partition(), source == null ? null : source.offset(), detailJson);
        row.requireNoNul(e, pairing);
        return row;
    }

    private void requireNoNul(AuditEvent e, Pairing pairing) throws RowRejected {
        boolean nul = anyNul(tenantId, pathTenantId, type, requestId, operation, path, secretPath, mountType, mountPoint, namespace,
                actorEntityId, actorDisplayName, remoteAddress, e.actorTenantId(), e.pathTenantId(), e.error(),
                e.forwardedFrom());
        if (!nul && e.actor() != null) {
            Actor a = e.actor();
            nul = anyNul(a.tokenType(), a.accessor()) || a.policies().stream().anyMatch(EventRow::hasNul);
        }
        if (!nul) {
            nul = e.rawLogging().stream().anyMatch(EventRow::hasNul);
        }
        if (!nul && pairing != null) {
            nul = anyNul(pairing.counterpartEventId(), pairing.responseError());
        }
        if (nul) {
            throw new RowRejected(IndexFailure.NUL_CHARACTER, "a text field holds U+0000");
        }
    }

    static boolean anyNul(String... values) {
        for (String v : values) {
            if (hasNul(v)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasNul(String v) {
        return v != null && v.indexOf('\0') >= 0;
    }

    /** Appends this row in COPY text format, columns in {@link #COLUMNS} order. */
    void appendCopy(StringBuilder out) {
        new CopyText(out).text(eventId.toString()).time(eventTime).text(tenantId).text(tenantSource)
                .text(pathTenantId).text(type)
                .text(requestId).text(operation).text(path).text(secretPath).text(mountType).text(mountPoint)
                .text(namespace).text(outcome).text(actorEntityId).text(actorDisplayName).text(remoteAddress)
                .text(pairingStatus).number(rawPartition).number(rawOffset).text(detailJson).endRow();
    }

    /** What {@code detail} holds: the event's fields that have no column. Nulls are left out to keep it small. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Detail(int schema, String actorTenantId, String pathTenantId, String entryOutcome, String error,
                  ActorDetail actor, Long issuedTokenTtl, String forwardedFrom, List<String> rawLogging,
                  Pairing pairing) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ActorDetail(List<String> policies, String tokenType, Long tokenTtl, String accessor, Integer remotePort) {
    }
}
