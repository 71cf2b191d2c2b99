package io.auditrail.streams.pairing;

import io.auditrail.core.event.AuditEvent;

/**
 * An entry waiting for its counterpart: the request or the response of one {@code request.id}, whichever arrived
 * first.
 *
 * @param sinceMs      when it began waiting, on the pairing's clock (an entry restored from an earlier run of the
 *                     stage may be older than the run: {@link RequestPairing} then counts from the run's start)
 * @param replayOrigin the archive replay mark of its raw line, or null for a live line; carried to the event it is
 *                     released as, so a replayed entry released on its own is still known as replayed
 */
public record WaitingEntry(AuditEvent event, long sinceMs, String replayOrigin) {
}
