package io.auditrail.reports.query;

import io.auditrail.reports.token.Principal;
import io.auditrail.reports.token.Role;
import io.auditrail.reports.token.TenantName;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The query layer of the API, and the place tenant scope is enforced: every method takes the caller's
 * {@link Principal} and refuses ({@link AccessDenied}) a tenant it may not see; queries that name no tenant filter by
 * the principal's tenants in SQL. Every value reaches SQL as a parameter. Event queries always bound
 * {@code event_time} (partition pruning) and order by {@code (event_time, event_id)} descending, the shape the
 * {@code audit_event_tenant_time} index serves (docs/SCHEMA.md).
 */
public final class AuditQueries {
    static final String EVENT_COLUMNS = "event_id, event_time, tenant_id, tenant_source, path_tenant_id, type, "
            + "request_id, operation, "
            + "path, secret_path, mount_type, mount_point, namespace, outcome, actor_entity_id, actor_display_name, "
            + "remote_address, pairing_status, raw_partition, raw_offset, detail::text, indexed_at";
    private static final String ANOMALY_COLUMNS = "a.anomaly_id, a.rule, a.severity, a.tenant_id, a.actor, "
            + "a.actor_display_name, a.remote_address, a.event_ids, a.window_start, a.window_end, a.fired_count, "
            + "a.revision, a.description, a.status, a.first_indexed_at, a.updated_at";
    private static final int MAX_NOTE_LENGTH = 4000;
    /**
     * Another tenant's event on the tenant's paths ({@code ?} is the tenant): the predicate of the partial index
     * {@code audit_event_path_tenant_time}, spelt as it is so the planner uses it.
     */
    static final String FOREIGN_ON_PATH = "path_tenant_id = ? AND path_tenant_id IS DISTINCT FROM tenant_id";

    private final DataSource dataSource;
    private final Duration defaultWindow;
    private final Clock clock;

    /** @param defaultWindow how far back a search without {@code from} looks */
    public AuditQueries(DataSource dataSource, Duration defaultWindow, Clock clock) {
        this.dataSource = dataSource;
        this.defaultWindow = defaultWindow;
        this.clock = clock;
    }

