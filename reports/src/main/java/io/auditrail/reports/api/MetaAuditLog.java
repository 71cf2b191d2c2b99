package io.auditrail.reports.api;

import io.auditrail.reports.limit.RefusalBudget;
import io.auditrail.reports.token.Principal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * Writes one {@code meta_audit} row per API call or console page, refused ones included: auditors ask who looked at
 * the audit data, and a refused cross-tenant attempt is exactly what they look for. Never the bearer string. The one
 * writer of that table, for the API and the console alike, on a pool of its own (reports.postgres.audit.pool.size),
 * so a server whose query connections are all taken still records what it refuses.
 */
public final class MetaAuditLog {
    /**
     * One call as the meta-audit keeps it.
     *
     * @param principal who called, null when no valid token was presented
     * @param route     the route template, e.g. {@code /api/v1/tenants/{tenant}/events}
     * @param tenant    the tenant the call named; always null without a principal (an anonymous caller does not get
     *                  to file rows under a tenant)
     * @param tenantIds the tenants whose data the call asked for or returned ({@code -}: platform events); what a
     *                  tenant's evidence pack selects on. Empty without a principal
     * @param outcome   {@code ok}, {@code denied}, {@code unauthenticated}, {@code bad_request}, {@code not_found},
     *                  {@code error} or {@code throttled} (the table's check constraint)
     * @param detail    a short reason for a refusal; never a token or a secret
     * @param calls     how many calls the row stands for: 1, or the count of a summary row
     */
    public record Entry(Principal principal, String method, String route, String tenant, List<String> tenantIds,
                        String outcome, int status, String detail, int calls) {
        public Entry {
            tenantIds = principal == null ? List.of() : List.copyOf(tenantIds);
            tenant = principal == null ? null : tenant;
        }

        /** One call. */
        public static Entry of(Principal principal, String method, String route, String tenant, List<String> tenantIds,
                               String outcome, int status, String detail) {
            return new Entry(principal, method, route, tenant, tenantIds, outcome, status, detail, 1);
        }
    }

    private final DataSource dataSource;

    public MetaAuditLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void record(ApiCall call) throws SQLException {
        record(Entry.of(call.principal, call.method, call.route, call.tenants.named(), call.tenants.all(),
                call.outcome.dbName(), call.status, call.detail));
    }

    public void record(Entry entry) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO meta_audit (token_id, role, method, route, "
                     + "tenant_id, tenant_ids, outcome, status, detail, calls) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, entry.principal() == null ? null : entry.principal().tokenId());
            ps.setString(2, entry.principal() == null ? null : entry.principal().role().dbName());
            ps.setString(3, entry.method());
            ps.setString(4, entry.route());
            ps.setString(5, entry.tenant());
            ps.setArray(6, c.createArrayOf("text", entry.tenantIds().toArray()));
            ps.setString(7, entry.outcome());
            ps.setInt(8, entry.status());
            ps.setString(9, entry.detail());
            ps.setInt(10, entry.calls());
            ps.executeUpdate();
        }
    }

    /** The summary row of the refusals of one route (and token) answered 429 beyond the caller's budget. */
    public void record(RefusalBudget.Suppressed s) throws SQLException {
        String who = s.principal() == null
                ? " calls without a valid token beyond the per-address budget (reports.limit.unauthenticated."
                        + "per.minute), from " + s.addresses() + " address(es), "
                : " calls of this token refused 429 beyond its budget of recorded refusals (reports.limit.refused."
                        + "per.minute), ";
        record(new Entry(s.principal(), s.method(), s.route(), s.tenantIds().isEmpty() ? null
                : s.tenantIds().get(0), s.tenantIds(), CallOutcome.THROTTLED.dbName(), 429,
                s.calls() + who + s.first() + " to " + s.last(), (int) Math.min(Integer.MAX_VALUE, s.calls())));
    }
}
