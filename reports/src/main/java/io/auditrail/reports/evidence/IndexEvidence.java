package io.auditrail.reports.evidence;

import io.auditrail.reports.evidence.EvidenceFacts.AnomalyFact;
import io.auditrail.reports.evidence.EvidenceFacts.DailyVolume;
import io.auditrail.reports.evidence.EvidenceFacts.Denial;
import io.auditrail.reports.evidence.EvidenceFacts.DenialKind;
import io.auditrail.reports.evidence.EvidenceFacts.Disposition;
import io.auditrail.reports.evidence.EvidenceFacts.IndexRetention;
import io.auditrail.reports.evidence.EvidenceFacts.MetaAuditRow;
import io.auditrail.reports.evidence.EvidenceFacts.PrivilegedChange;
import io.auditrail.reports.evidence.EvidenceFacts.SecretAccess;
import io.auditrail.reports.query.AnomalyRecord;
import io.auditrail.reports.query.InvalidParameter;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The facts PostgreSQL holds for one tenant and period, read with parameterised statements on one connection. The
 * caller runs them in one read-only repeatable-read transaction, so every section describes the same snapshot.
 */
final class IndexEvidence {
    /**
     * A primary event: the request entry (a paired one carries its response's outcome) or a response whose request
     * never arrived. Counting these counts each Vault request once.
     */
    static final String PRIMARY = "(type <> 'response' OR pairing_status = 'response_only')";
    /**
     * The tenant's events: filed under it, or another tenant's on its paths (tenant A's token reading B's secret is
     * B's evidence too); parameters tenant, tenant, from, to. The second half is the partial index's predicate.
     */
    private static final String SCOPE = "(tenant_id = ? OR (path_tenant_id = ? AND path_tenant_id IS DISTINCT FROM "
            + "tenant_id)) AND event_time >= ? AND event_time < ?";
    /** Closes a row section's statement: one row more than a pack may hold tells that the period holds too many. */
    private static final String BOUND = " LIMIT ?";
    /** Vault's login endpoints, auth/<mount>/login[/...]; as {@link #isLogin}. */
    private static final String LOGIN = "path ~ '^auth/[^/]+/login'";

    static final String VOLUMES_SQL = "SELECT (event_time AT TIME ZONE 'UTC')::date AS day, count(*) AS events,"
            + " count(*) FILTER (WHERE " + PRIMARY + ") AS requests,"
            + " count(*) FILTER (WHERE " + PRIMARY + " AND outcome = 'denied') AS denied,"
            + " count(*) FILTER (WHERE " + PRIMARY + " AND outcome = 'error') AS errors"
            + " FROM audit_event WHERE " + SCOPE + " GROUP BY 1 ORDER BY 1";

    static final String SECRET_ACCESS_SQL = "SELECT secret_path, actor_entity_id, actor_display_name, count(*),"
            + " count(*) FILTER (WHERE operation = 'read'),"
            + " count(*) FILTER (WHERE operation IN ('create', 'update', 'patch')),"
            + " count(*) FILTER (WHERE operation = 'delete'),"
            + " count(*) FILTER (WHERE operation = 'list'),"
            + " count(*) FILTER (WHERE outcome = 'denied'),"
            + " min(event_time), max(event_time)"
            + " FROM audit_event WHERE " + SCOPE + " AND " + PRIMARY
            + " AND secret_path IS NOT NULL AND operation IN ('read', 'create', 'update', 'patch', 'delete', 'list')"
            + " AND path NOT LIKE 'sys/%' AND path NOT LIKE 'auth/%' AND path NOT LIKE 'identity/%'"
            + " GROUP BY secret_path, actor_entity_id, actor_display_name"
            + " ORDER BY secret_path, actor_entity_id NULLS FIRST, actor_display_name NULLS FIRST" + BOUND;

