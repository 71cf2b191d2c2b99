package io.auditrail.index;

import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.anomaly.AnomalyCodec;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One row of {@code anomaly}, from a record of {@code vault.audit.anomalies}. Pure mapping. */
public record AnomalyRow(
        UUID anomalyId,
        String rule,
        String severity,
        String tenantId,
        String actor,
        String actorDisplayName,
        String remoteAddress,
        List<UUID> eventIds,
        Instant windowStart,
        Instant windowEnd,
        long firedCount,
        int revision,
        String description) {

    public AnomalyRow {
        eventIds = List.copyOf(eventIds);
    }

    public static AnomalyRow fromJson(byte[] value) throws RowRejected {
        if (value == null) {
            throw new RowRejected(IndexFailure.NOT_AN_ANOMALY, "null value (tombstone) on the anomalies topic");
        }
        Anomaly a;
        try {
            a = AnomalyCodec.fromBytes(value);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw new RowRejected(IndexFailure.NOT_AN_ANOMALY, "not an anomaly object: "
                    + (e.getCause() == null ? e : e.getCause()).getClass().getSimpleName());
        }
        if (a == null) {
            throw new RowRejected(IndexFailure.NOT_AN_ANOMALY, "not an anomaly object");
        }
        return of(a);
    }

    public static AnomalyRow of(Anomaly a) throws RowRejected {
        if (a.anomalyId() == null || a.rule() == null || a.severity() == null || a.actor() == null
                || a.windowStart() == null || a.windowEnd() == null) {
            throw new RowRejected(IndexFailure.MISSING_FIELD,
                    "anomaly without anomaly_id, rule, severity, actor or window");
        }
        UUID id = uuid(a.anomalyId(), "anomaly_id");
        List<UUID> events = new ArrayList<>(a.eventIds().size());
        for (String e : a.eventIds()) {
            events.add(uuid(e, "an event id"));
        }
        if (EventRow.anyNul(a.rule(), a.tenantId(), a.actor(), a.actorDisplayName(), a.remoteAddress(),
                a.description())) {
            throw new RowRejected(IndexFailure.NUL_CHARACTER, "a text field holds U+0000");
        }
        return new AnomalyRow(id, a.rule(), a.severity().wire(), a.tenantId(), a.actor(), a.actorDisplayName(),
                a.remoteAddress(), events, a.windowStart().truncatedTo(ChronoUnit.MICROS),
                a.windowEnd().truncatedTo(ChronoUnit.MICROS), a.count(), a.revision(), a.description());
    }

    private static UUID uuid(String s, String what) throws RowRejected {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new RowRejected(IndexFailure.BAD_ID, what + " is not a UUID");
        }
    }

    /**
     * The highest revision of each anomaly id, in first-seen order. One upsert statement may not touch a row twice,
     * and only the highest revision counts anyway.
     */
    public static <T> List<T> latestPerId(List<T> items, java.util.function.Function<T, AnomalyRow> row) {
        Map<UUID, T> latest = new LinkedHashMap<>();
        for (T item : items) {
            AnomalyRow r = row.apply(item);
            latest.merge(r.anomalyId(), item, (old, neu) -> row.apply(neu).revision() > row.apply(old).revision()
                    ? neu : old);
        }
        return new ArrayList<>(latest.values());
    }
}
