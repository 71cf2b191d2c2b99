package io.auditrail.reports.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.EmbeddedS3;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import io.auditrail.reports.ReportsConfig;
import io.auditrail.reports.console.AuditorConsole;
import io.auditrail.reports.testing.HttpCalls;
import io.auditrail.reports.testing.HttpCalls.Answer;
import io.auditrail.reports.testing.ReportsFixture;
import io.auditrail.reports.token.CreatedToken;
import io.auditrail.reports.token.Role;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 17, item 3: without a token, {@code GET /api/v1/tenants/victim/events} wrote a meta-audit row filed under
 * victim, with no limit, so anyone could bloat victim's meta-audit and its evidence pack. From the outside: an
 * anonymous flood (no token, made-up tokens, failed console sign-ins) files nothing under victim, costs the
 * meta-audit a bounded number of rows that still count every call, is answered 429 with Retry-After once over the
 * address's budget, and never stops a caller with a valid token.
 */
@ExtendWith(EmbeddedServicesExtension.class)
@Timeout(180)
class UnauthenticatedFloodIT {
    private static final int BUDGET = 5;
    private static final int FLOOD = 300;

    @Test
    void anAnonymousFloodFilesNothingUnderTheTenantAndIsCountedInFewRows(EmbeddedPostgres pg, EmbeddedS3 s3)
            throws Exception {
        ReportsFixture fixture = ReportsFixture.create(pg, s3, Files.createTempDirectory("flood-"));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        fixture.insert(List.of(new ReportsFixture.Event(UUID.randomUUID(), now.minusSeconds(60), "victim", "read",
                "secret/data/tenants/victim/db", "ok", "entity-v", "vera", null, null)));
        var settings = fixture.settings.with(Map.of(ReportsConfig.LIMIT_UNAUTHENTICATED_PER_MINUTE,
                Integer.toString(BUDGET)));
        try (ReportsApi api = ReportsApi.open(settings, new SimpleMeterRegistry());
             AuditorConsole console = new AuditorConsole(api, settings)) {
            Javalin server = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                api.routes(cfg.routes);
                console.routes(cfg.routes);
            }).start("127.0.0.1", 0);
            try {
                HttpCalls http = new HttpCalls("http://127.0.0.1:" + server.port());
                CreatedToken victimAuditor = api.tokens().create("victim auditor", Role.AUDITOR, Set.of("victim"),
                        Duration.ofHours(1), "cli");
                int unauthorized = 0;
                int throttled = 0;
                long started = System.nanoTime();
                for (int i = 0; i < FLOOD; i++) {
                    Answer a = switch (i % 3) {
                        case 0 -> http.get("/api/v1/tenants/victim/events", null);
                        case 1 -> http.get("/api/v1/tenants/victim/events?limit=5",
                                "Bearer art_" + "A".repeat(42) + (i % 10));
                        default -> http.postForm("/sign-in", Map.of("token", "art_guess" + i), null);
                    };
                    if (a.status() == 401) {
                        unauthorized++;
                    } else {
                        assertThat(a.status()).as("call " + i).isEqualTo(429);
                        assertThat(Long.parseLong(a.header("Retry-After"))).isBetween(1L, 60L);
                        throttled++;
                    }
                    if (i % 50 == 0) {
                        // the tenant's own auditor, from the same address, is never held back by the flood
                        Answer own = http.get("/api/v1/tenants/victim/events", HttpCalls.bearer(victimAuditor.bearer()));
                        assertThat(own.status()).isEqualTo(200);
                        assertThat(own.json().path("events")).hasSize(1);
                    }
                }
                // the budget, plus what it refilled (BUDGET a minute) while the flood ran
                long refilled = (System.nanoTime() - started) / 1_000_000_000L * BUDGET / 60 + 1;
                assertThat(unauthorized).as("the address's budget, recorded one by one")
                        .isBetween(BUDGET, (int) (BUDGET + refilled));
                assertThat(throttled).isEqualTo(FLOOD - unauthorized);
                api.flushRefusals();

                // nothing filed under victim by anyone without a token
                assertThat(fixture.count("SELECT count(*) FROM meta_audit WHERE token_id IS NULL AND (tenant_id = "
                        + "'victim' OR tenant_ids @> ARRAY['victim'])")).isZero();
                // few rows, and every call accounted for: the budget one by one, the rest in one row per route
                assertThat(fixture.count("SELECT count(*) FROM meta_audit WHERE token_id IS NULL AND calls = 1"))
                        .isEqualTo(unauthorized);
                // one summary row per route and flush (the flush runs every minute; this flood takes seconds)
                assertThat(fixture.count("SELECT count(*) FROM meta_audit WHERE token_id IS NULL AND calls > 1"))
                        .isBetween(2L, 4L);
                assertThat(fixture.count("SELECT sum(calls) FROM meta_audit WHERE token_id IS NULL")).isEqualTo(FLOOD);
                assertThat(fixture.rows("SELECT route, outcome, status, calls, detail FROM meta_audit WHERE token_id "
                        + "IS NULL AND outcome = 'throttled' ORDER BY route")).allSatisfy(r -> {
                            assertThat(r).containsEntry("status", 429);
                            assertThat((String) r.get("detail")).contains("without a valid token", "1 address");
                        }).extracting(r -> r.get("route")).containsOnly("/api/v1/tenants/{tenant}/events", "/sign-in")
                        .contains("/api/v1/tenants/{tenant}/events", "/sign-in");

                // and victim's evidence pack shows only victim's own auditor at work
                Answer pack = http.get("/api/v1/reports/soc2?tenant=victim&format=json&from="
                        + now.minus(Duration.ofDays(1)) + "&to=" + now.plus(Duration.ofHours(1)),
                        HttpCalls.bearer(victimAuditor.bearer()));
                assertThat(pack.status()).isEqualTo(200);
                var meta = pack.json().path("facts").path("meta_audit");
                assertThat(meta).isNotEmpty().allSatisfy(row -> assertThat(row.path("token_id").asText())
                        .isEqualTo(victimAuditor.tokenId()));
            } finally {
                server.stop();
            }
        }
    }
}
