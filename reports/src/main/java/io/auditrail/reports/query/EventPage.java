package io.auditrail.reports.query;

import java.time.Instant;
import java.util.List;

/**
 * One page of an event search, newest first, over [{@code from}, {@code to}); {@code nextCursor} is null on the
 * last page.
 */
public record EventPage(String tenant, Instant from, Instant to, List<EventRecord> events, String nextCursor) {
    public EventPage {
        events = List.copyOf(events);
    }
}
