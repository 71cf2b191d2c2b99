package io.auditrail.index;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Upserts anomaly rows by {@code anomaly_id}, keeping the highest {@code revision}: a re-delivered or older revision
 * changes nothing (counted as stale). The disposition {@code status} is never touched here; reports owns it. In the
 * same transaction, the tenants whose paths the anomaly's events named are attributed ({@code anomaly_path_tenant}),
 * so tenant B sees an anomaly filed under tenant A whose token tried B's secrets.
 */
public final class AnomalyRowWriter {
    private static final String UPSERT = "INSERT INTO anomaly (anomaly_id, rule, severity, tenant_id, actor, "
            + "actor_display_name, remote_address, event_ids, window_start, window_end, fired_count, revision, "
            + "description) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (anomaly_id) DO UPDATE SET rule = EXCLUDED.rule, severity = EXCLUDED.severity, "
            + "tenant_id = EXCLUDED.tenant_id, actor = EXCLUDED.actor, actor_display_name = EXCLUDED.actor_display_name, "
            + "remote_address = EXCLUDED.remote_address, event_ids = EXCLUDED.event_ids, "
            + "window_start = EXCLUDED.window_start, window_end = EXCLUDED.window_end, "
            + "fired_count = EXCLUDED.fired_count, revision = EXCLUDED.revision, description = EXCLUDED.description, "
            + "updated_at = now() WHERE anomaly.revision < EXCLUDED.revision";

    /**
     * The tenants whose paths the batch's anomalies' events touched, other than the anomaly's own, from the events
     * already indexed ({@link EventRowWriter} does the same from the event's side, for events indexed later). Times
     * are compared with a second's slack: an anomaly's window and its events' times may round differently.
     */
    private static final String ATTRIBUTE = "INSERT INTO anomaly_path_tenant (tenant_id, anomaly_id, event_id, "
            + "event_time) SELECT e.path_tenant_id, a.anomaly_id, e.event_id, e.event_time FROM anomaly a "
            + "JOIN audit_event e ON e.event_id = ANY (a.event_ids) "
            + "AND e.event_time >= a.window_start - interval '1 second' "
            + "AND e.event_time <= a.window_end + interval '1 second' "
            + "WHERE a.anomaly_id = ANY (?) AND e.path_tenant_id IS NOT NULL "
            + "AND e.path_tenant_id IS DISTINCT FROM e.tenant_id AND e.path_tenant_id IS DISTINCT FROM a.tenant_id "
            + "ON CONFLICT DO NOTHING";

    private final DataSource dataSource;

    public AnomalyRowWriter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** @param upserted rows inserted or raised to a higher revision; {@code stale}: the stored revision was as high */
    public record Result(long upserted, long stale, List<SqlErrors.Rejection> rejected) {
    }

    /** The rows must have distinct ids ({@link AnomalyRow#latestPerId}); one statement may not touch a row twice. */
    public Result write(List<AnomalyRow> rows) throws SQLException {
        List<SqlErrors.Rejection> rejected = new ArrayList<>();
        List<long[]> parts = SqlErrors.isolate(rows.size(), (from, to) -> writeOnce(rows, from, to), rejected);
        long upserted = 0;
        long stale = 0;
        for (long[] p : parts) {
            upserted += p[0];
            stale += p[1];
        }
        return new Result(upserted, stale, rejected);
    }

    private long[] writeOnce(List<AnomalyRow> rows, int from, int to) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                for (int i = from; i < to; i++) {
                    AnomalyRow r = rows.get(i);
                    ps.setObject(1, r.anomalyId());
                    ps.setString(2, r.rule());
                    ps.setString(3, r.severity());
                    ps.setString(4, r.tenantId());
                    ps.setString(5, r.actor());
                    ps.setString(6, r.actorDisplayName());
                    ps.setString(7, r.remoteAddress());
                    ps.setArray(8, c.createArrayOf("uuid", r.eventIds().toArray()));
                    ps.setObject(9, OffsetDateTime.ofInstant(r.windowStart(), ZoneOffset.UTC));
                    ps.setObject(10, OffsetDateTime.ofInstant(r.windowEnd(), ZoneOffset.UTC));
                    ps.setLong(11, r.firedCount());
                    ps.setInt(12, r.revision());
                    ps.setString(13, r.description());
                    ps.addBatch();
                }
                long upserted = 0;
                for (int n : ps.executeBatch()) {
                    upserted += Math.max(0, n);
                }
                try (PreparedStatement attribute = c.prepareStatement(ATTRIBUTE)) {
                    attribute.setArray(1, c.createArrayOf("uuid",
                            rows.subList(from, to).stream().map(AnomalyRow::anomalyId).toArray()));
                    attribute.executeUpdate();
                }
                c.commit();
                return new long[] {upserted, (to - from) - upserted};
            } catch (SQLException | RuntimeException e) {
                EventRowWriter.rollbackQuietly(c, e);
                throw e;
            }
        }
    }
}
