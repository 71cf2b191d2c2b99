package io.auditrail.streams.rules;

import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.PairedEvent;
import java.util.Optional;

/**
 * Fires on a write or delete under {@code sys/audit/} (enable, disable) and any use of {@code sys/audit-hash/}
 * (probing which HMAC a value has). Vault's own enable-time probe ({@code sys/audit/test} with no token) is not
 * a change: the enable it accompanies fires.
 */
public final class AuditDeviceChange implements EventRule {
    @Override
    public RuleName name() {
        return RuleName.AUDIT_DEVICE_CHANGE;
    }

    @Override
    public Optional<Finding> check(PairedEvent p) {
        AuditEvent e = p.event();
        String path = e.path();
        if (!p.isPrimary() || path == null) {
            return Optional.empty();
        }
        boolean hash = path.startsWith("sys/audit-hash/");
        boolean change = path.startsWith("sys/audit/") && Operations.isWrite(e.operation()) && !isEnableProbe(e);
        if (!hash && !change) {
            return Optional.empty();
        }
        return Optional.of(Finding.of(name(), p, (hash ? "audit hash probed: " : "audit device changed: ")
                + e.operation() + " " + path + " by " + Finding.name(e.actor()) + ", outcome "
                + p.effectiveOutcome().wire()));
    }

    private static boolean isEnableProbe(AuditEvent e) {
        return "sys/audit/test".equals(e.path()) && e.actor().displayName() == null && e.actor().policies().isEmpty();
    }
}