    // a superset of PrivilegedCategory, narrowed in Java; the routine prefixes stay out of the result set
    static final String PRIVILEGED_SQL = "SELECT event_time, event_id, request_id, operation, path, outcome,"
            + " actor_entity_id, actor_display_name, remote_address,"
            // detail is json (V4; jsonb before): the json functions with a cast serve both
            + " ARRAY(SELECT json_array_elements_text(CASE WHEN json_typeof(detail::json->'actor'->'policies')"
            + " = 'array' THEN detail::json->'actor'->'policies' END)),"
            + " COALESCE(detail->>'issued_token_ttl', detail->'pairing'->>'issued_token_ttl')"
            + " FROM audit_event WHERE " + SCOPE + " AND " + PRIMARY
            + " AND operation IN ('create', 'update', 'delete', 'patch')"
            + " AND (path LIKE 'sys/%' OR path LIKE 'auth/%' OR path LIKE 'identity/%') AND NOT " + LOGIN
            + routineExclusions()
            + " ORDER BY event_time, event_id" + BOUND;

    static final String DENIALS_SQL = "SELECT event_time, event_id, operation, path, outcome, actor_entity_id,"
            + " actor_display_name, remote_address, COALESCE(detail->'pairing'->>'response_error', detail->>'error')"
            + " FROM audit_event WHERE " + SCOPE + " AND " + PRIMARY
            + " AND (outcome = 'denied' OR (" + LOGIN + " AND outcome <> 'ok'))"
            + " ORDER BY event_time, event_id" + BOUND;

    /**
     * The tenant's anomalies whose window started in the period: those filed under it, and those filed under another
     * tenant some of whose events named its paths (with the count of those events); parameters tenant, from, to,
     * tenant, tenant, from, to, limit.
     */
    static final String ANOMALIES_SQL = "SELECT anomaly_id, rule, severity, actor, actor_display_name, remote_address,"
            + " window_start, window_end, fired_count, description, status, 'tenant', tenant_id FROM anomaly"
            + " WHERE tenant_id = ? AND window_start >= ? AND window_start < ?"
            + " UNION ALL SELECT a.anomaly_id, a.rule, a.severity, a.actor, a.actor_display_name, a.remote_address,"
            + " a.window_start, a.window_end, p.fired, NULL, a.status, 'path', a.tenant_id FROM anomaly a"
            + " JOIN (SELECT anomaly_id, count(*) AS fired FROM anomaly_path_tenant WHERE tenant_id = ?"
            + " GROUP BY anomaly_id) p ON p.anomaly_id = a.anomaly_id"
            + " WHERE a.tenant_id IS DISTINCT FROM ? AND a.window_start >= ? AND a.window_start < ?"
            + " ORDER BY 7, 1" + BOUND;

    /** The decisions on those anomalies; parameters tenant, tenant, from, to. */
    static final String DISPOSITIONS_SQL = "SELECT d.anomaly_id, d.status, d.note, d.decided_by, d.decided_at"
            + " FROM anomaly_disposition d JOIN anomaly a ON a.anomaly_id = d.anomaly_id"
            + " WHERE (a.tenant_id = ? OR a.anomaly_id IN (SELECT anomaly_id FROM anomaly_path_tenant"
            + " WHERE tenant_id = ?)) AND a.window_start >= ? AND a.window_start < ?"
            + " ORDER BY d.anomaly_id, d.decided_at, d.disposition_id";

    static final String OLDEST_TENANT_EVENT_SQL = "SELECT min(event_time) FROM audit_event WHERE tenant_id = ?";

    static final String PARTITIONS_SQL = "SELECT min(day) FILTER (WHERE dropped_at IS NULL),"
            + " count(*) FILTER (WHERE dropped_at IS NOT NULL), min(day) FILTER (WHERE dropped_at IS NOT NULL),"
            + " max(day) FILTER (WHERE dropped_at IS NOT NULL), max(dropped_at)"
            + " FROM event_partition";

