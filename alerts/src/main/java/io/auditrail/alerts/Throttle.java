package io.auditrail.alerts;

import io.auditrail.core.anomaly.Anomaly;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One page per rule and actor per window, so one scraping client makes one page, not thousands. The first anomaly of
 * a (rule, actor) opens a window and passes; other anomalies in the window are throttled and counted; the first to
 * pass after the window carries that count ({@link Decision#folded()}). Later revisions of an anomaly that passed
 * also pass: they update the same incident (PagerDuty dedup key) with the final count.
 *
 * <p>State is in memory (one loop thread uses it) and bounded: the least recently used keys are forgotten beyond
 * {@link #MAX_KEYS}; after a restart the first anomaly of each key pages again, which errs towards telling people.
 */
final class Throttle {
    static final int MAX_KEYS = 100_000;

    /** Pass with {@code folded} repeats folded in, or throttled. */
    record Decision(boolean pass, long folded) {
        static final Decision THROTTLED = new Decision(false, 0);
    }

    private record Key(String rule, String actor) {
    }

    private static final class Window {
        Instant start;
        long suppressed;
        /** The anomaly that opened the window: its revisions pass. */
        String passed;
    }

    private final Duration window;
    private final Clock clock;
    private final Map<Key, Window> windows = new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Window> eldest) {
            return size() > MAX_KEYS;
        }
    };

    Throttle(Duration window, Clock clock) {
        this.window = window;
        this.clock = clock;
    }

    Decision decide(Anomaly a) {
        if (window.isZero()) {
            return new Decision(true, 0);
        }
        Instant now = clock.instant();
        Key key = new Key(a.rule(), a.actor());
        Window w = windows.get(key);
        if (w == null || !now.isBefore(w.start.plus(window))) {
            long folded = w == null ? 0 : w.suppressed;
            Window fresh = new Window();
            fresh.start = now;
            fresh.passed = a.anomalyId();
            windows.put(key, fresh);
            return new Decision(true, folded);
        }
        if (w.passed.equals(a.anomalyId())) {
            return new Decision(true, 0);
        }
        if (a.revision() <= 1) {
            w.suppressed++; // a later revision of a throttled anomaly is the same anomaly: counted once
        }
        return Decision.THROTTLED;
    }

    int keys() {
        return windows.size();
    }
}
