package io.auditrail.streams;

import io.auditrail.core.event.AuditEvent;

/** A raw line after parsing: the event, or null with the line for the dead-letter topic. Never leaves the task. */
public record Parsed(AuditEvent event, byte[] line) {
    public boolean failed() {
        return event == null;
    }
}
