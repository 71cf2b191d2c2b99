package io.auditrail.app.dev;

import io.auditrail.core.config.Settings;
import io.auditrail.reports.api.ReportsApi;
import io.auditrail.reports.token.Role;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Set;

/**
 * The admin token a dev stack prints at start, so a newcomer can call the API and sign in to the console at once.
 * A new one each start (only hashes are stored, an old one cannot be shown again); it lives a day.
 */
final class DevAdminToken {
    private DevAdminToken() {
    }

    static String create(Settings settings) {
        try (ReportsApi api = ReportsApi.open(settings, new SimpleMeterRegistry())) {
            return api.tokens().create("auditrail dev admin", Role.ADMIN, Set.of(), Duration.ofDays(1), "dev").bearer();
        }
    }
}
