package io.auditrail.streams.rules;

import io.auditrail.core.event.Outcome;
import io.auditrail.core.event.PairedEvent;
import java.time.Duration;

/** Fires when logins from one source address fail {@code threshold} times in the window (password spraying). */
public final class LoginFailureBurst extends BurstRule {
    public LoginFailureBurst(int threshold, Duration window) {
        super(threshold, window);
    }

    @Override
    public RuleName name() {
        return RuleName.LOGIN_FAILURE_BURST;
    }

    @Override
    boolean counts(PairedEvent event) {
        return Subject.isLogin(event.event().path()) && event.effectiveOutcome() != Outcome.OK;
    }

    @Override
    String describe(PairedEvent trigger, String subject, int count, Duration window) {
        return count + " failed logins from " + subject + " within " + window.toSeconds() + " s, the last on "
                + trigger.event().path();
    }
}
