package io.auditrail.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL of the per-tenant Grafana dashboard (infra/grafana/dashboards) runs against the real schema and returns the
 * tenant's rows: Grafana's macros are expanded the way its PostgreSQL datasource does.
 */
@ExtendWith(EmbeddedServicesExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DashboardQueriesIT {
    @TempDir
    Path dir;

    @Test
    void everyTenantDashboardQueryRunsOnTheSchemaAndSeesOnlyThatTenant(EmbeddedKafka kafka, EmbeddedPostgres pg)
            throws Exception {
        AlertsFixture f = AlertsFixture.create(kafka, pg, dir);
        JsonNode dashboard = new ObjectMapper().readTree(
                Path.of("..", "infra", "grafana", "dashboards", "auditrail-tenant-activity.json").toFile());
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode p : dashboard.get("panels")) {
            for (JsonNode t : p.path("targets")) {
                queries.put(p.get("title").asText(), t.get("rawSql").asText());
            }
        }
        String variable = dashboard.at("/templating/list/0/query").asText();
        assertThat(queries).hasSizeGreaterThan(10);
        try (Connection c = DriverManager.getConnection(f.jdbcUrl, f.user, ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE audit_event_today PARTITION OF audit_event FOR VALUES FROM "
                    + "(now() - interval '1 day') TO (now() + interval '1 day')");
            for (String tenant : List.of("acme", "beta", "beta", "zeta")) {
                s.execute("INSERT INTO audit_event (event_id, event_time, tenant_id, type, operation, path, outcome, "
                        + "actor_entity_id, actor_display_name, remote_address, detail) VALUES (gen_random_uuid(), "
                        + "now() - interval '1 hour', '" + tenant + "', 'request', 'read', 'secret/data/tenants/"
                        + tenant + "/db', 'denied', 'e-1', 'alice', '10.0.0.7', '{}')");
            }
            s.execute("INSERT INTO anomaly (anomaly_id, rule, severity, tenant_id, actor, event_ids, window_start, "
                    + "window_end, fired_count, revision) VALUES (gen_random_uuid(), 'cross_tenant_access', "
                    + "'critical', 'beta', 'entity:e-1', '{}', now() - interval '1 hour', now(), 3, 2)");
            s.execute("INSERT INTO alert_delivery (anomaly_id, revision, target, target_type, rule, severity, tenant_id, "
                    + "status, attempts) VALUES (gen_random_uuid(), 1, 'slack', 'slack', 'cross_tenant_access', "
                    + "'critical', 'beta', 'delivered', 1)");

            assertThat(column(s, variable)).containsExactly("acme", "beta", "zeta");
            Map<String, Long> rows = new LinkedHashMap<>();
            for (var q : queries.entrySet()) {
                try (ResultSet rs = s.executeQuery(expand(q.getValue(), "beta"))) {
                    long n = 0;
                    while (rs.next()) {
                        n++;
                    }
                    rows.put(q.getKey(), n);
                }
            }
            assertThat(rows).allSatisfy((title, n) -> assertThat(n).as(title).isPositive());
            try (ResultSet rs = s.executeQuery(expand(queries.get("Requests"), "beta"))) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2);
            }
            try (ResultSet rs = s.executeQuery(expand(queries.get("Denied"), "nobody"))) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
        }
    }

    /** Grafana's PostgreSQL macros for a 6-hour range and a one-minute interval. */
    private static String expand(String sql, String tenant) {
        return sql.replaceAll("\\$__timeGroupAlias\\(([a-z_]+), \\$__interval\\)",
                        "date_bin('1 minute', $1, timestamptz 'epoch') AS time")
                .replaceAll("\\$__timeFilter\\(([a-z_]+)\\)", "$1 BETWEEN now() - interval '6 hours' AND now()")
                .replace("${tenant:sqlstring}", "'" + tenant.replace("'", "''") + "'");
    }

    private static List<String> column(Statement s, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
