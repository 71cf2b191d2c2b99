package io.auditrail.streams.rules;

import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.PairedEvent;
import java.util.Optional;

/** Fires when the token's own tenant and the tenant named by the path are both known and differ. */
public final class CrossTenantAccess implements EventRule {
    @Override
    public RuleName name() {
        return RuleName.CROSS_TENANT_ACCESS;
    }

    @Override
    public Optional<Finding> check(PairedEvent p) {
        AuditEvent e = p.event();
        if (!p.isPrimary() || e.actorTenantId() == null || e.pathTenantId() == null
                || e.actorTenantId().equals(e.pathTenantId())) {
            return Optional.empty();
        }
        return Optional.of(Finding.of(name(), p, "token of tenant " + e.actorTenantId() + " ("
                + Finding.name(e.actor()) + ") " + e.operation() + " " + e.path() + " of tenant " + e.pathTenantId()
                + ", outcome " + p.effectiveOutcome().wire()));
    }
}
