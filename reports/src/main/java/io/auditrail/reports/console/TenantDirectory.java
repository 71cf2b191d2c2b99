package io.auditrail.reports.console;

import io.auditrail.reports.query.QueryFailed;
import io.auditrail.reports.token.Principal;
import io.auditrail.reports.token.TenantName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * The tenants a principal may pick: an auditor's own, from the token; for admin and compliance, every tenant present
 * in the index, then the platform ({@code -}). The index is read with a skip scan over {@code audit_event_tenant_time}
 * (one index probe per tenant), not a {@code DISTINCT} over every event.
 */
final class TenantDirectory {
    /** Beyond this many tenants the picker lists the first ones; the search page takes any tenant by name. */
    static final int MAX_LISTED = 500;
    private static final String SKIP_SCAN = "WITH RECURSIVE t(tenant_id) AS ("
            + " (SELECT tenant_id FROM audit_event WHERE tenant_id IS NOT NULL ORDER BY tenant_id LIMIT 1)"
            + " UNION ALL SELECT (SELECT e.tenant_id FROM audit_event e WHERE e.tenant_id > t.tenant_id"
            + " ORDER BY e.tenant_id LIMIT 1) FROM t WHERE t.tenant_id IS NOT NULL)"
            + " SELECT tenant_id FROM t WHERE tenant_id IS NOT NULL LIMIT ?";

    private final DataSource dataSource;

    TenantDirectory(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    List<String> visibleTo(Principal principal) {
        if (principal.role().tenantScoped()) {
            return List.copyOf(new TreeSet<>(principal.tenants()));
        }
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SKIP_SCAN)) {
            ps.setInt(1, MAX_LISTED);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new QueryFailed("tenant list failed", e);
        }
        out.add(TenantName.PLATFORM);
        return out;
    }
}
