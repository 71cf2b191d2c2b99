package io.auditrail.streams.pairing;

import io.auditrail.core.event.AuditEvent;

/** A request entry waiting for its response, with the time (stream time, ms) after which it is a gap. */
public record PendingRequest(AuditEvent event, long deadlineMs) {
}