    /** One page of a tenant's events, newest first. */
    public EventPage searchEvents(Principal principal, EventSearch search) {
        Access.requireTenant(principal, search.tenant());
        String fingerprint = EventCursor.fingerprintOf(search);
        EventCursor cursor = null;
        Instant to;
        Instant from;
        if (search.cursor() != null) {
            cursor = EventCursor.decode(search.cursor());
            if (!cursor.fingerprint().equals(fingerprint)) {
                throw new InvalidParameter("cursor", "was made for another tenant or other filters; "
                        + "repeat the first page's parameters with it");
            }
            from = cursor.from();
            to = cursor.to();
        } else {
            to = search.to() != null ? search.to() : clock.instant();
            from = search.from() != null ? search.from() : to.minus(defaultWindow);
            if (!from.isBefore(to)) {
                throw new InvalidParameter("from", "must be before to (to defaults to now)");
            }
        }
        StringBuilder filters = new StringBuilder(" AND event_time >= ? AND event_time < ?");
        List<Object> filterParams = new ArrayList<>();
        filterParams.add(utc(from));
        filterParams.add(utc(to));
        if (search.operation() != null) {
            filters.append(" AND operation = ?");
            filterParams.add(search.operation());
        }
        if (search.pathPrefix() != null) {
            filters.append(" AND path LIKE ? ESCAPE '\\'");
            filterParams.add(TextParameter.likePrefix(search.pathPrefix()));
        }
        if (search.actor() != null) {
            filters.append(" AND (actor_entity_id = ? OR actor_display_name = ?)");
            filterParams.add(search.actor());
            filterParams.add(search.actor());
        }
        if (search.outcome() != null) {
            filters.append(" AND outcome = ?");
            filterParams.add(search.outcome());
        }
        if (cursor != null) {
            filters.append(" AND (event_time, event_id) < (?, ?)");
            filterParams.add(utc(cursor.at()));
            filterParams.add(cursor.eventId());
        }
        String order = " ORDER BY event_time DESC, event_id DESC LIMIT ?";
        int fetch = search.limit() + 1; // one more tells whether there is a next page
        StringBuilder sql = new StringBuilder();
        List<Object> params = new ArrayList<>();
        if (TenantName.PLATFORM.equals(search.tenant())) {
            sql.append("SELECT ").append(EVENT_COLUMNS).append(" FROM audit_event WHERE tenant_id IS NULL")
                    .append(filters).append(order);
            params.addAll(filterParams);
        } else {
            // the tenant's own events, and other tenants' events on its paths (tenant A's token reading B's secret
            // belongs to B too): two index scans newest first, merged under the LIMIT; the two sets are disjoint
            sql.append("SELECT * FROM ((SELECT ").append(EVENT_COLUMNS).append(" FROM audit_event WHERE tenant_id = ?")
                    .append(filters).append(order).append(") UNION ALL (SELECT ").append(EVENT_COLUMNS)
                    .append(" FROM audit_event WHERE ").append(FOREIGN_ON_PATH).append(filters).append(order)
                    .append(")) e").append(order);
            params.add(search.tenant());
            params.addAll(filterParams);
            params.add(fetch);
            params.add(search.tenant());
            params.addAll(filterParams);
            params.add(fetch);
        }
        params.add(fetch);
        List<EventRecord> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = prepare(c, sql.toString(), params);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(event(rs));
            }
        } catch (SQLException e) {
            throw new QueryFailed("event search failed", e);
        }
        String next = null;
        if (rows.size() > search.limit()) {
            rows = rows.subList(0, search.limit());
            EventRecord last = rows.get(rows.size() - 1);
            next = new EventCursor(fingerprint, from, to, last.time(), last.eventId()).encode();
        }
        return new EventPage(search.tenant(), from, to, rows, next);
    }

    /**
     * One event by id. Looked up within the principal's tenants; an event that exists only outside them is refused
     * with {@link AccessDenied} naming its tenant (the rule: another tenant's data is a 403, and the attempt
     * is recorded), an unknown id is {@link NotFound}. Event ids are SHA-256 derived, so the 403 tells only someone
     * who already holds an id of another tenant that it exists.
     */
    public EventRecord event(Principal principal, UUID eventId) {
        try (Connection c = dataSource.getConnection()) {
            StringBuilder sql = new StringBuilder("SELECT ").append(EVENT_COLUMNS)
                    .append(" FROM audit_event WHERE event_id = ?");
            List<Object> params = new ArrayList<>(List.of(eventId));
            eventScopeCondition(c, sql, params, principal);
            sql.append(" LIMIT 1");
            try (PreparedStatement ps = prepare(c, sql.toString(), params); ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return event(rs);
                }
            }
            if (principal.role().tenantScoped()) {
                try (PreparedStatement ps = prepare(c, "SELECT tenant_id FROM audit_event WHERE event_id = ? LIMIT 1",
                        List.of(eventId)); ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        String owner = rs.getString(1);
                        throw new AccessDenied(owner == null ? TenantName.PLATFORM : owner,
                                "this token may not see event " + eventId);
                    }
                }
            }
        } catch (SQLException e) {
            throw new QueryFailed("event lookup failed", e);
        }
        throw new NotFound("no event " + eventId);
    }

    /** Event counts of a tenant over [from, to) (defaults: the configured window ending now). */
    public TenantSummary summary(Principal principal, String tenant, Instant fromOrNull, Instant toOrNull) {
        if (!TenantName.PLATFORM.equals(tenant)) {
            try {
                TenantName.check(tenant);
            } catch (IllegalArgumentException e) {
                throw new InvalidParameter("tenant", e.getMessage());
            }
        }
        Access.requireTenant(principal, tenant);
        Instant to = toOrNull != null ? toOrNull : clock.instant();
        Instant from = fromOrNull != null ? fromOrNull : to.minus(defaultWindow);
        if (!from.isBefore(to)) {
            throw new InvalidParameter("from", "must be before to (to defaults to now)");
        }
        StringBuilder sql = new StringBuilder("SELECT GROUPING(operation), GROUPING(outcome), GROUPING(day), "
                + "operation, outcome, day, count(*) FROM (SELECT operation, outcome, "
                + "(event_time AT TIME ZONE 'UTC')::date AS day FROM audit_event WHERE ");
        List<Object> params = new ArrayList<>();
        tenantOrPathCondition(sql, params, tenant);
        sql.append(" AND event_time >= ? AND event_time < ?) e GROUP BY GROUPING SETS ((operation), (outcome), (day), ())"
                + " ORDER BY 1, 2, 3, 4, 5, 6");
        params.add(utc(from));
        params.add(utc(to));
        long total = 0;
        List<TenantSummary.Count> byOperation = new ArrayList<>();
        List<TenantSummary.Count> byOutcome = new ArrayList<>();
        List<TenantSummary.Count> byDay = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = prepare(c, sql.toString(), params);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long n = rs.getLong(7);
                if (rs.getInt(1) == 0) {
                    byOperation.add(new TenantSummary.Count(rs.getString(4), n));
                } else if (rs.getInt(2) == 0) {
                    byOutcome.add(new TenantSummary.Count(rs.getString(5), n));
                } else if (rs.getInt(3) == 0) {
                    byDay.add(new TenantSummary.Count(rs.getObject(6, LocalDate.class).toString(), n));
                } else {
                    total = n;
                }
            }
        } catch (SQLException e) {
            throw new QueryFailed("summary failed", e);
        }
        return new TenantSummary(tenant, from, to, total, byOperation, byOutcome, byDay);
    }

    /**
     * Anomalies, newest window first, within the principal's scope: those filed under the tenant asked for (or, naming
     * none, under the principal's tenants; every anomaly for admin and compliance), and, for a tenant asked for or an
     * auditor's own, those filed under another tenant whose events named the tenant's paths (tenant A's token trying
     * B's secrets), shown as B's view of them ({@link AnomalyRecord#VIA_PATH}).
     */
    public List<AnomalyRecord> anomalies(Principal principal, AnomalySearch search) {
        List<AnomalyRecord> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            StringBuilder filters = new StringBuilder();
            List<Object> filterParams = new ArrayList<>();
            if (search.rule() != null) {
                filters.append(" AND a.rule = ?");
                filterParams.add(search.rule());
            }
            if (search.severity() != null) {
                filters.append(" AND a.severity = ?");
                filterParams.add(search.severity());
            }
            if (search.status() != null) {
                filters.append(" AND a.status = ?");
                filterParams.add(search.status());
            }
            if (search.from() != null) {
                filters.append(" AND a.window_start >= ?");
                filterParams.add(utc(search.from()));
            }
            if (search.to() != null) {
                filters.append(" AND a.window_start < ?");
                filterParams.add(utc(search.to()));
            }
            StringBuilder sql = new StringBuilder("SELECT ").append(ANOMALY_COLUMNS)
                    .append(", NULL::uuid[], NULL::bigint, NULL::text[], 'tenant' FROM anomaly a WHERE ");
            List<Object> params = new ArrayList<>();
            Array pathTenants = null;
            if (search.tenant() != null) {
                Access.requireTenant(principal, search.tenant());
                tenantCondition(sql, params, "a.tenant_id", search.tenant());
                if (!TenantName.PLATFORM.equals(search.tenant())) {
                    pathTenants = c.createArrayOf("text", new Object[] {search.tenant()});
                }
            } else {
                sql.append("TRUE");
                if (principal.role().tenantScoped()) {
                    sql.append(" AND a.tenant_id = ANY (?)");
                    params.add(c.createArrayOf("text", principal.tenants().toArray()));
                    pathTenants = c.createArrayOf("text", principal.tenants().toArray());
                }
            }
            sql.append(filters);
            params.addAll(filterParams);
            if (pathTenants != null) {
                // the tenant's view of other tenants' anomalies: only its own events of them, never theirs
                sql.append(" UNION ALL SELECT ").append(ANOMALY_COLUMNS).append(", p.event_ids, p.fired, p.tenants, "
                        + "'path' FROM anomaly a JOIN (SELECT anomaly_id, array_agg(event_id ORDER BY event_time, "
                        + "event_id) AS event_ids, count(*) AS fired, array_agg(DISTINCT tenant_id) AS tenants "
                        + "FROM anomaly_path_tenant WHERE tenant_id = ANY (?) GROUP BY anomaly_id) p "
                        + "ON p.anomaly_id = a.anomaly_id WHERE (a.tenant_id IS NULL OR NOT a.tenant_id = ANY (?))")
                        .append(filters);
                params.add(pathTenants);
                params.add(pathTenants);
                params.addAll(filterParams);
            }
            sql.append(" ORDER BY 9 DESC, 1 DESC LIMIT ?");
            params.add(search.limit());
            try (PreparedStatement ps = prepare(c, sql.toString(), params); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(anomaly(rs));
                }
            }
        } catch (SQLException e) {
            throw new QueryFailed("anomaly search failed", e);
        }
        return out;
    }

    /**
     * Records a decision on an anomaly: sets {@code anomaly.status} and appends the {@code anomaly_disposition} row
     * (decided by the principal's token id) in one transaction. Admin and compliance only: auditors read.
     */
    public DispositionRecord dispose(Principal principal, UUID anomalyId, String status, String note) {
        Access.requireRole(principal, Role.ADMIN, Role.COMPLIANCE);
        if (status == null) {
            throw new InvalidParameter("status", "is required");
        }
        TextParameter.oneOf("status", status, AnomalySearch.STATUSES);
        if (note != null && (note.length() > MAX_NOTE_LENGTH
                || note.codePoints().anyMatch(ch -> Character.isISOControl(ch) && ch != '\n' && ch != '\t'))) {
            throw new InvalidParameter("note", "at most " + MAX_NOTE_LENGTH
                    + " characters, no control characters but newline and tab");
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                String tenant;
                try (PreparedStatement ps = prepare(c, "SELECT tenant_id FROM anomaly WHERE anomaly_id = ? FOR UPDATE",
                        List.of(anomalyId)); ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new NotFound("no anomaly " + anomalyId);
                    }
                    tenant = rs.getString(1);
                }
                Access.requireTenant(principal, tenant == null ? TenantName.PLATFORM : tenant);
                try (PreparedStatement ps = prepare(c, "UPDATE anomaly SET status = ? WHERE anomaly_id = ?",
                        List.of(status, anomalyId))) {
                    ps.executeUpdate();
                }
                List<Object> params = new ArrayList<>();
                params.add(anomalyId);
                params.add(status);
                params.add(note);
                params.add(principal.tokenId());
                params.add(utc(clock.instant()));
                DispositionRecord out;
                try (PreparedStatement ps = prepare(c, "INSERT INTO anomaly_disposition (anomaly_id, status, note, "
                        + "decided_by, decided_at) VALUES (?, ?, ?, ?, ?) RETURNING disposition_id, decided_at", params);
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    out = new DispositionRecord(rs.getLong(1), anomalyId, tenant, status, note, principal.tokenId(),
                            rs.getObject(2, OffsetDateTime.class).toInstant());
                }
                c.commit();
                return out;
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new QueryFailed("disposition failed", e);
        }
    }

    /**
     * The decisions on an anomaly, oldest first, for a principal who may see it: filed under one of its tenants, or
     * some of its events named one of its tenants' paths.
     */
    public List<DispositionRecord> dispositions(Principal principal, UUID anomalyId) {
        List<DispositionRecord> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            Optional<String> tenant = Optional.empty();
            boolean found = false;
            try (PreparedStatement ps = prepare(c, "SELECT tenant_id FROM anomaly WHERE anomaly_id = ?",
                    List.of(anomalyId)); ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    found = true;
                    tenant = Optional.ofNullable(rs.getString(1));
                }
            }
            if (!found) {
                throw new NotFound("no anomaly " + anomalyId);
            }
            if (!principal.maySee(tenant.orElse(null)) && !concernsTenantOf(c, principal, anomalyId)) {
                Access.requireTenant(principal, tenant.orElse(TenantName.PLATFORM)); // refuses, naming the owner
            }
            try (PreparedStatement ps = prepare(c, "SELECT disposition_id, status, note, decided_by, decided_at "
                    + "FROM anomaly_disposition WHERE anomaly_id = ? ORDER BY decided_at, disposition_id",
                    List.of(anomalyId)); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DispositionRecord(rs.getLong(1), anomalyId, tenant.orElse(null), rs.getString(2),
                            rs.getString(3), rs.getString(4), rs.getObject(5, OffsetDateTime.class).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new QueryFailed("disposition lookup failed", e);
        }
        return out;
    }

    /** Whether some of the anomaly's events named the paths of a tenant the principal may see. */
    private static boolean concernsTenantOf(Connection c, Principal principal, UUID anomalyId) throws SQLException {
        if (!principal.role().tenantScoped()) {
            return true;
        }
        try (PreparedStatement ps = prepare(c, "SELECT 1 FROM anomaly_path_tenant WHERE anomaly_id = ? "
                + "AND tenant_id = ANY (?) LIMIT 1", List.of(anomalyId,
                c.createArrayOf("text", principal.tenants().toArray()))); ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    /** {@code <column> = ?}, or {@code <column> IS NULL} for the platform. */
    private static void tenantCondition(StringBuilder sql, List<Object> params, String column, String tenant) {
        if (TenantName.PLATFORM.equals(tenant)) {
            sql.append(column).append(" IS NULL");
        } else {
            sql.append(column).append(" = ?");
            params.add(tenant);
        }
    }

    /** Limits a query that names no tenant to the principal's tenants (nothing to add for admin and compliance). */
    private static void scopeCondition(Connection c, StringBuilder sql, List<Object> params, Principal principal)
            throws SQLException {
        if (principal.role().tenantScoped()) {
            sql.append(" AND tenant_id = ANY (?)");
            params.add(c.createArrayOf("text", principal.tenants().toArray()));
        }
    }

    /** As {@link #scopeCondition} for events, which also belong to the tenant their path names. */
    private static void eventScopeCondition(Connection c, StringBuilder sql, List<Object> params, Principal principal)
            throws SQLException {
        if (principal.role().tenantScoped()) {
            sql.append(" AND (tenant_id = ANY (?) OR path_tenant_id = ANY (?))");
            params.add(c.createArrayOf("text", principal.tenants().toArray()));
            params.add(c.createArrayOf("text", principal.tenants().toArray()));
        }
    }

    /** The tenant's events and other tenants' events on its paths; {@code tenant_id IS NULL} for the platform. */
    private static void tenantOrPathCondition(StringBuilder sql, List<Object> params, String tenant) {
        if (TenantName.PLATFORM.equals(tenant)) {
            sql.append("tenant_id IS NULL");
        } else {
            sql.append("(tenant_id = ? OR (").append(FOREIGN_ON_PATH).append("))");
            params.add(tenant);
            params.add(tenant);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < params.size(); i++) {
                Object p = params.get(i);
                if (p instanceof Array a) {
                    ps.setArray(i + 1, a);
                } else if (p == null) {
                    ps.setNull(i + 1, Types.VARCHAR);
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

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static EventRecord event(ResultSet rs) throws SQLException {
        int partition = rs.getInt(19);
        Integer rawPartition = rs.wasNull() ? null : partition;
        long offset = rs.getLong(20);
        Long rawOffset = rs.wasNull() ? null : offset;
        return new EventRecord(rs.getObject(1, UUID.class), instant(rs, 2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15),
                rs.getString(16), rs.getString(17), rs.getString(18), rawPartition, rawOffset, rs.getString(21),
                instant(rs, 22));
    }

    private static AnomalyRecord anomaly(ResultSet rs) throws SQLException {
        boolean viaPath = AnomalyRecord.VIA_PATH.equals(rs.getString(20));
        List<UUID> ids = uuids(rs.getArray(viaPath ? 17 : 8));
        long fired = viaPath ? rs.getLong(18) : rs.getLong(11);
        String description = rs.getString(13);
        List<String> tenants = List.of();
        if (viaPath) {
            // the owner's description may name its other targets' paths: the viewer gets one of its own
            tenants = List.of((String[]) rs.getArray(19).getArray());
            description = AnomalyRecord.pathDescription(rs.getString(4), fired, tenants);
        }
        return new AnomalyRecord(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), ids, instant(rs, 9), instant(rs, 10),
                fired, rs.getInt(12), description, rs.getString(14), instant(rs, 15), instant(rs, 16),
                viaPath ? AnomalyRecord.VIA_PATH : AnomalyRecord.VIA_TENANT, tenants);
    }

    private static List<UUID> uuids(Array a) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        if (a != null) {
            for (Object o : (Object[]) a.getArray()) {
                ids.add((UUID) o);
            }
        }
        return ids;
    }
}
