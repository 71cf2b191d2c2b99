package io.auditrail.streams.rules;

import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.PairedEvent;
import io.auditrail.streams.tenant.TenantProfile;
import io.auditrail.streams.tenant.TenantProfiles;
import java.time.ZoneId;
import java.util.Optional;

/** Fires on a request outside its tenant's business hours; tenants without hours in the directory never fire. */
public final class OffHoursAccess implements EventRule {
    private final TenantProfiles profiles;

    public OffHoursAccess(TenantProfiles profiles) {
        this.profiles = profiles;
    }

    @Override
    public RuleName name() {
        return RuleName.OFF_HOURS_ACCESS;
    }

    @Override
    public Optional<Finding> check(PairedEvent p) {
        AuditEvent e = p.event();
        if (!p.isPrimary() || e.tenantId() == null) {
            return Optional.empty();
        }
        Optional<TenantProfile> profile = profiles.profile(e.tenantId());
        if (profile.isEmpty() || !profile.get().isOutsideBusinessHours(e.time())) {
            return Optional.empty();
        }
        String zone = profile.get().timeZone() == null ? "UTC" : profile.get().timeZone();
        return Optional.of(Finding.of(name(), p, e.operation() + " " + e.path() + " by " + Finding.name(e.actor())
                + " at " + e.time().atZone(ZoneId.of(zone)).toLocalDateTime().withNano(0) + " " + zone
                + ", outside the business hours of tenant " + e.tenantId()));
    }
}
