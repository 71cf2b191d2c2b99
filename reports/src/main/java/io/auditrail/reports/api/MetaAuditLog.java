package io.auditrail.reports.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Writes one {@code meta_audit} row per API call, refused ones included: auditors ask who looked at the audit data,
 * and a refused cross-tenant attempt is exactly what they look for. Never the bearer string.
 */
final class MetaAuditLog {
    private final DataSource dataSource;

    MetaAuditLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void record(ApiCall call) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO meta_audit (token_id, role, method, route, "
                     + "tenant_id, outcome, status, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, call.principal == null ? null : call.principal.tokenId());
            ps.setString(2, call.principal == null ? null : call.principal.role().dbName());
            ps.setString(3, call.method);
            ps.setString(4, call.route);
            ps.setString(5, call.tenant);
            ps.setString(6, call.outcome.dbName());
            ps.setInt(7, call.status);
            ps.setString(8, call.detail);
            ps.executeUpdate();
        }
    }
}
