package io.auditrail.streams.rules;

import io.auditrail.core.event.PairedEvent;
import java.time.Duration;

/** Fires when one actor sends {@code threshold} LIST requests (KV metadata listings and others) in the window. */
public final class SecretEnumeration extends BurstRule {
    public SecretEnumeration(int threshold, Duration window) {
        super(threshold, window);
    }

    @Override
    public RuleName name() {
        return RuleName.SECRET_ENUMERATION;
    }

    @Override
    boolean counts(PairedEvent event) {
        return "list".equals(event.event().operation());
    }

    @Override
    String describe(PairedEvent trigger, String subject, int count, Duration window) {
        return count + " LIST requests by " + Finding.who(subject, trigger.event().actor()) + " within "
                + window.toSeconds() + " s, the last on " + trigger.event().path();
    }
}
