package io.auditrail.reports.evidence;

import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.index.DatabaseRoles;
import io.auditrail.index.EventPartition;
import io.auditrail.index.Migrations;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh, migrated database on the shared embedded PostgreSQL, and the rows an evidence pack reads: events as the
 * index writes them (a paired request and its response), anomalies, dispositions, meta-audit, partition bookkeeping.
 */
final class EvidenceDatabase {
    /** The database's owner: what the tests seed with, as the index would have written. */
    final DataSource dataSource;
    /** Serve's own role (auditrail_serve, sql/V23): what packs are built with, as deployed. */
    final DataSource serve;

    private EvidenceDatabase(DataSource dataSource, DataSource serve) {
        this.dataSource = dataSource;
        this.serve = serve;
    }

    static EvidenceDatabase create(EmbeddedPostgres pg) throws SQLException {
        String name = "ev_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(pg.jdbcUrl().substring(0, pg.jdbcUrl().lastIndexOf('/') + 1) + name);
        ds.setUser(pg.username());
        ds.setPassword(pg.password());
        Migrations.migrate(ds);
        DatabaseRoles.ALL.forEach(pg::ensureLoginRole);
        PGSimpleDataSource serve = new PGSimpleDataSource();
        serve.setURL(ds.getURL());
        serve.setUser(DatabaseRoles.SERVE);
        return new EvidenceDatabase(ds, serve);
    }

    /** Day partitions [first, last] as the index creates them, with their event_partition rows. */
    void partitions(LocalDate first, LocalDate last) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
                EventPartition p = new EventPartition(d);
                s.execute("CREATE TABLE " + p.tableName() + " PARTITION OF " + EventPartition.PARENT
                        + " FOR VALUES FROM ('" + p.from() + "') TO ('" + p.to() + "')");
                s.execute("INSERT INTO event_partition (day, table_name) VALUES ('" + d + "', '" + p.tableName()
                        + "')");
            }
        }
    }

    /** A day retention dropped, as PartitionRetention records it. */
    void dropped(LocalDate day, long rows, Instant at) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO event_partition (day, table_name, dropped_at, rows_dropped) VALUES (?, ?, ?, ?)")) {
            ps.setObject(1, day);
            ps.setString(2, new EventPartition(day).tableName());
            ps.setObject(3, odt(at));
            ps.setLong(4, rows);
            ps.executeUpdate();
        }
    }

    /** One Vault request as the index stores it: the request entry (effective outcome) and its paired response. */
    void request(String tenant, Instant time, String operation, String path, String outcome, String entity,
                 String displayName, String address, String detailJson) throws SQLException {
        String requestId = UUID.randomUUID().toString();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO audit_event (event_id, event_time, tenant_id, tenant_source, type, request_id, operation,"
                        + " path, secret_path, outcome, actor_entity_id, actor_display_name, remote_address,"
                        + " pairing_status, detail, path_tenant_id) VALUES (?, ?, ?, 'metadata', ?, ?, ?, ?, ?, ?, ?, ?,"
                        + " ?, 'paired', ?::json, ?)")) {
            for (String type : List.of("request", "response")) {
                ps.setObject(1, UUID.randomUUID());
                ps.setObject(2, odt(type.equals("request") ? time : time.plusMillis(3)));
                ps.setString(3, tenant);
                ps.setString(4, type);
                ps.setString(5, requestId);
                ps.setString(6, operation);
                ps.setString(7, path);
                ps.setString(8, secretPath(path));
                ps.setString(9, outcome);
                ps.setString(10, entity);
                ps.setString(11, displayName);
                ps.setString(12, address);
                ps.setString(13, detailJson == null ? "{\"schema\":1}" : detailJson);
                ps.setString(14, pathTenant(path));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The tenant a path names, as core's resolver finds it (secret/(data|metadata)/tenants/{id}/...). */
    static String pathTenant(String path) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^secret/(data|metadata)/tenants/([^/]+)/")
                .matcher(path);
        return m.find() ? m.group(2) : null;
    }

    UUID anomaly(String tenant, String rule, String severity, String actor, Instant windowStart, String status)
            throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO anomaly (anomaly_id, rule, severity, tenant_id, actor, actor_display_name, remote_address,"
                        + " event_ids, window_start, window_end, fired_count, revision, description, status)"
                        + " VALUES (?, ?, ?, ?, ?, ?, '10.0.0.9', '{}', ?, ?, 2, 2, ?, ?)")) {
            ps.setObject(1, id);
            ps.setString(2, rule);
            ps.setString(3, severity);
            ps.setString(4, tenant);
            ps.setString(5, actor);
            ps.setString(6, actor.substring(actor.indexOf(':') + 1));
            ps.setObject(7, odt(windowStart));
            ps.setObject(8, odt(windowStart.plusSeconds(60)));
            ps.setString(9, rule + " by " + actor);
            ps.setString(10, status);
            ps.executeUpdate();
        }
        return id;
    }

    void disposition(UUID anomaly, String status, String note, String by, Instant at) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO anomaly_disposition (anomaly_id, status, note, decided_by, decided_at)"
                        + " VALUES (?, ?, ?, ?, ?)")) {
            ps.setObject(1, anomaly);
            ps.setString(2, status);
            ps.setString(3, note);
            ps.setString(4, by);
            ps.setObject(5, odt(at));
            ps.executeUpdate();
        }
    }

    void metaAudit(String tenant, Instant at, String token, String outcome, int status) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO meta_audit (at, token_id, role, method, route, tenant_id, tenant_ids, outcome, status, "
                        + "detail) VALUES (?, ?, 'auditor', 'GET', '/api/v1/tenants/{tenant}/events', ?, ARRAY[?], ?, ?, "
                        + "?)")) {
            ps.setObject(1, odt(at));
            ps.setString(2, token);
            ps.setString(3, tenant);
            ps.setString(4, tenant);
            ps.setString(5, outcome);
            ps.setInt(6, status);
            ps.setString(7, outcome.equals("ok") ? null : "tenant not in token scope");
            ps.executeUpdate();
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** KV v2 under secret/: the verb removed, as core's SecretPath does. */
    static String secretPath(String path) {
        for (String verb : List.of("secret/data/", "secret/metadata/")) {
            if (path.startsWith(verb)) {
                return "secret/" + path.substring(verb.length());
            }
        }
        return path;
    }

    static OffsetDateTime odt(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
