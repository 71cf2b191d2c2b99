package io.auditrail.streams.rules;

import io.auditrail.core.event.PairedEvent;
import java.util.Optional;

/** Fires when a login or token creation issued a token whose TTL exceeds the threshold. */
public final class LongLivedToken implements EventRule {
    private final long maxTtlSeconds;

    public LongLivedToken(long maxTtlSeconds) {
        this.maxTtlSeconds = maxTtlSeconds;
    }

    @Override
    public RuleName name() {
        return RuleName.LONG_LIVED_TOKEN;
    }

    @Override
    public Optional<Finding> check(PairedEvent p) {
        Long ttl = p.issuedTokenTtl();
        if (!p.isPrimary() || ttl == null || ttl <= maxTtlSeconds) {
            return Optional.empty();
        }
        return Optional.of(Finding.of(name(), p, "token issued by " + p.event().path() + " with a TTL of " + ttl
                + " s (threshold " + maxTtlSeconds + " s)"));
    }
}