    /**
     * The calls filed under the tenant (meta_audit.tenant_ids: what they named or returned, only ever set after
     * authentication), counted per UTC day, token, route, outcome and status.
     */
    static final String META_AUDIT_SQL = "SELECT (at AT TIME ZONE 'UTC')::date, token_id, role, method, route,"
            + " outcome, status, sum(calls), min(at), max(at) FROM meta_audit"
            + " WHERE tenant_ids @> ARRAY[?]::text[] AND at >= ? AND at < ?"
            + " GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 9, 2 NULLS FIRST, 5, 6, 7" + BOUND;

    private final Connection connection;
    private final String tenant;
    private final Instant from;
    private final Instant to;
    private final int maxRows;

    /** @param maxRows rows a section may hold; a period with more is refused ({@link InvalidParameter} on "to") */
    IndexEvidence(Connection connection, String tenant, Instant from, Instant to, int maxRows) {
        this.connection = connection;
        this.tenant = tenant;
        this.from = from;
        this.to = to;
        this.maxRows = maxRows;
    }

    private static String routineExclusions() {
        StringBuilder sb = new StringBuilder();
        for (String prefix : PrivilegedCategory.ROUTINE_PREFIXES) {
            // our own constants, free of quotes and LIKE wildcards (PrivilegedCategoryTest checks)
            sb.append(" AND path NOT LIKE '").append(prefix).append("%'");
        }
        return sb.toString();
    }

