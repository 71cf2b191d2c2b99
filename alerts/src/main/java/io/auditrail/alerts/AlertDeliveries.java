package io.auditrail.alerts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The {@code alert_delivery} table (sql/V3__alert_delivery.sql): the alerts stage records every outcome here, and the
 * reports module and the CLI query it by anomaly or by time. A row is final except {@code skipped}, which a live
 * delivery of the same key replaces.
 */
public final class AlertDeliveries {
    private static final String COLUMNS = "anomaly_id::text, revision, target, target_type, rule, severity, tenant_id, "
            + "status, attempts, last_http_status, last_error, first_attempt_at, finished_at";
    private static final String UPSERT = "INSERT INTO alert_delivery (anomaly_id, revision, target, target_type, rule, "
            + "severity, tenant_id, status, attempts, last_http_status, last_error, first_attempt_at, finished_at) "
            + "VALUES (?::uuid, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (anomaly_id, revision, target) DO UPDATE SET status = excluded.status, "
            + "attempts = excluded.attempts, last_http_status = excluded.last_http_status, "
            + "last_error = excluded.last_error, first_attempt_at = excluded.first_attempt_at, "
            + "finished_at = excluded.finished_at WHERE alert_delivery.status = 'skipped'";
    /** Keys per look-up statement; the loop asks for one poll's worth at a time. */
    private static final int LOOKUP_CHUNK = 1000;

    private final DataSource dataSource;

    public AlertDeliveries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every target's outcome for one anomaly, oldest revision first. */
    public List<AlertDelivery> byAnomaly(String anomalyId) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM alert_delivery WHERE anomaly_id = ?::uuid "
                + "ORDER BY revision, target", ps -> ps.setString(1, anomalyId));
    }

    /** Outcomes finished in [from, to), oldest first, at most {@code limit}. */
    public List<AlertDelivery> between(Instant from, Instant to, int limit) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM alert_delivery WHERE finished_at >= ? AND finished_at < ? "
                + "ORDER BY finished_at, anomaly_id, revision, target LIMIT ?", ps -> {
                    ps.setTimestamp(1, Timestamp.from(from));
                    ps.setTimestamp(2, Timestamp.from(to));
                    ps.setInt(3, limit);
                });
    }

    /** Outcomes of one status finished in [from, to), oldest first, at most {@code limit} (e.g. what gave up). */
    public List<AlertDelivery> between(Instant from, Instant to, DeliveryStatus status, int limit) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM alert_delivery WHERE finished_at >= ? AND finished_at < ? "
                + "AND status = ? ORDER BY finished_at, anomaly_id, revision, target LIMIT ?", ps -> {
                    ps.setTimestamp(1, Timestamp.from(from));
                    ps.setTimestamp(2, Timestamp.from(to));
                    ps.setString(3, status.wire());
                    ps.setInt(4, limit);
                });
    }

    /** Of {@code keys}, those with a final outcome (anything but skipped): already dealt with, never sent again. */
    Set<DeliveryKey> finished(Collection<DeliveryKey> keys) throws SQLException {
        Set<DeliveryKey> out = new HashSet<>();
        List<DeliveryKey> all = List.copyOf(keys);
        try (Connection c = dataSource.getConnection()) {
            for (int from = 0; from < all.size(); from += LOOKUP_CHUNK) {
                List<DeliveryKey> chunk = all.subList(from, Math.min(all.size(), from + LOOKUP_CHUNK));
                try (PreparedStatement ps = c.prepareStatement("SELECT d.anomaly_id::text, d.revision, d.target "
                        + "FROM alert_delivery d JOIN unnest(?::uuid[], ?::int[], ?::text[]) AS k(a, r, t) "
                        + "ON d.anomaly_id = k.a AND d.revision = k.r AND d.target = k.t WHERE d.status <> 'skipped'")) {
                    ps.setArray(1, c.createArrayOf("uuid", chunk.stream().map(DeliveryKey::anomalyId).toArray()));
                    ps.setArray(2, c.createArrayOf("int4", chunk.stream().map(DeliveryKey::revision).toArray()));
                    ps.setArray(3, c.createArrayOf("text", chunk.stream().map(DeliveryKey::target).toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(new DeliveryKey(rs.getString(1), rs.getInt(2), rs.getString(3)));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Writes outcomes in one transaction; an existing final row is kept (first outcome wins, skipped is replaced). */
    void record(List<AlertDelivery> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                for (AlertDelivery d : rows) {
                    ps.setString(1, d.anomalyId());
                    ps.setInt(2, d.revision());
                    ps.setString(3, d.target());
                    ps.setString(4, d.targetType().wire());
                    ps.setString(5, d.rule());
                    ps.setString(6, d.severity());
                    ps.setString(7, d.tenantId());
                    ps.setString(8, d.status().wire());
                    ps.setInt(9, d.attempts());
                    if (d.lastHttpStatus() == null) {
                        ps.setNull(10, Types.INTEGER);
                    } else {
                        ps.setInt(10, d.lastHttpStatus());
                    }
                    ps.setString(11, d.lastError());
                    ps.setTimestamp(12, d.firstAttemptAt() == null ? null : Timestamp.from(d.firstAttemptAt()));
                    ps.setTimestamp(13, Timestamp.from(d.finishedAt()));
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Throws when the table is missing (the schema is older than version 3: run 'auditrail migrate'). */
    void checkSchema() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM alert_delivery LIMIT 0")) {
            ps.executeQuery().close();
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<AlertDelivery> query(String sql, Binder binder) throws SQLException {
        List<AlertDelivery> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp first = rs.getTimestamp(12);
                    int http = rs.getInt(10);
                    Integer lastHttp = rs.wasNull() ? null : http;
                    out.add(new AlertDelivery(rs.getString(1), rs.getInt(2), rs.getString(3),
                            TargetType.of(rs.getString(4)), rs.getString(5), rs.getString(6), rs.getString(7),
                            DeliveryStatus.of(rs.getString(8)), rs.getInt(9), lastHttp, rs.getString(11),
                            first == null ? null : first.toInstant(), rs.getTimestamp(13).toInstant()));
                }
            }
        }
        return out;
    }
}
