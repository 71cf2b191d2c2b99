package io.auditrail.streams.rules;

import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.PairedEvent;
import java.util.Optional;

/** Fires on a write or delete of an ACL, RGP or EGP policy (sys/policy/*, sys/policies/*). Denied attempts fire too: the description carries the outcome. */
public final class PolicyChange implements EventRule {
    @Override
    public RuleName name() {
        return RuleName.POLICY_CHANGE;
    }

    @Override
    public Optional<Finding> check(PairedEvent p) {
        AuditEvent e = p.event();
        String path = e.path();
        if (!p.isPrimary() || path == null || !Operations.isWrite(e.operation()) || !(path.startsWith("sys/policy/") || path.startsWith("sys/policies/"))) {
            return Optional.empty();
        }
        return Optional.of(Finding.of(name(), p, "policy changed: " + e.operation() + " " + path + " by "
                + Finding.name(e.actor()) + ", outcome " + p.effectiveOutcome().wire()));
    }
}
