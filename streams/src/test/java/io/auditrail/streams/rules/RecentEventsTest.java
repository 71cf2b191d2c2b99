package io.auditrail.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Bursts counted in event time whatever order the events arrive in (an actor's events come from several partitions). */
class RecentEventsTest {
    private static final long MINUTE = 60_000;

    @Test
    void inOrderTheWindowEndingAtTheEventCounts() {
        RecentEvents r = RecentEvents.EMPTY;
        for (int i = 0; i < 5; i++) {
            r = r.plus(i * 10_000L, "e" + i, MINUTE, 5);
        }
        assertThat(r.densestAround(40_000, MINUTE, 5).eventIds()).containsExactly("e0", "e1", "e2", "e3", "e4");
    }

    @Test
    void aLateEventCompletesTheBurstItBelongsTo() {
        RecentEvents r = RecentEvents.EMPTY;
        // four failures arrive first, the one between them last (its partition lagged behind)
        for (long t : new long[] {0, 10_000, 30_000, 40_000}) {
            r = r.plus(t, "e" + t, MINUTE, 5);
            assertThat(r.densestAround(t, MINUTE, 5).size()).isLessThan(5);
        }
        r = r.plus(20_000, "e20000", MINUTE, 5);
        assertThat(r.densestAround(20_000, MINUTE, 5).eventIds())
                .containsExactly("e0", "e10000", "e20000", "e30000", "e40000");
    }

    @Test
    void eventsSpreadWiderThanTheWindowAreNoBurstWhateverTheOrder() {
        RecentEvents r = RecentEvents.EMPTY;
        for (long t : new long[] {200_000, 100_000, 0, 150_000, 50_000}) {
            r = r.plus(t, "e" + t, MINUTE, 5);
            assertThat(r.densestAround(t, MINUTE, 5).size()).as("at %d", t).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void theSameEventTwiceCountsOnce() {
        RecentEvents r = RecentEvents.EMPTY.plus(0, "e", MINUTE, 5).plus(0, "e", MINUTE, 5);
        assertThat(r.size()).isEqualTo(1);
    }
}
