package io.auditrail.streams.rules;

import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.PairedEvent;
import java.util.Optional;

/** Fires on any request authenticated by a token carrying the root policy. */
public final class RootTokenUse implements EventRule {
    private final String rootPolicy;

    public RootTokenUse(String rootPolicy) {
        this.rootPolicy = rootPolicy;
    }

    @Override
    public RuleName name() {
        return RuleName.ROOT_TOKEN_USE;
    }

    @Override
    public Optional<Finding> check(PairedEvent p) {
        AuditEvent e = p.event();
        if (!p.isPrimary() || e.actor() == null || !e.actor().policies().contains(rootPolicy)) {
            return Optional.empty();
        }
        return Optional.of(Finding.of(name(), p, "root token (" + Finding.name(e.actor()) + ") used for "
                + e.operation() + " " + e.path() + " from " + e.actor().remoteAddress()));
    }
}
