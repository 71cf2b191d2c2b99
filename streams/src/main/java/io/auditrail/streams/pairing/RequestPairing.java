package io.auditrail.streams.pairing;

import io.auditrail.core.entry.AuditEntry;
import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.PairedEvent;
import io.auditrail.core.event.Pairing;
import io.auditrail.core.event.PairingStatus;
import io.auditrail.streams.state.StateMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pairs request and response entries by {@code request.id}, in whichever order they arrive. The first of the two
 * waits in the state; when the other arrives both are released, request first, each pointing at the other and the
 * request carrying the response's outcome. An entry still alone after the timeout is released on its own: a request
 * as {@link PairingStatus#UNANSWERED} (the {@code audit_gap} rule reports it), a response as
 * {@link PairingStatus#RESPONSE_ONLY}. Requests Vault never answers ({@code sys/seal}, ...) pass straight through.
 * Every entry in is one event out, except a re-sent copy of the entry already waiting (same event id), which
 * replaces it.
 *
 * <p>The clock is the caller's and only has to move forward: the wall clock in the topology, so that waiting entries
 * are released when traffic stops; event time in {@code inspect}. Entries that were waiting before
 * {@code resumedAtMs} (state restored after a restart or a rebalance) count their timeout from then, so the time a
 * stage was down never turns into false gaps while it catches up. Pure apart from the state map; not thread-safe
 * (one per task).
 */
public final class RequestPairing {
    private final StateMap<WaitingEntry> waiting;
    private final long timeoutMs;
    private final Set<String> noResponsePaths;
    private final long resumedAtMs;

    /** An event the pairing let go, with the replay mark of the raw line it came from (null when live). */
    public record Release(PairedEvent event, String replayOrigin) {
    }

    /**
     * @param resumedAtMs the clock reading when this instance took the state over; {@link Long#MIN_VALUE} when the
     *                    state starts empty
     */
    public RequestPairing(StateMap<WaitingEntry> waiting, Duration timeout, Set<String> noResponsePaths,
                          long resumedAtMs) {
        this.waiting = waiting;
        this.timeoutMs = timeout.toMillis();
        this.noResponsePaths = Set.copyOf(noResponsePaths);
        this.resumedAtMs = resumedAtMs;
    }

    /**
     * @param nowMs        the pairing clock now: the entry waits from this reading
     * @param replayOrigin the replay mark of the entry's raw line, or null
     */
    public List<Release> accept(AuditEvent event, long nowMs, String replayOrigin) {
        String id = event.requestId();
        boolean request = AuditEntry.REQUEST.equals(event.type());
        if (id == null || id.isEmpty() || !(request || AuditEntry.RESPONSE.equals(event.type()))) {
            return List.of(alone(event, PairingStatus.NOT_PAIRED, replayOrigin));
        }
        if (request && event.path() != null && noResponsePaths.contains(event.path())) {
            return List.of(alone(event, PairingStatus.NO_RESPONSE_EXPECTED, replayOrigin));
        }
        WaitingEntry other = waiting.get(id);
        if (other == null) {
            waiting.put(id, new WaitingEntry(event, nowMs, replayOrigin));
            return List.of();
        }
        if (other.event().type().equals(event.type())) {
            if (other.event().eventId().equals(event.eventId())) {
                // Vault re-sent the line after a write error: the same entry, so it waits once, from its first arrival
                return List.of();
            }
            // a second entry of the same type under one request id (not a copy: its time differs): it takes the
            // place, and the first is let go unpaired rather than lost
            waiting.put(id, new WaitingEntry(event, nowMs, replayOrigin));
            return List.of(alone(other.event(), PairingStatus.NOT_PAIRED, other.replayOrigin()));
        }
        waiting.delete(id);
        WaitingEntry req = request ? new WaitingEntry(event, nowMs, replayOrigin) : other;
        WaitingEntry resp = request ? other : new WaitingEntry(event, nowMs, replayOrigin);
        AuditEvent q = req.event();
        AuditEvent r = resp.event();
        return List.of(
                new Release(new PairedEvent(q, new Pairing(PairingStatus.PAIRED, r.eventId(), r.outcome(), r.error(),
                        r.issuedTokenTtl())), req.replayOrigin()),
                new Release(new PairedEvent(r, new Pairing(PairingStatus.PAIRED, q.eventId(), null, null, null)),
                        resp.replayOrigin()));
    }

    /** Releases every entry that has waited the timeout by {@code nowMs}, the longest-waiting first. */
    public List<Release> expire(long nowMs) {
        return release(nowMs, false);
    }

    /** Releases every waiting entry on its own: the end of an offline input. */
    public List<Release> flush() {
        return release(Long.MAX_VALUE, true);
    }

    private long deadline(WaitingEntry e) {
        return Math.max(e.sinceMs(), resumedAtMs) + timeoutMs;
    }

    private List<Release> release(long nowMs, boolean all) {
        List<Map.Entry<String, WaitingEntry>> due = new ArrayList<>();
        for (Map.Entry<String, WaitingEntry> e : waiting.entries()) {
            if (all || deadline(e.getValue()) <= nowMs) {
                due.add(e);
            }
        }
        due.sort(Comparator.<Map.Entry<String, WaitingEntry>>comparingLong(e -> deadline(e.getValue()))
                .thenComparing(Map.Entry::getKey));
        List<Release> out = new ArrayList<>(due.size());
        for (Map.Entry<String, WaitingEntry> e : due) {
            waiting.delete(e.getKey());
            WaitingEntry w = e.getValue();
            boolean request = AuditEntry.REQUEST.equals(w.event().type());
            out.add(alone(w.event(), request ? PairingStatus.UNANSWERED : PairingStatus.RESPONSE_ONLY,
                    w.replayOrigin()));
        }
        return out;
    }

    private static Release alone(AuditEvent event, PairingStatus status, String replayOrigin) {
        return new Release(new PairedEvent(event, Pairing.of(status)), replayOrigin);
    }
}
