package io.auditrail.streams.rules;

import io.auditrail.core.event.PairedEvent;
import java.time.Instant;
import java.util.List;

/**
 * One firing of one rule, before merging: the subject it groups by, the event time, the events that made it
 * fire (the last is the trigger) and a human description that never holds a token or secret value.
 */
public record Finding(RuleName rule, String subject, Instant time, List<String> eventIds, String description,
                      PairedEvent trigger) {

    public Finding {
        eventIds = List.copyOf(eventIds);
    }

    public static Finding of(RuleName rule, PairedEvent trigger, String description) {
        return new Finding(rule, Subject.of(trigger), trigger.event().time(), List.of(trigger.event().eventId()),
                description, trigger);
    }
}
