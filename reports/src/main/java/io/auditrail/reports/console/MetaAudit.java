package io.auditrail.reports.console;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Writes one {@code meta_audit} row per console request, as the API does for its calls (same table, same columns;
 * the route is the console's page template, e.g. {@code /events}, so console and API rows are told apart by the
 * {@code /api/v1} prefix). Never the bearer.
 */
final class MetaAudit {
    private final DataSource dataSource;

    MetaAudit(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void record(ConsoleRequest request) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO meta_audit (token_id, role, method, route, "
                     + "tenant_id, outcome, status, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, request.principal() == null ? null : request.principal().tokenId());
            ps.setString(2, request.principal() == null ? null : request.principal().role().dbName());
            ps.setString(3, request.method);
            ps.setString(4, request.route);
            ps.setString(5, request.tenant);
            ps.setString(6, request.outcome.dbName());
            ps.setInt(7, request.status);
            ps.setString(8, request.detail);
            ps.executeUpdate();
        }
    }
}
