package io.auditrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RefusedLineRateTest {
    @Test
    void aBurstOfOneSecondThenTheRate() {
        RefusedLineRate rate = new RefusedLineRate(10_000);
        long t = 1_000_000_000L;
        assertThat(rate.tryTake(6_000, t)).isTrue();
        assertThat(rate.tryTake(4_000, t)).isTrue();
        assertThat(rate.tryTake(1, t)).isFalse();
        assertThat(rate.tryTake(4_000, t + 300_000_000L)).as("3,000 bytes back after 0.3 s").isFalse();
        assertThat(rate.tryTake(4_000, t + 500_000_000L)).isTrue();
        // idle for long: never more than one second's worth
        assertThat(rate.tryTake(10_000, t + 60_000_000_000L)).isTrue();
        assertThat(rate.tryTake(100, t + 60_000_000_000L)).isFalse();
    }
}
