package io.auditrail.reports.console;

import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.EmbeddedS3;
import io.auditrail.reports.api.ReportsApi;
import io.auditrail.reports.testing.ReportsFixture;
import io.auditrail.reports.token.CreatedToken;
import io.auditrail.reports.token.Role;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The console's test world: two tenants (acme, globex) and platform events in a fresh database, one archived raw
 * line of acme (with a byte that is not UTF-8 and markup in it), one acme event whose path is hostile markup,
 * anomalies of each, tokens of every kind, and one Javalin server with the API and the console mounted together, the
 * way the app mounts them.
 */
final class ConsoleWorld implements AutoCloseable {
    static final int ACME_EVENTS = 30;
    static final int GLOBEX_EVENTS = 12;
    static final String HOSTILE_PATH = "secret/data/tenants/acme/<script>alert('x')</script>&\"";
    static final String GLOBEX_MARK = "tenants/globex/";

    final ReportsFixture fixture;
    final ReportsApi api;
    final AuditorConsole console;
    final Javalin server;
    final String base;
    final List<ReportsFixture.Event> acme = new ArrayList<>();
    final List<ReportsFixture.Event> globex = new ArrayList<>();
    final UUID acmeAnomaly = UUID.randomUUID();
    final UUID globexAnomaly = UUID.randomUUID();
    final UUID platformAnomaly = UUID.randomUUID();
    final byte[] archivedLine;
    final ReportsFixture.Event archivedEvent;
    final ReportsFixture.Event hostileEvent;
    final CreatedToken admin;
    final CreatedToken compliance;
    final CreatedToken auditorA;
    final CreatedToken auditorB;
    final CreatedToken revoked;

    ConsoleWorld(EmbeddedPostgres pg, EmbeddedS3 s3) throws Exception {
        fixture = ReportsFixture.create(pg, s3, Files.createTempDirectory("console-it-"));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (int i = 0; i < ACME_EVENTS; i++) {
            Instant t = now.minus(Duration.ofMinutes(2 + i * 5L));
            String path = i == 1 ? HOSTILE_PATH : "secret/data/tenants/acme/app-" + (i % 4);
            acme.add(new ReportsFixture.Event(UUID.randomUUID(), t, "acme", i % 3 == 0 ? "list" : "read", path,
                    i % 7 == 0 ? "denied" : "ok", "entity-acme-" + (i % 2), i % 2 == 0 ? "alice" : "carol",
                    i == 2 ? 0 : null, i == 2 ? 21L : null));
        }
        for (int i = 0; i < GLOBEX_EVENTS; i++) {
            globex.add(new ReportsFixture.Event(UUID.randomUUID(), now.minus(Duration.ofMinutes(3 + i * 6L)),
                    "globex", "read", "secret/data/tenants/globex/db-" + i, "ok", "entity-globex-1", "gina",
                    i == 0 ? 0 : null, i == 0 ? 22L : null));
        }
        ReportsFixture.Event platform = new ReportsFixture.Event(UUID.randomUUID(), now.minusSeconds(400), null,
                "update", "sys/audit/file", "ok", "root", "root", null, null);
        fixture.insert(acme);
        fixture.insert(globex);
        fixture.insert(List.of(platform));
        hostileEvent = acme.get(1);
        archivedEvent = acme.get(2);
        fixture.insertAnomaly(acmeAnomaly, "acme", "read_rate_spike", "medium", now.minusSeconds(600),
                acme.get(0).id());
        fixture.insertAnomaly(globexAnomaly, "globex", "cross_tenant_access", "critical", now.minusSeconds(500),
                globex.get(0).id());
        fixture.insertAnomaly(platformAnomaly, null, "audit_device_change", "critical", now.minusSeconds(100),
                platform.id());

        byte[] line = "{\"type\":\"response\",\"path\":\"<b>acme</b>\",\"note\":\"caf\u00e9 X\"}"
                .getBytes(StandardCharsets.UTF_8);
        line[line.length - 3] = (byte) 0xff; // the X: not UTF-8, must be shown as \xFF, not hidden or replaced
        archivedLine = line;
        fixture.archive(0, 20, archivedEvent.time(), List.of("{\"n\":20}".getBytes(StandardCharsets.UTF_8),
                archivedLine, ("{\"path\":\"secret/data/" + GLOBEX_MARK + "db-0\"}").getBytes(StandardCharsets.UTF_8)));

        api = ReportsApi.open(fixture.settings, new SimpleMeterRegistry());
        console = new AuditorConsole(api, fixture.settings);
        server = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            api.routes(cfg.routes);
            console.routes(cfg.routes);
        }).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port();
        api.checkReady();
        admin = api.tokens().create("console admin", Role.ADMIN, Set.of(), Duration.ofHours(1), "cli");
        compliance = api.tokens().create("console compliance", Role.COMPLIANCE, Set.of(), Duration.ofHours(1), "cli");
        auditorA = api.tokens().create("acme auditor", Role.AUDITOR, Set.of("acme"), Duration.ofHours(1), "cli");
        auditorB = api.tokens().create("globex auditor", Role.AUDITOR, Set.of("globex"), Duration.ofHours(1), "cli");
        revoked = api.tokens().create("revoked", Role.ADMIN, Set.of(), Duration.ofHours(1), "cli");
        api.tokens().revoke(revoked.tokenId());
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
        if (console != null) {
            console.close();
        }
        if (api != null) {
            api.close();
        }
    }
}
