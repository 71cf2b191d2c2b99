package io.auditrail.streams.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * The recent events of one key, oldest first (event times in epoch ms), kept in time order whatever order they arrive
 * in: an actor's events come from different raw partitions, which do not progress in step. Enough to tell whether
 * {@code limit} events fell within one window, and which.
 */
public record RecentEvents(List<Long> times, List<String> eventIds) {
    public RecentEvents {
        times = List.copyOf(times);
        eventIds = List.copyOf(eventIds);
    }

    public static final RecentEvents EMPTY = new RecentEvents(List.of(), List.of());

    /** The events of the densest window that holds a given event, oldest first. */
    public record Window(List<String> eventIds) {
        public int size() {
            return eventIds.size();
        }
    }

    /**
     * This state with one more event, inserted in time order (an event already held is not added twice). Events that
     * can no longer share a window with the newest are dropped; at most {@code 4 * limit} are kept, the newest.
     */
    public RecentEvents plus(long timeMs, String eventId, long windowMs, int limit) {
        if (eventIds.contains(eventId)) {
            return this;
        }
        List<Long> t = new ArrayList<>(times.size() + 1);
        List<String> ids = new ArrayList<>(times.size() + 1);
        int at = 0;
        while (at < times.size() && times.get(at) <= timeMs) {
            at++;
        }
        t.addAll(times.subList(0, at));
        ids.addAll(eventIds.subList(0, at));
        t.add(timeMs);
        ids.add(eventId);
        t.addAll(times.subList(at, times.size()));
        ids.addAll(eventIds.subList(at, eventIds.size()));
        long horizon = t.get(t.size() - 1) - 2 * windowMs; // a late event may still close a window one width back
        int from = 0;
        while (from < t.size() && t.get(from) <= horizon) {
            from++;
        }
        from = Math.max(from, t.size() - 4 * limit);
        return new RecentEvents(t.subList(from, t.size()), ids.subList(from, ids.size()));
    }

    /**
     * The window of {@code windowMs} holding the event at {@code timeMs} with the most events (a window starts at one
     * of the held events); the newest {@code limit} of its events.
     */
    public Window densestAround(long timeMs, long windowMs, int limit) {
        int bestFrom = 0;
        int bestTo = -1;
        for (int i = 0; i < times.size(); i++) {
            long start = times.get(i);
            if (start > timeMs || start + windowMs <= timeMs) {
                continue; // this window would not hold the event
            }
            int j = i;
            while (j + 1 < times.size() && times.get(j + 1) < start + windowMs) {
                j++;
            }
            if (j - i > bestTo - bestFrom) {
                bestFrom = i;
                bestTo = j;
            }
        }
        if (bestTo < bestFrom) {
            return new Window(List.of());
        }
        int from = Math.max(bestFrom, bestTo + 1 - limit);
        return new Window(eventIds.subList(from, bestTo + 1));
    }

    public int size() {
        return times.size();
    }

    public long newest() {
        return times.isEmpty() ? Long.MIN_VALUE : times.get(times.size() - 1);
    }
}
