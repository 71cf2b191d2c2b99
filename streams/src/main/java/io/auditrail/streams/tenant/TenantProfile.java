package io.auditrail.streams.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.auditrail.core.event.EventCodec;
import java.io.IOException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;

/**
 * One tenant of the directory: the value on the compacted tenants topic (key: the tenant id), JSON
 * (docs/ANOMALIES.md, "Tenant directory"). Business hours are local to {@code timeZone}; a tenant without
 * hours has no off-hours rule.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TenantProfile(String tenantId, String name, String timeZone, BusinessHours businessHours,
                            List<String> entityIds) {

    public TenantProfile {
        entityIds = entityIds == null ? List.of() : List.copyOf(entityIds);
        if (timeZone != null) {
            ZoneId.of(timeZone); // refuse a bad zone when the record is read, not when a rule runs
        }
    }

    /**
     * Working days and the local time span of a working day; {@code end} before {@code start} spans midnight.
     */
    public record BusinessHours(Set<DayOfWeek> days, LocalTime start, LocalTime end) {
        public BusinessHours {
            days = days == null || days.isEmpty() ? Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY,
                    DayOfWeek.THURSDAY, DayOfWeek.FRIDAY) : Set.copyOf(days);
            if (start == null || end == null) {
                throw new IllegalArgumentException("business_hours needs start and end (HH:mm)");
            }
        }
    }

    /** True when the tenant has hours and {@code time} falls outside them, in the tenant's zone. */
    public boolean isOutsideBusinessHours(Instant time) {
        if (businessHours == null || time == null) {
            return false;
        }
        ZonedDateTime local = time.atZone(timeZone == null ? ZoneId.of("UTC") : ZoneId.of(timeZone));
        LocalTime t = local.toLocalTime();
        BusinessHours h = businessHours;
        if (!h.end().isBefore(h.start())) {
            return !h.days().contains(local.getDayOfWeek()) || t.isBefore(h.start()) || !t.isBefore(h.end());
        }
        // a night shift: the part after midnight belongs to the previous day's shift
        if (!t.isBefore(h.start())) {
            return !h.days().contains(local.getDayOfWeek());
        }
        if (t.isBefore(h.end())) {
            return !h.days().contains(local.getDayOfWeek().minus(1));
        }
        return true;
    }

    public static TenantProfile fromJson(byte[] json) throws IOException {
        return EventCodec.mapper().readValue(json, TenantProfile.class);
    }

    public byte[] toJson() {
        try {
            return EventCodec.mapper().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("a TenantProfile always serialises", e);
        }
    }
}