    /** Every UTC day of the period, days without events as zeros. */
    List<DailyVolume> dailyVolumes() throws SQLException {
        Map<LocalDate, DailyVolume> byDay = new LinkedHashMap<>();
        try (PreparedStatement ps = statement(VOLUMES_SQL, tenant, tenant, from, to); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                LocalDate day = rs.getObject(1, LocalDate.class);
                byDay.put(day, new DailyVolume(day, rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
            }
        }
        List<DailyVolume> out = new ArrayList<>();
        LocalDate last = LocalDate.ofInstant(to.minusNanos(1), ZoneOffset.UTC);
        for (LocalDate d = LocalDate.ofInstant(from, ZoneOffset.UTC); !d.isAfter(last); d = d.plusDays(1)) {
            out.add(byDay.getOrDefault(d, new DailyVolume(d, 0, 0, 0, 0)));
        }
        return out;
    }

    List<SecretAccess> secretAccess() throws SQLException {
        List<SecretAccess> out = new ArrayList<>();
        try (PreparedStatement ps = statement(SECRET_ACCESS_SQL, tenant, tenant, from, to, maxRows + 1); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new SecretAccess(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), instant(rs, 10),
                        instant(rs, 11)));
            }
        }
        return within(out, "secret accesses");
    }

    List<PrivilegedChange> privilegedChanges() throws SQLException {
        List<PrivilegedChange> out = new ArrayList<>();
        try (PreparedStatement ps = statement(PRIVILEGED_SQL, tenant, tenant, from, to, maxRows + 1); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String operation = rs.getString(4);
                String path = rs.getString(5);
                Optional<PrivilegedCategory> category = PrivilegedCategory.of(path, operation);
                if (category.isEmpty()) {
                    continue;
                }
                out.add(new PrivilegedChange(instant(rs, 1), rs.getString(2), rs.getString(3), category.get(),
                        operation, path, rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                        strings(rs.getArray(10)), ttl(rs.getString(11))));
            }
        }
        return within(out, "privileged changes");
    }

    List<Denial> denials() throws SQLException {
        List<Denial> out = new ArrayList<>();
        try (PreparedStatement ps = statement(DENIALS_SQL, tenant, tenant, from, to, maxRows + 1); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String path = rs.getString(4);
                DenialKind kind = isLogin(path) ? DenialKind.FAILED_LOGIN : DenialKind.DENIED_ACCESS;
                out.add(new Denial(instant(rs, 1), rs.getString(2), kind, rs.getString(3), path, rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)));
            }
        }
        return within(out, "denials");
    }

    /**
     * The tenant's anomalies whose window started in the period (its own, and other tenants' whose events named its
     * paths), each with its disposition history.
     */
    List<AnomalyFact> anomalies() throws SQLException {
        Map<String, List<Disposition>> history = new LinkedHashMap<>();
        try (PreparedStatement ps = statement(DISPOSITIONS_SQL, tenant, tenant, from, to); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(1);
                history.computeIfAbsent(id, k -> new ArrayList<>())
                        .add(new Disposition(id, rs.getString(2), rs.getString(3), rs.getString(4), instant(rs, 5)));
            }
        }
        List<AnomalyFact> out = new ArrayList<>();
        try (PreparedStatement ps = statement(ANOMALIES_SQL, tenant, from, to, tenant, tenant, from, to, maxRows + 1); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(1);
                boolean viaPath = AnomalyRecord.VIA_PATH.equals(rs.getString(12));
                // another tenant's anomaly: this tenant's count of it, and a description naming nothing else of it
                String description = viaPath ? AnomalyRecord.pathDescription(rs.getString(13), rs.getLong(9),
                        List.of(tenant)) : rs.getString(10);
                out.add(new AnomalyFact(id, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), instant(rs, 7), instant(rs, 8), rs.getLong(9), description,
                        rs.getString(11), history.getOrDefault(id, List.of()), rs.getString(12)));
            }
        }
        return within(out, "anomalies");
    }

    IndexRetention retention() throws SQLException {
        Instant oldest;
        try (PreparedStatement ps = connection.prepareStatement(OLDEST_TENANT_EVENT_SQL)) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                oldest = instant(rs, 1);
            }
        }
        try (PreparedStatement ps = connection.prepareStatement(PARTITIONS_SQL); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new IndexRetention(oldest, rs.getObject(1, LocalDate.class), rs.getLong(2),
                    rs.getObject(3, LocalDate.class), rs.getObject(4, LocalDate.class), instant(rs, 5));
        }
    }

    List<MetaAuditRow> metaAudit() throws SQLException {
        List<MetaAuditRow> out = new ArrayList<>();
        try (PreparedStatement ps = statement(META_AUDIT_SQL, tenant, from, to, maxRows + 1); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new MetaAuditRow(rs.getObject(1, LocalDate.class), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7), rs.getLong(8),
                        instant(rs, 9), instant(rs, 10)));
            }
        }
        return within(out, "meta-audit rows");
    }

    /** auth/<mount>/login or auth/<mount>/login/<user>: Vault's login endpoints. */
    static boolean isLogin(String path) {
        if (path == null || !path.startsWith("auth/")) {
            return false;
        }
        int mountEnd = path.indexOf('/', "auth/".length());
        return mountEnd > 0 && path.startsWith("login", mountEnd + 1);
    }

    /** The rows of a section, or a refusal naming the period when it holds more than a pack may. */
    private <T> List<T> within(List<T> rows, String section) {
        if (rows.size() > maxRows) {
            throw new InvalidParameter("to", "the period holds more than " + maxRows + " " + section + " for one pack "
                    + "(" + EvidenceConfig.MAX_ROWS + "): ask for a shorter period");
        }
        return rows;
    }

    /** A statement with its parameters bound: text, whole numbers, and instants as UTC timestamps. */
    private PreparedStatement statement(String sql, Object... params) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < params.length; i++) {
                Object p = params[i];
                if (p instanceof Instant t) {
                    ps.setObject(i + 1, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
                } else {
                    ps.setObject(i + 1, p);
                }
            }
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        try {
            Object[] values = (Object[]) array.getArray();
            List<String> out = new ArrayList<>(values.length);
            for (Object v : values) {
                out.add(String.valueOf(v));
            }
            return out;
        } finally {
            array.free();
        }
    }

    private static Long ttl(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Long.valueOf(text);
        } catch (NumberFormatException e) {
            return null; // a TTL that is not a number is no fact worth failing a pack for
        }
    }
}
