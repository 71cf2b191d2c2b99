package io.auditrail.streams.rules;

import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.PairedEvent;
import java.util.Optional;

/** Fires on a write or delete under sys/auth/ (enable, disable, tune an auth method). Denied attempts fire too: the description carries the outcome. */
public final class AuthMethodChange implements EventRule {
    @Override
    public RuleName name() {
        return RuleName.AUTH_METHOD_CHANGE;
    }

    @Override
    public Optional<Finding> check(PairedEvent p) {
        AuditEvent e = p.event();
        String path = e.path();
        if (!p.isPrimary() || path == null || !Operations.isWrite(e.operation()) || !(path.startsWith("sys/auth/"))) {
            return Optional.empty();
        }
        return Optional.of(Finding.of(name(), p, "auth method changed: " + e.operation() + " " + path + " by "
                + Finding.name(e.actor()) + ", outcome " + p.effectiveOutcome().wire()));
    }
}
