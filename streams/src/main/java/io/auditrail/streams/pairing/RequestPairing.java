package io.auditrail.streams.pairing;

import io.auditrail.core.event.PairedEvent;
import io.auditrail.core.event.PairingStatus;
import io.auditrail.core.event.Pairing;
import io.auditrail.core.entry.AuditEntry;
import io.auditrail.core.event.AuditEvent;
import io.auditrail.streams.state.StateMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pairs request and response entries by {@code request.id}. A request waits in the state until its response
 * arrives; then both are released, the request carrying the response's outcome. A request still alone after the
 * timeout is released as {@link PairingStatus#UNANSWERED} (the {@code audit_gap} rule reports it). Requests Vault
 * never answers ({@code sys/seal}, ...) pass straight through. Every entry in is exactly one event out.
 *
 * <p>Time is the caller's: record timestamps (stream time) in the topology, event time in {@code inspect}. Pure
 * apart from the state map; not thread-safe (one per task).
 */
public final class RequestPairing {
    private final StateMap<PendingRequest> open;
    private final long timeoutMs;
    private final Set<String> noResponsePaths;

    public RequestPairing(StateMap<PendingRequest> open, Duration timeout, Set<String> noResponsePaths) {
        this.open = open;
        this.timeoutMs = timeout.toMillis();
        this.noResponsePaths = Set.copyOf(noResponsePaths);
    }

    /** @param nowMs the current time (stream time) in ms; the request's deadline is counted from it */
    public List<PairedEvent> accept(AuditEvent event, long nowMs) {
        String id = event.requestId();
        if (id == null || id.isEmpty()) {
            return List.of(new PairedEvent(event, Pairing.of(PairingStatus.NOT_PAIRED)));
        }
        if (AuditEntry.REQUEST.equals(event.type())) {
            if (event.path() != null && noResponsePaths.contains(event.path())) {
                return List.of(new PairedEvent(event, Pairing.of(PairingStatus.NO_RESPONSE_EXPECTED)));
            }
            // a resent request line replaces itself: same id, same event
            open.put(id, new PendingRequest(event, nowMs + timeoutMs));
            return List.of();
        }
        if (AuditEntry.RESPONSE.equals(event.type())) {
            PendingRequest pending = open.get(id);
            if (pending == null) {
                return List.of(new PairedEvent(event, Pairing.of(PairingStatus.RESPONSE_ONLY)));
            }
            open.delete(id);
            AuditEvent request = pending.event();
            return List.of(
                    new PairedEvent(request, new Pairing(PairingStatus.PAIRED, event.eventId(), event.outcome(),
                            event.error(), event.issuedTokenTtl())),
                    new PairedEvent(event, new Pairing(PairingStatus.PAIRED, request.eventId(), null, null, null)));
        }
        return List.of(new PairedEvent(event, Pairing.of(PairingStatus.NOT_PAIRED)));
    }

    /** Releases every request whose deadline has passed, oldest deadline first. */
    public List<PairedEvent> expire(long nowMs) {
        return release(nowMs, false);
    }

    /** Releases every waiting request as unanswered: the end of an offline input. */
    public List<PairedEvent> flush() {
        return release(Long.MAX_VALUE, true);
    }

    private List<PairedEvent> release(long nowMs, boolean all) {
        List<Map.Entry<String, PendingRequest>> due = new ArrayList<>();
        for (Map.Entry<String, PendingRequest> e : open.entries()) {
            if (all || e.getValue().deadlineMs() <= nowMs) {
                due.add(e);
            }
        }
        due.sort((a, b) -> Long.compare(a.getValue().deadlineMs(), b.getValue().deadlineMs()));
        List<PairedEvent> out = new ArrayList<>(due.size());
        for (Map.Entry<String, PendingRequest> e : due) {
            open.delete(e.getKey());
            out.add(new PairedEvent(e.getValue().event(), Pairing.of(PairingStatus.UNANSWERED)));
        }
        return out;
    }
}
