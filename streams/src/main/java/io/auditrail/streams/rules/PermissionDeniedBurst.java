package io.auditrail.streams.rules;

import io.auditrail.core.event.Outcome;
import io.auditrail.core.event.PairedEvent;
import java.time.Duration;

/** Fires when one actor (or, without an identity, one address) is denied {@code threshold} times in the window. */
public final class PermissionDeniedBurst extends BurstRule {
    public PermissionDeniedBurst(int threshold, Duration window) {
        super(threshold, window);
    }

    @Override
    public RuleName name() {
        return RuleName.PERMISSION_DENIED_BURST;
    }

    @Override
    boolean counts(PairedEvent event) {
        return event.effectiveOutcome() == Outcome.DENIED && !Subject.isLogin(event.event().path());
    }

    @Override
    String describe(PairedEvent trigger, String subject, int count, Duration window) {
        return count + " denied requests by " + Finding.who(subject, trigger.event().actor())
                + " within " + window.toSeconds() + " s, the last " + trigger.event().operation() + " "
                + trigger.event().path();
    }
}
