package io.auditrail.streams.rules;

import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.PairedEvent;
import java.util.Optional;
import java.util.Set;

/**
 * Fires on {@code sys/seal}, {@code sys/step-down}, raft peer removal and snapshot restore (a write to
 * {@code sys/storage/raft/snapshot} or {@code snapshot-force}; reading a snapshot is a backup and does not fire).
 */
public final class SealOrClusterChange implements EventRule {
    private static final Set<String> ANY_OPERATION = Set.of("sys/seal", "sys/step-down");
    private static final Set<String> WRITES = Set.of("sys/storage/raft/remove-peer", "sys/storage/raft/snapshot",
            "sys/storage/raft/snapshot-force");

    @Override
    public RuleName name() {
        return RuleName.SEAL_OR_CLUSTER_CHANGE;
    }

    @Override
    public Optional<Finding> check(PairedEvent p) {
        AuditEvent e = p.event();
        if (!p.isPrimary() || e.path() == null) {
            return Optional.empty();
        }
        boolean fires = ANY_OPERATION.contains(e.path())
                || (WRITES.contains(e.path()) && Operations.isWrite(e.operation()));
        if (!fires) {
            return Optional.empty();
        }
        return Optional.of(Finding.of(name(), p, "cluster change: " + e.operation() + " " + e.path() + " by "
                + Finding.name(e.actor()) + " from " + e.actor().remoteAddress()));
    }
}
