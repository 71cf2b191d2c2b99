package io.auditrail.streams.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * The last events of one key within a sliding window, at most {@code limit} of them: enough to tell whether
 * {@code limit} events fell within the window, and which. Event times in epoch ms, oldest first.
 */
public record RecentEvents(List<Long> times, List<String> eventIds) {
    public RecentEvents {
        times = List.copyOf(times);
        eventIds = List.copyOf(eventIds);
    }

    public static final RecentEvents EMPTY = new RecentEvents(List.of(), List.of());

    /** This window with one more event, events older than {@code windowMs} before it dropped, capped at limit. */
    public RecentEvents plus(long timeMs, String eventId, long windowMs, int limit) {
        List<Long> t = new ArrayList<>(times.size() + 1);
        List<String> ids = new ArrayList<>(times.size() + 1);
        for (int i = 0; i < times.size(); i++) {
            if (times.get(i) > timeMs - windowMs) {
                t.add(times.get(i));
                ids.add(eventIds.get(i));
            }
        }
        t.add(timeMs);
        ids.add(eventId);
        int from = Math.max(0, t.size() - limit);
        return new RecentEvents(t.subList(from, t.size()), ids.subList(from, ids.size()));
    }

    public int size() {
        return times.size();
    }

    public long newest() {
        return times.isEmpty() ? Long.MIN_VALUE : times.get(times.size() - 1);
    }
}
