package io.auditrail.reports.api;

import io.auditrail.reports.token.Principal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Writes one {@code meta_audit} row per API call or console page, refused ones included: auditors ask who looked at
 * the audit data, and a refused cross-tenant attempt is exactly what they look for. Never the bearer string. The one
 * writer of that table, for the API and the console alike.
 */
public final class MetaAuditLog {
    /**
     * One call as the meta-audit keeps it.
     *
     * @param principal who called, null when no valid token was presented
     * @param route     the route template, e.g. {@code /api/v1/tenants/{tenant}/events}
     * @param tenant    the tenant the call asked for, when it named one
     * @param outcome   {@code ok}, {@code denied}, {@code unauthenticated}, {@code bad_request}, {@code not_found} or
     *                  {@code error} (the table's check constraint)
     * @param detail    a short reason for a refusal; never a token or a secret
     */
    public record Entry(Principal principal, String method, String route, String tenant, String outcome, int status,
                        String detail) {
    }

    private final DataSource dataSource;

    public MetaAuditLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void record(ApiCall call) throws SQLException {
        record(new Entry(call.principal, call.method, call.route, call.tenant, call.outcome.dbName(), call.status,
                call.detail));
    }

    public void record(Entry entry) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO meta_audit (token_id, role, method, route, "
                     + "tenant_id, outcome, status, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, entry.principal() == null ? null : entry.principal().tokenId());
            ps.setString(2, entry.principal() == null ? null : entry.principal().role().dbName());
            ps.setString(3, entry.method());
            ps.setString(4, entry.route());
            ps.setString(5, entry.tenant());
            ps.setString(6, entry.outcome());
            ps.setInt(7, entry.status());
            ps.setString(8, entry.detail());
            ps.executeUpdate();
        }
    }
}
