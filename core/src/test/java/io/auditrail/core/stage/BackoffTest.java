package io.auditrail.core.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The back-off every stage retries with (alerts' own, before the kit, pinned these with its settings). */
class BackoffTest {
    @Test
    void theBaseDoublesPerFailureUpToTheMaximum() {
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(60), bound -> 0);
        assertThat(b.baseMillis(1)).isEqualTo(500);
        assertThat(b.baseMillis(2)).isEqualTo(1000);
        assertThat(b.baseMillis(3)).isEqualTo(2000);
        assertThat(b.baseMillis(8)).isEqualTo(60_000);
        assertThat(b.baseMillis(1000)).isEqualTo(60_000); // no overflow
    }

    @Test
    void theJitteredDelayStaysBetweenHalfTheBaseAndTheBase() {
        Random r = new Random(42);
        Backoff b = new Backoff(Duration.ofMillis(1000), Duration.ofSeconds(30), bound -> r.nextLong(bound));
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2000; i++) {
            long d = b.delay(3).toMillis(); // base 4000
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isBetween(2000L, 2100L);
        assertThat(max).isBetween(3900L, 4000L);
    }

    @Test
    void theExtremesOfTheRandomnessAreTheBounds() {
        assertThat(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), bound -> 0).delay(1))
                .isEqualTo(Duration.ofMillis(50));
        assertThat(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), bound -> bound - 1).delay(1))
                .isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void anInitialAboveTheMaximumIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), bound -> 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
