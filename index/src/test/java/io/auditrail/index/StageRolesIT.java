package io.auditrail.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;

/**
 * Issue 17, item 14: every stage used one role that owned the schema, so a compromised ingest, streams or index
 * process could mint admin tokens or delete the meta-audit. Logged in as each stage's role of sql/V23 (as dev mode and
 * the stage ITs are), this tries what a compromised stage would: the database refuses (SQLSTATE 42501) all but what
 * the stage needs, and the meta-audit refuses changes even from the schema's owner.
 */
@ExtendWith(EmbeddedServicesExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class StageRolesIT {
    private static final String DENIED = "42501";
    private static final String TODAY = LocalDate.now(ZoneOffset.UTC).toString();

    private String url;
    private String owner;

    @BeforeAll
    void database(EmbeddedPostgres pg) throws Exception {
        String name = "roles_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        url = pg.jdbcUrl().substring(0, pg.jdbcUrl().lastIndexOf('/') + 1) + name;
        owner = pg.username();
        DatabaseRoles.ALL.forEach(pg::ensureLoginRole);
        try (Connection c = DriverManager.getConnection(url, owner, "")) {
            Migrations.migrate(new org.postgresql.ds.PGSimpleDataSource() {
                {
                    setURL(url);
                    setUser(owner);
                }
            });
            run(c, "SELECT create_event_partition(current_date)");
            run(c, "INSERT INTO audit_event (event_id, event_time, tenant_id, type, outcome, detail) VALUES "
                    + "(gen_random_uuid(), now(), 'acme', 'request', 'ok', '{}')");
            run(c, "INSERT INTO api_token (token_id, token_hash, name, role, created_by, expires_at) VALUES "
                    + "('tok_seed', '\\x00', 'seed', 'admin', 'cli', now() + interval '1 day')");
            run(c, "INSERT INTO meta_audit (method, route, outcome, status) VALUES ('GET', '/x', 'ok', 200)");
            run(c, "INSERT INTO anomaly (anomaly_id, rule, severity, tenant_id, actor, event_ids, window_start, "
                    + "window_end, fired_count, revision) VALUES ('00000000-0000-0000-0000-000000000001', "
                    + "'root_token_use', 'high', 'acme', 'entity:x', '{}', now(), now(), 1, 1)");
        }
    }

    @Test
    void theIndexRoleAddsEventsAndAnomaliesAndNothingElse() throws Exception {
        try (Connection c = as(DatabaseRoles.INDEX)) {
            // what the stage does
            run(c, "INSERT INTO audit_event (event_id, event_time, tenant_id, type, outcome, detail) VALUES "
                    + "(gen_random_uuid(), now(), 'acme', 'request', 'ok', '{}') ON CONFLICT DO NOTHING");
            run(c, "SELECT create_event_partition(current_date + 1)");
            run(c, "UPDATE anomaly SET fired_count = 2, revision = 2 WHERE anomaly_id = "
                    + "'00000000-0000-0000-0000-000000000001'");
            // what a compromised index would like to do
            refused(c, "INSERT INTO api_token (token_id, token_hash, name, role, created_by, expires_at) VALUES "
                    + "('tok_evil', '\\x01', 'evil', 'admin', 'index', now() + interval '1 year')");
            refused(c, "SELECT token_hash FROM api_token");
            refused(c, "DELETE FROM meta_audit");
            refused(c, "INSERT INTO meta_audit (method, route, outcome, status) VALUES ('GET', '/forged', 'ok', 200)");
            refused(c, "UPDATE audit_event SET outcome = 'ok'");
            refused(c, "DELETE FROM audit_event");
            refused(c, "UPDATE anomaly SET status = 'resolved'"); // a disposition is serve's, never the index's
            refused(c, "INSERT INTO anomaly_disposition (anomaly_id, status, decided_by) VALUES "
                    + "('00000000-0000-0000-0000-000000000001', 'resolved', 'index')");
            refused(c, "DROP TABLE meta_audit");
            refused(c, "CREATE TABLE stash (x int)");
            refused(c, "ALTER TABLE meta_audit DISABLE TRIGGER meta_audit_append_only");
        }
        // the partition functions do partitions only: today's is never dropped, and nothing else is touched
        try (Connection c = as(DatabaseRoles.INDEX)) {
            assertThatThrownBy(() -> run(c, "SELECT drop_event_partition('" + TODAY + "')"))
                    .isInstanceOf(PSQLException.class).hasMessageContaining("not past");
        }
    }

    @Test
    void theServeRoleReadsAppendsAndManagesTokensAndNothingElse() throws Exception {
        try (Connection c = as(DatabaseRoles.SERVE)) {
            run(c, "SELECT count(*) FROM audit_event");
            run(c, "INSERT INTO meta_audit (method, route, outcome, status) VALUES ('GET', '/y', 'ok', 200)");
            run(c, "INSERT INTO api_token (token_id, token_hash, name, role, tenants, created_by, expires_at) VALUES "
                    + "('tok_serve', '\\x02', 'by serve', 'auditor', '{acme}', 'cli', now() + interval '1 day')");
            run(c, "UPDATE api_token SET revoked_at = now() WHERE token_id = 'tok_serve'");
            run(c, "UPDATE anomaly SET status = 'acknowledged' WHERE anomaly_id = "
                    + "'00000000-0000-0000-0000-000000000001'");
            refused(c, "UPDATE api_token SET role = 'admin', expires_at = now() + interval '10 years'");
            refused(c, "DELETE FROM meta_audit");
            refused(c, "UPDATE meta_audit SET outcome = 'ok'");
            refused(c, "INSERT INTO audit_event (event_id, event_time, tenant_id, type, outcome, detail) VALUES "
                    + "(gen_random_uuid(), now(), 'acme', 'request', 'ok', '{}')");
            refused(c, "DELETE FROM audit_event");
            refused(c, "UPDATE anomaly SET description = 'nothing to see'");
            refused(c, "DELETE FROM anomaly_disposition");
            refused(c, "SELECT create_event_partition(current_date + 2)");
            refused(c, "TRUNCATE anomaly");
        }
    }

    @Test
    void theAlertsRoleRecordsDeliveriesAndNothingElse() throws Exception {
        try (Connection c = as(DatabaseRoles.ALERTS)) {
            run(c, "INSERT INTO alert_delivery (anomaly_id, revision, target, target_type, rule, severity, status) "
                    + "VALUES (gen_random_uuid(), 1, 'pager', 'pagerduty', 'root_token_use', 'high', 'delivered')");
            refused(c, "SELECT count(*) FROM audit_event");
            refused(c, "SELECT count(*) FROM api_token");
            refused(c, "INSERT INTO api_token (token_id, token_hash, name, role, created_by, expires_at) VALUES "
                    + "('tok_a', '\\x03', 'a', 'admin', 'alerts', now() + interval '1 day')");
            refused(c, "DELETE FROM meta_audit");
        }
    }

    @Test
    void theMetaAuditIsAppendOnlyEvenForTheSchemasOwner() throws Exception {
        try (Connection c = DriverManager.getConnection(url, owner, "")) {
            long before = count(c, "SELECT count(*) FROM meta_audit");
            for (String change : List.of("DELETE FROM meta_audit", "UPDATE meta_audit SET outcome = 'ok'",
                    "TRUNCATE meta_audit")) {
                assertThatThrownBy(() -> run(c, change)).as(change).isInstanceOf(PSQLException.class)
                        .hasMessageContaining("append-only")
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(DENIED));
            }
            assertThat(count(c, "SELECT count(*) FROM meta_audit")).isEqualTo(before);
        }
    }

    private Connection as(String role) throws SQLException {
        return DriverManager.getConnection(url, role, "");
    }

    private static void refused(Connection c, String sql) {
        assertThatThrownBy(() -> run(c, sql)).as(sql).isInstanceOf(PSQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(sql + ": " + e.getMessage())
                        .isEqualTo(DENIED));
    }

    private static void run(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
