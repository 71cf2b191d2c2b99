package io.auditrail.streams.rules;

import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.PairedEvent;
import io.auditrail.core.event.PairingStatus;
import java.util.Optional;

/**
 * Fires on a request the pairing released as unanswered: its response never reached the pipeline within the
 * timeout (lost by a device, a node crash mid-request, or a line dropped before Kafka).
 */
public final class AuditGap implements EventRule {
    @Override
    public RuleName name() {
        return RuleName.AUDIT_GAP;
    }

    @Override
    public Optional<Finding> check(PairedEvent p) {
        if (p.pairing().status() != PairingStatus.UNANSWERED) {
            return Optional.empty();
        }
        AuditEvent e = p.event();
        return Optional.of(Finding.of(name(), p, "no response entry for request " + e.requestId() + " ("
                + e.operation() + " " + e.path() + ") within the pairing timeout"));
    }
}
