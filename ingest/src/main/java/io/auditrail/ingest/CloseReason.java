package io.auditrail.ingest;

import java.util.Locale;

/** Why ingest closed a connection, or saw it closed: the tag of {@code connections.closed} and of discarded fragments. */
public enum CloseReason {
    /** The peer closed it, or reading failed (Vault's own reconnect after a write error looks like this). */
    PEER_CLOSED,
    /** Nothing arrived for {@code ingest.idle.timeout.ms}. */
    IDLE_TIMEOUT,
    /** Not yet trusted, and no accepted line within {@code ingest.first.line.timeout.ms}. */
    FIRST_LINE_TIMEOUT,
    /** A line still unfinished {@code ingest.line.timeout.ms} after its first byte (Vault gave up on it long before). */
    LINE_TIMEOUT,
    /** Its unfinished line did not fit {@code ingest.partial.lines.max.bytes}, or was shed to make room for another's. */
    PARTIAL_BUDGET,
    /** Shed at {@code ingest.max.connections} to admit a new connection (only untrusted ones are shed). */
    EVICTED,
    /** Shed at {@code ingest.max.connections.per.address} to admit a newer connection from the same address. */
    ADDRESS_CAP,
    /** A peer outside {@code ingest.allowed.cidrs}, closed once its first line was kept aside. */
    PEER_REFUSED,
    /** Ingest is stopping. */
    STOPPING;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
