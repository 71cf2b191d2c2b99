package io.auditrail.streams.rules;

import io.auditrail.core.event.PairedEvent;
import java.util.Optional;

/** A rule that looks at one event at a time: no state, no clock, no I/O. */
public interface EventRule {
    RuleName name();

    Optional<Finding> check(PairedEvent event);
}
