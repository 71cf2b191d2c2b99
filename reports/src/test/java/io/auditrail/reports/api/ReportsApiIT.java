package io.auditrail.reports.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.EmbeddedS3;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import io.auditrail.reports.query.AccessDenied;
import io.auditrail.reports.query.AnomalyRecord;
import io.auditrail.reports.query.AnomalySearch;
import io.auditrail.reports.query.AuditQueries;
import io.auditrail.reports.query.EventSearch;
import io.auditrail.reports.testing.ReportsFixture;
import io.auditrail.reports.token.CreatedToken;
import io.auditrail.reports.token.Principal;
import io.auditrail.reports.token.Role;
import io.auditrail.reports.token.TokenStore;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API from the outside: a real Javalin server on a free port, real PostgreSQL and S3, called over HTTP. Two
 * tenants (acme, globex) and platform events; auditors of acme must never see globex, whatever route, id, filter or
 * cursor they try, and every call leaves a meta-audit row.
 */
@ExtendWith(EmbeddedServicesExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class ReportsApiIT {
    private static final int ACME_EVENTS = 250;
    private static final int GLOBEX_EVENTS = 60;
    private static final int PLATFORM_EVENTS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportsFixture fixture;
    private ReportsApi api;
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private Javalin server;
    private final HttpClient http = HttpClient.newHttpClient();
    private String base;

    private final List<ReportsFixture.Event> acme = new ArrayList<>();
    private final List<ReportsFixture.Event> globex = new ArrayList<>();
    private final Map<String, UUID> anomalies = new LinkedHashMap<>();
    private byte[] archivedLine;
    private CreatedToken admin;
    private CreatedToken compliance;
    private CreatedToken auditorA;
    private CreatedToken expired;
    private CreatedToken revoked;

    @BeforeAll
    void start(EmbeddedPostgres pg, EmbeddedS3 s3) throws Exception {
        fixture = ReportsFixture.create(pg, s3, Files.createTempDirectory("reports-it-"));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (int i = 0; i < ACME_EVENTS; i++) {
            // pairs share a time, so the keyset's tie-break on event_id is exercised
            Instant t = now.minus(Duration.ofMinutes(1 + (i / 2) * 10L));
            String path = i == 0 ? "secret/data/tenants/acme/x%y_z" : "secret/data/tenants/acme/app-" + (i % 5);
            acme.add(new ReportsFixture.Event(UUID.randomUUID(), t, "acme", i % 3 == 0 ? "list" : "read", path,
                    i % 10 == 0 ? "denied" : "ok", "entity-acme-" + (i % 2), i % 2 == 0 ? "alice" : "carol",
                    i == 3 ? 0 : null, i == 3 ? 11L : null));
        }
        for (int i = 0; i < GLOBEX_EVENTS; i++) {
            Instant t = now.minus(Duration.ofMinutes(3 + i * 7L));
            globex.add(new ReportsFixture.Event(UUID.randomUUID(), t, "globex", "read",
                    i == 1 ? "secret/data/tenants/globex/a_b%c" : "secret/data/tenants/globex/db", "ok",
                    "entity-globex-1", "alice", i == 0 ? 0 : null, i == 0 ? 12L : null));
        }
        List<ReportsFixture.Event> platform = new ArrayList<>();
        for (int i = 0; i < PLATFORM_EVENTS; i++) {
            platform.add(new ReportsFixture.Event(UUID.randomUUID(), now.minus(Duration.ofMinutes(5 + i)), null,
                    "update", "sys/audit/file", "ok", "root", "root", null, null));
        }
        fixture.insert(acme);
        fixture.insert(globex);
        fixture.insert(platform);
        anomalies.put("acme-1", UUID.randomUUID());
        anomalies.put("acme-2", UUID.randomUUID());
        anomalies.put("globex-1", UUID.randomUUID());
        anomalies.put("platform-1", UUID.randomUUID());
        fixture.insertAnomaly(anomalies.get("acme-1"), "acme", "read_rate_spike", "medium", now.minusSeconds(600),
                acme.get(0).id());
        fixture.insertAnomaly(anomalies.get("acme-2"), "acme", "cross_tenant_access", "critical",
                now.minusSeconds(300), acme.get(1).id());
        fixture.insertAnomaly(anomalies.get("globex-1"), "globex", "read_rate_spike", "medium",
                now.minusSeconds(200), globex.get(0).id());
        fixture.insertAnomaly(anomalies.get("platform-1"), null, "audit_device_change", "critical",
                now.minusSeconds(100), platform.get(0).id());

        archivedLine = "{\"type\":\"request\",\"note\":\"\u00e9\u6f22 x\"}".getBytes(StandardCharsets.UTF_8);
        archivedLine[archivedLine.length - 3] = (byte) 0xff; // not UTF-8: must come back unchanged
        fixture.archive(0, 10, acme.get(3).time(), List.of("{\"n\":10}".getBytes(StandardCharsets.UTF_8),
                archivedLine, "{\"tenant\":\"globex\"}".getBytes(StandardCharsets.UTF_8)));

        api = ReportsApi.open(fixture.settings, metrics);
        server = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            api.routes(cfg.routes);
        }).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port() + "/api/v1";

        api.checkReady();
        TokenStore tokens = api.tokens();
        admin = tokens.create("it admin", Role.ADMIN, Set.of(), Duration.ofHours(1), "cli");
        compliance = tokens.create("it compliance", Role.COMPLIANCE, Set.of(), Duration.ofHours(1), "cli");
        auditorA = tokens.create("acme auditor", Role.AUDITOR, Set.of("acme"), Duration.ofHours(1), "cli");
        expired = new TokenStore(fixture.dataSource, Clock.fixed(now.minus(Duration.ofDays(2)), ZoneOffset.UTC))
                .create("expired", Role.ADMIN, Set.of(), Duration.ofDays(1), "cli");
        revoked = tokens.create("revoked", Role.ADMIN, Set.of(), Duration.ofHours(1), "cli");
        assertThat(tokens.revoke(revoked.tokenId())).isTrue();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.stop();
        }
        if (api != null) {
            api.close();
        }
    }

    // ---- tenant isolation ----

    @Test
    void anAuditorOfAcmeIsRefusedGlobexOnEveryRouteAndEachAttemptIsRecorded() throws Exception {
        UUID globexEvent = globex.get(0).id();
        record Attempt(String method, String path, String route, String tenant) {
        }
        List<Attempt> attempts = List.of(
                new Attempt("GET", "/tenants/globex/events", "/api/v1/tenants/{tenant}/events", "globex"),
                new Attempt("GET", "/tenants/globex/events?path_prefix=secret/&limit=5",
                        "/api/v1/tenants/{tenant}/events", "globex"),
                new Attempt("GET", "/tenants/globex/events?limit=-1", "/api/v1/tenants/{tenant}/events", "globex"),
                new Attempt("GET", "/tenants/-/events", "/api/v1/tenants/{tenant}/events", "-"),
                new Attempt("GET", "/tenants/globex/summary", "/api/v1/tenants/{tenant}/summary", "globex"),
                new Attempt("GET", "/anomalies?tenant=globex", "/api/v1/anomalies", "globex"),
                new Attempt("GET", "/events/" + globexEvent, "/api/v1/events/{event_id}", "globex"),
                new Attempt("GET", "/events/" + globexEvent + "/raw", "/api/v1/events/{event_id}/raw", "globex"),
                new Attempt("POST", "/anomalies/" + anomalies.get("globex-1") + "/disposition",
                        "/api/v1/anomalies/{anomaly_id}/disposition", null),
                new Attempt("GET", "/archive/verify?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z",
                        "/api/v1/archive/verify", null),
                new Attempt("GET", "/reports/soc2?tenant=globex&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z",
                        "/api/v1/reports/soc2", "globex"),
                new Attempt("GET", "/reports/soc2?tenant=globex&format=nonsense", "/api/v1/reports/soc2", "globex"));
        for (Attempt a : attempts) {
            Response r = a.method().equals("GET") ? get(auditorA, a.path())
                    : post(auditorA, a.path(), "{\"status\":\"resolved\"}");
            assertThat(r.status).as(a.path()).isEqualTo(403);
            assertThat(r.json.path("error").path("status").asInt()).isEqualTo(403);
            assertThat(r.json.path("error").path("reason").asText()).isNotBlank();
            Map<String, Object> row = lastMetaAudit(auditorA.tokenId());
            assertThat(row).as(a.path()).containsEntry("outcome", "denied").containsEntry("status", 403)
                    .containsEntry("method", a.method()).containsEntry("route", a.route())
                    .containsEntry("role", "auditor").containsEntry("tenant_id", a.tenant());
            assertThat(String.valueOf(row.get("detail"))).doesNotContain(auditorA.bearer());
        }
        assertThat(metrics.get("auditrail.reports.requests").tags("route", "/tenants/{tenant}/events",
                "outcome", "denied").timer().count()).isGreaterThanOrEqualTo(3);
        // the disposition was refused, not recorded
        assertThat(fixture.count("SELECT count(*) FROM anomaly_disposition WHERE anomaly_id = ?",
                anomalies.get("globex-1"))).isZero();
    }

    @Test
    void globexRowsNeverAppearInAcmeResults() throws Exception {
        List<JsonNode> all = walk(auditorA, "/tenants/acme/events", Map.of(), 1000);
        assertThat(all).hasSize(ACME_EVENTS).allSatisfy(e -> assertThat(e.path("tenant_id").asText()).isEqualTo("acme"));
        // a prefix pointing into globex's paths, and wildcards that would match them if they were not escaped
        for (String prefix : List.of("secret/data/tenants/globex/", "secret/data/tenants/globex/a_b%", "%", "_",
                "secret/data/tenants/%", "secret/data/tenants/_lobex")) {
            Response r = get(auditorA, "/tenants/acme/events" + query(Map.of("path_prefix", prefix)));
            assertThat(r.status).as(prefix).isEqualTo(200);
            assertThat(r.json.path("events")).as(prefix).isEmpty();
        }
        // the literal % and _ of acme's own path do match it
        Response own = get(auditorA, "/tenants/acme/events" + query(Map.of("path_prefix",
                "secret/data/tenants/acme/x%y_")));
        assertThat(ids(own.json)).containsExactly(acme.get(0).id().toString());
        // globex's actor has the same display name as some of acme's: only acme's come back
        List<JsonNode> alice = walk(auditorA, "/tenants/acme/events", Map.of("actor", "alice"), 1000);
        assertThat(alice).hasSize(ACME_EVENTS / 2)
                .allSatisfy(e -> assertThat(e.path("tenant_id").asText()).isEqualTo("acme"));
        // anomalies without a tenant filter: the auditor's scope only
        Response anomaliesSeen = get(auditorA, "/anomalies");
        assertThat(anomaliesSeen.status).isEqualTo(200);
        assertThat(anomalyIds(anomaliesSeen.json)).containsExactlyInAnyOrder(anomalies.get("acme-1").toString(),
                anomalies.get("acme-2").toString());
        Response summary = get(auditorA, "/tenants/acme/summary");
        assertThat(summary.json.path("total").asLong()).isEqualTo(ACME_EVENTS);
        long byOutcome = 0;
        for (JsonNode n : summary.json.path("by_outcome")) {
            byOutcome += n.path("count").asLong();
        }
        assertThat(byOutcome).isEqualTo(ACME_EVENTS);
        assertThat(summary.json.path("by_outcome").toString()).contains("\"outcome\":\"denied\",\"count\":25");
    }

    @Test
    void aCursorIsBoundToItsTenantAndFilters() throws Exception {
        Response first = get(admin, "/tenants/acme/events?limit=10");
        String cursor = first.json.path("next_cursor").asText();
        assertThat(cursor).isNotBlank();
        Response onGlobex = get(admin, "/tenants/globex/events" + query(Map.of("limit", "10", "cursor", cursor)));
        assertThat(onGlobex.status).isEqualTo(400);
        assertThat(onGlobex.json.path("error").path("reason").asText()).startsWith("cursor:");
        Response otherFilter = get(admin, "/tenants/acme/events" + query(Map.of("cursor", cursor, "outcome", "ok")));
        assertThat(otherFilter.status).isEqualTo(400);
        // an auditor's cursor of acme on globex: refused as another tenant, before the cursor is even read
        String auditorCursor = get(auditorA, "/tenants/acme/events?limit=10").json.path("next_cursor").asText();
        assertThat(get(auditorA, "/tenants/globex/events" + query(Map.of("cursor", auditorCursor))).status)
                .isEqualTo(403);
        assertThat(get(admin, "/tenants/acme/events" + query(Map.of("cursor", "garbage"))).status).isEqualTo(400);
    }

    @Test
    void paginationWalksEveryRowExactlyOnceNewestFirst() throws Exception {
        List<JsonNode> events = walk(auditorA, "/tenants/acme/events", Map.of(), 7);
        List<String> ids = events.stream().map(e -> e.path("event_id").asText()).toList();
        assertThat(ids).hasSize(ACME_EVENTS).doesNotHaveDuplicates();
        assertThat(new HashSet<>(ids)).isEqualTo(acme.stream().map(e -> e.id().toString()).collect(Collectors.toSet()));
        for (int i = 1; i < events.size(); i++) {
            Instant prev = Instant.parse(events.get(i - 1).path("time").asText());
            Instant cur = Instant.parse(events.get(i).path("time").asText());
            assertThat(cur).isBeforeOrEqualTo(prev);
            if (cur.equals(prev)) {
                // PostgreSQL orders uuids by unsigned bytes, as their lower-case text sorts (not UUID.compareTo)
                assertThat(ids.get(i)).isLessThan(ids.get(i - 1));
            }
        }
        // filters page too: denied events only, 25 of them, in pages of 10
        assertThat(walk(auditorA, "/tenants/acme/events", Map.of("outcome", "denied"), 10)).hasSize(25);
    }

    @Test
    void complianceAndAdminSeeEveryTenantAndThePlatform() throws Exception {
        assertThat(walk(compliance, "/tenants/globex/events", Map.of(), 1000)).hasSize(GLOBEX_EVENTS);
        assertThat(walk(admin, "/tenants/acme/events", Map.of(), 1000)).hasSize(ACME_EVENTS);
        assertThat(walk(admin, "/tenants/-/events", Map.of(), 1000)).hasSize(PLATFORM_EVENTS)
                .allSatisfy(e -> assertThat(e.path("tenant_id").isNull()).isTrue());
        Response one = get(compliance, "/events/" + globex.get(5).id());
        assertThat(one.status).isEqualTo(200);
        assertThat(one.json.path("tenant_id").asText()).isEqualTo("globex");
        assertThat(one.json.path("detail").path("schema").asInt()).isEqualTo(1);
        assertThat(anomalyIds(get(admin, "/anomalies").json)).hasSize(4);
        assertThat(anomalyIds(get(compliance, "/anomalies?tenant=globex").json))
                .containsExactly(anomalies.get("globex-1").toString());
        assertThat(anomalyIds(get(compliance, "/anomalies?severity=critical").json)).containsExactlyInAnyOrder(
                anomalies.get("acme-2").toString(), anomalies.get("platform-1").toString());
        Response own = get(auditorA, "/events/" + acme.get(7).id());
        assertThat(own.status).isEqualTo(200);
        assertThat(get(auditorA, "/events/" + UUID.randomUUID()).status).isEqualTo(404);
        assertThat(lastMetaAudit(auditorA.tokenId())).containsEntry("outcome", "not_found");
    }

    @Test
    void theQueryLayerEnforcesScopeWithoutTheRoutes() {
        // no HTTP guard here: AuditQueries alone must refuse, whoever calls it (console, evidence, CLI)
        AuditQueries q = api.queries();
        Principal auditor = new Principal(auditorA.tokenId(), Role.AUDITOR, Set.of("acme"));
        EventSearch globexSearch = new EventSearch("globex", null, null, null, null, null, null, 10, null);
        assertThatThrownBy(() -> q.searchEvents(auditor, globexSearch)).isInstanceOf(AccessDenied.class);
        assertThatThrownBy(() -> q.summary(auditor, "globex", null, null)).isInstanceOf(AccessDenied.class);
        assertThatThrownBy(() -> q.summary(auditor, "-", null, null)).isInstanceOf(AccessDenied.class);
        assertThatThrownBy(() -> q.event(auditor, globex.get(0).id())).isInstanceOf(AccessDenied.class)
                .satisfies(e -> assertThat(((AccessDenied) e).tenant()).isEqualTo("globex"));
        assertThatThrownBy(() -> q.anomalies(auditor, new AnomalySearch("globex", null, null, null, null, null, 10)))
                .isInstanceOf(AccessDenied.class);
        assertThat(q.anomalies(auditor, new AnomalySearch(null, null, null, null, null, null, 10)))
                .extracting(AnomalyRecord::tenantId).containsOnly("acme");
        assertThatThrownBy(() -> q.dispositions(auditor, anomalies.get("globex-1"))).isInstanceOf(AccessDenied.class);
        assertThatThrownBy(() -> q.dispose(auditor, anomalies.get("acme-2"), "resolved", null))
                .isInstanceOf(AccessDenied.class);
        // an auditor of two tenants sees both, and still not the platform
        Principal both = new Principal("tok_both", Role.AUDITOR, Set.of("acme", "globex"));
        assertThat(q.anomalies(both, new AnomalySearch(null, null, null, null, null, null, 10)))
                .extracting(AnomalyRecord::tenantId).containsOnly("acme", "globex");
        assertThat(q.searchEvents(both, globexSearch).events()).hasSize(10);
        // an actor of globex, asked for within acme: nothing
        assertThat(q.searchEvents(auditor, new EventSearch("acme", null, null, null, null, "entity-globex-1", null,
                10, null)).events()).isEmpty();
    }

    @Test
    void firstPageLatencyOverHttp() throws Exception {
        // a figure for the report, not a benchmark: 250 rows, this machine, PostgreSQL embedded, HTTP included
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long t0 = System.nanoTime();
            Response r = get(auditorA, "/tenants/acme/events?limit=100");
            micros.add((System.nanoTime() - t0) / 1000);
            assertThat(r.status).isEqualTo(200);
        }
        List<Long> sorted = micros.subList(50, micros.size()).stream().sorted().toList(); // after warm-up
        System.out.printf("first page of 100 over HTTP: p50 %d us, p99 %d us (%d calls)%n",
                sorted.get(sorted.size() / 2), sorted.get((int) (sorted.size() * 0.99)), sorted.size());
    }

    // ---- authentication ----

    @Test
    void missingBadExpiredAndRevokedTokensGet401() throws Exception {
        List<String> headers = new ArrayList<>();
        headers.add(null);
        headers.add("Bearer " + expired.bearer());
        headers.add("Bearer " + revoked.bearer());
        headers.add("Bearer art_" + "A".repeat(43));
        headers.add("Basic " + admin.bearer());
        headers.add("Bearer " + admin.bearer() + "x");
        headers.add("Bearer ' OR 1=1 --");
        long before = fixture.count("SELECT count(*) FROM meta_audit WHERE outcome = 'unauthenticated'");
        for (String h : headers) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/tenants/acme/events"));
            if (h != null) {
                b.header("Authorization", h);
            }
            Response r = send(b.GET().build());
            assertThat(r.status).as(String.valueOf(h)).isEqualTo(401);
            assertThat(r.json.path("error").path("status").asInt()).isEqualTo(401);
        }
        // recorded, but under no tenant: without a valid token the caller does not get to file rows under acme
        // (issue 17, item 3)
        assertThat(fixture.count("SELECT count(*) FROM meta_audit WHERE outcome = 'unauthenticated' "
                + "AND token_id IS NULL AND tenant_id IS NULL AND tenant_ids = '{}' AND status = 401"))
                .isEqualTo(before + headers.size());
        for (CreatedToken t : List.of(admin, compliance, auditorA, expired, revoked)) {
            // no part of a secret anywhere in the meta-audit (the first 16 characters after the prefix suffice)
            assertThat(fixture.count("SELECT count(*) FROM meta_audit WHERE strpos(concat_ws(' ', token_id, role, "
                    + "route, tenant_id, detail), ?) > 0", t.bearer().substring(4, 20))).isZero();
        }
    }

    // ---- input ----

    @Test
    void injectionStringsInEveryParameterAreHarmless() throws Exception {
        List<String> payloads = List.of("' OR 1=1 --", "%", "_", "globex", "acme' OR tenant_id='globex",
                "ünï©ødé 漢字 🚀", "x".repeat(3000), "a\u0000b", "\\", "%' UNION SELECT * FROM api_token --");
        Map<String, List<String>> routes = Map.of(
                "/tenants/acme/events", List.of("from", "to", "operation", "path_prefix", "actor", "outcome", "limit",
                        "cursor"),
                "/tenants/acme/summary", List.of("from", "to"),
                "/anomalies", List.of("tenant", "rule", "severity", "status", "from", "to", "limit"));
        Set<String> acmeIds = acme.stream().map(e -> e.id().toString()).collect(Collectors.toSet());
        for (var route : routes.entrySet()) {
            for (String param : route.getValue()) {
                for (String payload : payloads) {
                    String as = route.getKey() + " " + param + "=" + payload.substring(0, Math.min(20, payload.length()));
                    for (CreatedToken token : List.of(auditorA, admin)) {
                        Response r = get(token, route.getKey() + query(Map.of(param, payload)));
                        assertThat(r.status).as(as).isIn(200, 400, 403);
                        if (r.status == 200 && r.json.has("events")) {
                            assertThat(ids(r.json)).as(as).isSubsetOf(acmeIds);
                        }
                        if (r.status == 200 && r.json.has("anomalies") && token == auditorA) {
                            assertThat(anomalyIds(r.json)).as(as).isSubsetOf(anomalies.get("acme-1").toString(),
                                    anomalies.get("acme-2").toString());
                        }
                        if (r.status == 403) {
                            assertThat(token).as(as).isSameAs(auditorA);
                        }
                    }
                }
            }
        }
        // in the path: the tenant and the ids
        for (String payload : payloads) {
            String seg = pathSegment(payload);
            Response asAuditor = get(auditorA, "/tenants/" + seg + "/events");
            assertThat(asAuditor.status).as(payload).isIn(400, 403, 404);
            Response asAdmin = get(admin, "/tenants/" + seg + "/events");
            assertThat(asAdmin.status).as(payload).isIn(200, 400, 404);
            if (asAdmin.status == 200) {
                // exactly that tenant's rows ("globex" is a tenant, so admin sees its events; nothing else matches)
                asAdmin.json.path("events").forEach(e -> assertThat(e.path("tenant_id").asText()).as(payload)
                        .isEqualTo(payload));
                assertThat(asAdmin.json.path("events").size()).as(payload)
                        .isEqualTo(payload.equals("globex") ? GLOBEX_EVENTS : 0);
            }
            for (String path : List.of("/events/" + seg, "/events/" + seg + "/raw")) {
                assertThat(get(auditorA, path).status).as(path).isIn(400, 404);
            }
            assertThat(post(admin, "/anomalies/" + seg + "/disposition", "{\"status\":\"resolved\"}").status)
                    .as(payload).isIn(400, 404);
        }
        assertThat(fixture.count("SELECT count(*) FROM meta_audit WHERE status >= 500")).isZero();
        assertThat(fixture.count("SELECT count(*) FROM anomaly WHERE status <> 'open' AND tenant_id = 'globex'"))
                .isZero();
    }

    @Test
    void badParametersAre400WithTheReason() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("/tenants/acme/events?limit=-1", "limit: must be a whole number from 1 to 1000");
        cases.put("/tenants/acme/events?limit=abc", "limit: must be a whole number from 1 to 1000");
        cases.put("/tenants/acme/events?limit=1001", "limit: must be a whole number from 1 to 1000");
        cases.put("/tenants/acme/events?from=yesterday", "from: not an RFC 3339 time");
        cases.put("/tenants/acme/events?outcome=maybe", "outcome: must be one of");
        cases.put("/tenants/acme/events?path-prefix=x", "path-prefix: unknown parameter");
        cases.put("/tenants/acme/events?limit=1&limit=2", "limit: given more than once");
        cases.put("/tenants/acme/events?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "from: must be before to");
        cases.put("/tenants/acme/summary?to=2026-11-01", "to: not an RFC 3339 time");
        cases.put("/anomalies?severity=urgent", "severity: must be one of");
        cases.put("/anomalies?status=closed", "status: must be one of");
        cases.put("/events/not-a-uuid", "event_id: not a UUID");
        cases.put("/archive/verify?from=2026-11-01T00:00:00Z", "to: is required");
        cases.put("/archive/verify?from=2026-01-01T00:00:00Z&to=2026-11-01T00:00:00Z", "to: the period may span");
        for (var c : cases.entrySet()) {
            Response r = get(admin, c.getKey());
            assertThat(r.status).as(c.getKey()).isEqualTo(400);
            assertThat(r.json.path("error").path("status").asInt()).isEqualTo(400);
            assertThat(r.json.path("error").path("reason").asText()).as(c.getKey()).startsWith(c.getValue());
            assertThat(lastMetaAudit(admin.tokenId())).containsEntry("outcome", "bad_request")
                    .containsEntry("detail", r.json.path("error").path("reason").asText());
        }
    }

    // ---- dispositions, raw lines, verify ----

    @Test
    void aDispositionRecordsWhoDecidedWhatAndWhen() throws Exception {
        UUID id = anomalies.get("acme-1");
        Instant before = Instant.now().minusSeconds(1);
        Response r = post(compliance, "/anomalies/" + id + "/disposition",
                "{\"status\":\"false_positive\",\"note\":\"load test ' OR 1=1 -- 漢字\"}");
        assertThat(r.status).isEqualTo(200);
        assertThat(r.json.path("decided_by").asText()).isEqualTo(compliance.tokenId());
        assertThat(r.json.path("status").asText()).isEqualTo("false_positive");
        Map<String, Object> row = fixture.rows("SELECT a.status AS anomaly_status, d.status, d.note, d.decided_by, "
                + "d.decided_at FROM anomaly a JOIN anomaly_disposition d USING (anomaly_id) WHERE anomaly_id = ?",
                id).get(0);
        assertThat(row).containsEntry("anomaly_status", "false_positive").containsEntry("status", "false_positive")
                .containsEntry("note", "load test ' OR 1=1 -- 漢字").containsEntry("decided_by", compliance.tokenId());
        Instant decidedAt = ((java.sql.Timestamp) row.get("decided_at")).toInstant();
        assertThat(decidedAt).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(Instant.parse(r.json.path("decided_at").asText())).isEqualTo(decidedAt);
        assertThat(lastMetaAudit(compliance.tokenId())).containsEntry("outcome", "ok").containsEntry("tenant_id", "acme")
                .containsEntry("route", "/api/v1/anomalies/{anomaly_id}/disposition");

        assertThat(api.queries().dispositions(new Principal(auditorA.tokenId(), Role.AUDITOR,
                Set.of("acme")), id)).singleElement().satisfies(d -> assertThat(d.decidedBy())
                .isEqualTo(compliance.tokenId()));
        assertThat(get(auditorA, "/anomalies?status=false_positive").json.path("anomalies").get(0)
                .path("anomaly_id").asText()).isEqualTo(id.toString());
        // auditors read, they do not triage, even their own tenant
        assertThat(post(auditorA, "/anomalies/" + anomalies.get("acme-2") + "/disposition",
                "{\"status\":\"resolved\"}").status).isEqualTo(403);
        assertThat(post(admin, "/anomalies/" + anomalies.get("acme-2") + "/disposition", "{\"status\":\"closed\"}")
                .status).isEqualTo(400);
        assertThat(post(admin, "/anomalies/" + anomalies.get("acme-2") + "/disposition", "not json").status)
                .isEqualTo(400);
        assertThat(post(admin, "/anomalies/" + anomalies.get("acme-2") + "/disposition",
                "{\"status\":\"resolved\",\"by\":\"someone else\"}").status).isEqualTo(400);
        assertThat(post(admin, "/anomalies/" + UUID.randomUUID() + "/disposition", "{\"status\":\"resolved\"}")
                .status).isEqualTo(404);
        assertThat(fixture.count("SELECT count(*) FROM anomaly_disposition WHERE anomaly_id = ?",
                anomalies.get("acme-2"))).isZero();
    }

    @Test
    void theRawLineComesBackByteExact() throws Exception {
        Response r = get(auditorA, "/events/" + acme.get(3).id() + "/raw");
        assertThat(r.status).isEqualTo(200);
        assertThat(r.body).isEqualTo(archivedLine);
        // issue 17, item 16: Vault's bytes are labelled JSON; a browser must not sniff them into something else
        assertThat(r.headers.firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(lastMetaAudit(auditorA.tokenId())).containsEntry("outcome", "ok").containsEntry("tenant_id", "acme");
        Response noPosition = get(auditorA, "/events/" + acme.get(4).id() + "/raw");
        assertThat(noPosition.status).isEqualTo(404);
        // compliance may read globex's line, which sits in the same object
        assertThat(new String(get(compliance, "/events/" + globex.get(0).id() + "/raw").body, StandardCharsets.UTF_8))
                .isEqualTo("{\"tenant\":\"globex\"}");
    }

    @Test
    void verifyReportsOnThePeriodForOperatorsOnly() throws Exception {
        String period = query(Map.of("from", OffsetDateTime.now(ZoneOffset.UTC).minusDays(1).toString(),
                "to", OffsetDateTime.now(ZoneOffset.UTC).plusHours(1).toString()));
        Response r = get(admin, "/archive/verify" + period);
        assertThat(r.status).isEqualTo(200);
        assertThat(r.json.path("problems")).isEmpty();
        assertThat(r.json.path("intact").asBoolean()).isTrue();
        assertThat(r.json.path("digests").asInt()).isEqualTo(1); // the fixture's archive: one object, one digest
        assertThat(get(compliance, "/archive/verify" + period).status).isEqualTo(200);
        assertThat(get(auditorA, "/archive/verify" + period).status).isEqualTo(403);
    }

    @Test
    void aCallNamingNoTenantIsFiledUnderTheTenantsItReturnedAndInTheirPacks() throws Exception {
        // issue 17, item 12: /anomalies over every tenant was recorded with no tenant, so it was in no tenant's pack
        Response all = get(compliance, "/anomalies");
        assertThat(anomalyIds(all.json)).hasSize(4);
        Map<String, Object> row = fixture.rows("SELECT tenant_id, array_to_string(tenant_ids, ',') AS tenants FROM "
                + "meta_audit WHERE token_id = ? ORDER BY meta_audit_id DESC LIMIT 1", compliance.tokenId()).get(0);
        assertThat(row.get("tenant_id")).isNull();
        assertThat(((String) row.get("tenants")).split(",")).containsExactlyInAnyOrder("acme", "globex", "-");
        Response own = get(auditorA, "/anomalies");
        assertThat(fixture.rows("SELECT array_to_string(tenant_ids, ',') AS tenants FROM meta_audit WHERE token_id = ? "
                + "ORDER BY meta_audit_id DESC LIMIT 1", auditorA.tokenId()).get(0)).containsEntry("tenants", "acme");
        assertThat(own.status).isEqualTo(200);
        // the platform-wide verify returns no tenant's data: filed under none
        String period = query(Map.of("from", OffsetDateTime.now(ZoneOffset.UTC).minusDays(1).toString(),
                "to", OffsetDateTime.now(ZoneOffset.UTC).plusHours(1).toString()));
        assertThat(get(admin, "/archive/verify" + period).status).isEqualTo(200);
        assertThat(fixture.rows("SELECT array_to_string(tenant_ids, ',') AS tenants FROM meta_audit WHERE token_id = ? "
                + "ORDER BY meta_audit_id DESC LIMIT 1", admin.tokenId()).get(0)).containsEntry("tenants", "");

        for (String tenant : List.of("acme", "globex")) {
            Response pack = get(admin, "/reports/soc2" + query(Map.of("tenant", tenant, "format", "json", "from",
                    OffsetDateTime.now(ZoneOffset.UTC).minusDays(1).toString(), "to",
                    OffsetDateTime.now(ZoneOffset.UTC).plusHours(1).toString())));
            List<String> calls = new ArrayList<>();
            pack.json.path("facts").path("meta_audit").forEach(m -> calls.add(m.path("token_id").asText() + " "
                    + m.path("route").asText()));
            assertThat(calls).as(tenant).contains(compliance.tokenId() + " /api/v1/anomalies")
                    .doesNotContain(admin.tokenId() + " /api/v1/archive/verify");
        }
    }

    @Test
    void anAuditorDownloadsItsOwnTenantsPack() throws Exception {
        String period = query(Map.of("tenant", "acme", "from", OffsetDateTime.now(ZoneOffset.UTC).minusDays(3)
                .toString(), "to", OffsetDateTime.now(ZoneOffset.UTC).plusHours(1).toString(), "format", "json"));
        Response json = get(auditorA, "/reports/soc2" + period);
        assertThat(json.status).isEqualTo(200);
        assertThat(json.json.toString()).contains("acme").doesNotContain("globex");
        assertThat(lastMetaAudit(auditorA.tokenId())).containsEntry("outcome", "ok").containsEntry("tenant_id", "acme")
                .containsEntry("route", "/api/v1/reports/soc2");
        Response zip = get(admin, "/reports/soc2" + period.replace("format=json", "format=zip"));
        assertThat(zip.status).isEqualTo(200);
        assertThat(new String(zip.body, 0, 2, StandardCharsets.ISO_8859_1)).isEqualTo("PK");
        assertThat(get(admin, "/reports/soc2" + period.replace("format=json", "format=exe")).status).isEqualTo(400);
        assertThat(get(admin, "/reports/soc2?tenant=acme").status).isEqualTo(400);
        assertThat(get(admin, "/reports/soc2" + period.replace("tenant=acme", "tenant=-")).status).isEqualTo(400);
    }

    // ---- helpers ----

    private record Response(int status, byte[] body, JsonNode json, java.net.http.HttpHeaders headers) {
    }

    private Response get(CreatedToken token, String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token.bearer())
                .GET().build());
    }

    private Response post(CreatedToken token, String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token.bearer())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }

    private Response send(HttpRequest request) throws Exception {
        HttpResponse<byte[]> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.io.IOException e) {
            // Jetty answers a URI it cannot parse (e.g. %00 in the path) itself and closes the connection; the JDK
            // client may already have picked that connection for the next request. Once more on a fresh one.
            System.err.println("retrying " + request.method() + " " + request.uri().getRawPath().substring(0,
                    Math.min(80, request.uri().getRawPath().length())) + " after " + e);
            r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        }
        JsonNode json = null;
        if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
            try {
                json = JSON.readTree(r.body());
            } catch (java.io.IOException e) {
                json = null; // a raw line that is not JSON
            }
        }
        if (r.statusCode() >= 500) {
            throw new AssertionError(request.uri() + " answered " + r.statusCode() + ": "
                    + new String(r.body(), StandardCharsets.UTF_8));
        }
        return new Response(r.statusCode(), r.body(), json == null ? JSON.createObjectNode() : json, r.headers());
    }

    /** Every event of a search, following next_cursor page by page. */
    private List<JsonNode> walk(CreatedToken token, String path, Map<String, String> filters, int limit)
            throws Exception {
        List<JsonNode> out = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 1000; pages++) {
            Map<String, String> q = new LinkedHashMap<>(filters);
            q.put("limit", Integer.toString(limit));
            if (cursor != null) {
                q.put("cursor", cursor);
            }
            Response r = get(token, path + query(q));
            assertThat(r.status).as(path + " " + q).isEqualTo(200);
            r.json.path("events").forEach(out::add);
            JsonNode next = r.json.path("next_cursor");
            if (next.isNull() || next.isMissingNode()) {
                return out;
            }
            assertThat(r.json.path("events")).hasSize(limit);
            cursor = next.asText();
        }
        throw new AssertionError("more than 1000 pages");
    }

    private static String query(Map<String, String> params) {
        return params.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                StandardCharsets.UTF_8)).collect(Collectors.joining("&", "?", ""));
    }

    private static String pathSegment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.path("events").forEach(e -> out.add(e.path("event_id").asText()));
        return out;
    }

    private static List<String> anomalyIds(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.path("anomalies").forEach(e -> out.add(e.path("anomaly_id").asText()));
        return out;
    }

    private Map<String, Object> lastMetaAudit(String tokenId) throws Exception {
        return fixture.rows("SELECT token_id, role, method, route, tenant_id, outcome, status, detail FROM meta_audit "
                + "WHERE token_id = ? ORDER BY meta_audit_id DESC LIMIT 1", tokenId).get(0);
    }
}
