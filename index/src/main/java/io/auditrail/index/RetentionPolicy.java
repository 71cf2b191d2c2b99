package io.auditrail.index;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Which days the index holds, relative to today (UTC): from {@code today - retentionDays} (the oldest retained day)
 * to {@code today + aheadDays} (the newest day with a partition created ahead). Pure date math.
 *
 * <p>With 90 days, on 2026-04-10 the oldest retained day is 2026-01-10: the 90 whole days before today plus today
 * are kept, so an auditor always finds at least 90 days.
 */
public record RetentionPolicy(int retentionDays, int aheadDays) {
    public RetentionPolicy {
        if (retentionDays < 1) {
            throw new IllegalArgumentException("retentionDays must be >= 1, got " + retentionDays);
        }
        if (aheadDays < 1) {
            throw new IllegalArgumentException("aheadDays must be >= 1, got " + aheadDays);
        }
    }

    public LocalDate oldestRetained(LocalDate today) {
        return today.minusDays(retentionDays);
    }

    public LocalDate newestAccepted(LocalDate today) {
        return today.plusDays(aheadDays);
    }

    /** Events of this day are past retention: counted and skipped; its partition is dropped. */
    public boolean isExpired(LocalDate day, LocalDate today) {
        return day.isBefore(oldestRetained(today));
    }

    /** Events of this day are implausibly far in the future (a wrong clock): dead-lettered, not indexed. */
    public boolean isTooFarAhead(LocalDate day, LocalDate today) {
        return day.isAfter(newestAccepted(today));
    }

    /** The partitions that should exist ahead of writes: today through today + aheadDays. */
    public List<EventPartition> ahead(LocalDate today) {
        List<EventPartition> out = new ArrayList<>();
        for (LocalDate d = today; !d.isAfter(newestAccepted(today)); d = d.plusDays(1)) {
            out.add(new EventPartition(d));
        }
        return out;
    }

    /** Of these partitions, those to drop, oldest first. */
    public List<EventPartition> toDrop(List<EventPartition> existing, LocalDate today) {
        return existing.stream().filter(p -> isExpired(p.day(), today))
                .sorted((a, b) -> a.day().compareTo(b.day())).toList();
    }
}
