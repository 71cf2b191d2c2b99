package io.auditrail.streams.rules;

import io.auditrail.core.event.PairedEvent;
import java.util.Optional;

/**
 * Fires on any entry, request or response, holding a token or accessor Vault did not HMAC ({@code log_raw},
 * {@code hmac_accessor=false}, HCSEC-2024-18). Names the fields only, never the values.
 */
public final class RawLoggingDetected implements EventRule {
    @Override
    public RuleName name() {
        return RuleName.RAW_LOGGING_DETECTED;
    }

    @Override
    public Optional<Finding> check(PairedEvent p) {
        if (p.event().rawLogging().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Finding.of(name(), p, "unhashed " + String.join(", ", p.event().rawLogging()) + " in a "
                + p.event().type() + " entry: raw audit logging is on (or a Vault regression)"));
    }
}
