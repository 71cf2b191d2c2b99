package io.auditrail.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.anomaly.Severity;
import io.auditrail.core.testing.MovingClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThrottleTest {
    private final MovingClock clock = new MovingClock(Anomalies.T0);
    private final Throttle throttle = new Throttle(Duration.ofMinutes(10), clock);

    @Test
    void theFirstAnomalyOfARuleAndActorPagesAndRepeatsInTheWindowAreThrottled() {
        assertThat(throttle.decide(Anomalies.critical("e-0"))).isEqualTo(new Throttle.Decision(true, 0));
        for (int i = 1; i < 100; i++) {
            clock.advance(Duration.ofSeconds(1));
            assertThat(throttle.decide(Anomalies.critical("e-" + i)).pass()).isFalse();
        }
    }

    @Test
    void theFirstAnomalyAfterTheWindowCarriesTheFoldedCount() {
        throttle.decide(Anomalies.critical("e-0"));
        for (int i = 1; i <= 7; i++) {
            throttle.decide(Anomalies.critical("e-" + i));
        }
        clock.advance(Duration.ofMinutes(10));
        assertThat(throttle.decide(Anomalies.critical("e-8"))).isEqualTo(new Throttle.Decision(true, 7));
        assertThat(throttle.decide(Anomalies.critical("e-9")).pass()).isFalse();
    }

    @Test
    void otherActorsAndOtherRulesAreNotThrottledByIt() {
        throttle.decide(Anomalies.critical("e-0"));
        assertThat(throttle.decide(Anomalies.of("cross_tenant_access", Severity.CRITICAL, "acme", "entity:e-2", "x"))
                .pass()).isTrue();
        assertThat(throttle.decide(Anomalies.of("root_token_use", Severity.HIGH, "acme", "entity:e-1", "y")).pass())
                .isTrue();
    }

    @Test
    void laterRevisionsOfTheAnomalyThatPagedPassAndThoseOfAThrottledOneDoNot() {
        Anomaly paged = Anomalies.critical("e-0");
        Anomaly throttled = Anomalies.critical("e-1");
        throttle.decide(paged);
        throttle.decide(throttled);
        assertThat(throttle.decide(Anomalies.revised(paged, 2, 40)).pass()).isTrue();
        assertThat(throttle.decide(Anomalies.revised(throttled, 2, 3)).pass()).isFalse();
        clock.advance(Duration.ofMinutes(11));
        // one throttled anomaly, counted once although two of its revisions were held back
        assertThat(throttle.decide(Anomalies.critical("e-2")).folded()).isEqualTo(1);
    }

    @Test
    void aZeroWindowDisablesThrottling() {
        Throttle off = new Throttle(Duration.ZERO, clock);
        for (int i = 0; i < 5; i++) {
            assertThat(off.decide(Anomalies.critical("e-" + i)).pass()).isTrue();
        }
    }
}
