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

    /** A subject for a description: {@code "entity:e1 (alice)"}, or just the subject when the actor has no name. */
    static String who(String subject, io.auditrail.core.event.Actor actor) {
        String name = actor == null ? null : actor.displayName();
        return name == null || name.isEmpty() ? subject : subject + " (" + name + ")";
    }

    /** An actor's display name, else its entity id, else "an unnamed token": never "null" in a description. */
    static String name(io.auditrail.core.event.Actor actor) {
        if (actor != null && actor.displayName() != null && !actor.displayName().isEmpty()) {
            return actor.displayName();
        }
        return actor != null && actor.entityId() != null && !actor.entityId().isEmpty() ? actor.entityId()
                : "an unnamed token";
    }

    public static Finding of(RuleName rule, PairedEvent trigger, String description) {
        return new Finding(rule, Subject.of(trigger), trigger.event().time(), List.of(trigger.event().eventId()),
                description, trigger);
    }
}
