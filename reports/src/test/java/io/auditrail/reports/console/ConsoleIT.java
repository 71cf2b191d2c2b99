package io.auditrail.reports.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.EmbeddedS3;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import io.auditrail.reports.token.CreatedToken;
import io.javalin.Javalin;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The console over real HTTP (no browser): a Javalin server on a free port with the API beside it, real PostgreSQL
 * and S3. Sessions, refusals, tenant isolation on every page, CSRF, escaping, and the meta-audit of every request.
 */
@ExtendWith(EmbeddedServicesExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class ConsoleIT {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([A-Za-z0-9_-]+)\"");
    private static final Pattern NEXT = Pattern.compile("id=\"next\" href=\"([^\"]+)\"");
    private static final Pattern ROW_TENANT = Pattern.compile("class=\"event\" data-tenant=\"([^\"]*)\"");

    private ConsoleWorld world;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    void start(EmbeddedPostgres pg, EmbeddedS3 s3) throws Exception {
        world = new ConsoleWorld(pg, s3);
    }

    @AfterAll
    void stop() {
        if (world != null) {
            world.close();
        }
    }

    // ---- sessions ----

    @Test
    void signInSetsAnHttpOnlyStrictCookieAndSignOutClearsIt() throws Exception {
        HttpResponse<String> in = post(null, "/sign-in", Map.of("token", world.auditorA.bearer()));
        assertThat(in.statusCode()).isEqualTo(303);
        assertThat(in.headers().firstValue("Location")).hasValue("/");
        String setCookie = in.headers().firstValue("Set-Cookie").orElseThrow();
        // a session id, never the bearer; not Secure: plain http on loopback (docs/CONSOLE.md, ConsoleSessionIT)
        assertThat(setCookie).matches("auditrail_console=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict")
                .doesNotContain(world.auditorA.bearer().substring(4));
        String cookie = cookie(world.auditorA);

        HttpResponse<String> home = get(cookie, "/");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("href=\"/events?tenant=acme\"").doesNotContain("globex")
                .contains(world.auditorA.tokenId() + " (auditor)");

        assertThat(post(cookie, "/sign-out", Map.of()).statusCode()).isEqualTo(403); // without the form's token
        HttpResponse<String> out = post(cookie, "/sign-out", Map.of("csrf", csrfOf(cookie, "/")));
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow())
                .isEqualTo("auditrail_console=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict");
        assertThat(world.fixture.rows("SELECT route, outcome, status FROM meta_audit WHERE token_id = ? "
                + "ORDER BY meta_audit_id DESC LIMIT 4", world.auditorA.tokenId())).containsExactly(
                Map.of("route", "/sign-out", "outcome", "ok", "status", 303),
                Map.of("route", "/", "outcome", "ok", "status", 200),
                Map.of("route", "/sign-out", "outcome", "denied", "status", 403),
                Map.of("route", "/", "outcome", "ok", "status", 200));
    }

    @Test
    void aWrongTokenIsRefusedAndSetsNoCookie() throws Exception {
        long before = world.fixture.count("SELECT count(*) FROM meta_audit WHERE route = '/sign-in' "
                + "AND outcome = 'unauthenticated'");
        for (String wrong : List.of("art_notAToken", "", world.revoked.bearer())) {
            HttpResponse<String> r = post(null, "/sign-in", Map.of("token", wrong));
            assertThat(r.statusCode()).as(wrong).isEqualTo(401);
            assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
            assertThat(r.body()).contains("Sign in again").contains("name=\"token\"");
        }
        assertThat(world.fixture.count("SELECT count(*) FROM meta_audit WHERE route = '/sign-in' "
                + "AND outcome = 'unauthenticated'")).isEqualTo(before + 3);
        assertThat(world.fixture.count("SELECT count(*) FROM meta_audit WHERE detail LIKE '%art_%'")).isZero();
    }

    @Test
    void pagesWithoutAValidSessionAskToSignInAgain() throws Exception {
        HttpResponse<String> none = get(null, "/events?tenant=acme");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("401 Sign in again").contains("action=\"/sign-in\"");
        // a cookie whose token was revoked since: refused, and the browser is told to forget it
        HttpResponse<String> stale = get("auditrail_console=" + world.revoked.bearer(), "/events?tenant=acme");
        assertThat(stale.statusCode()).isEqualTo(401);
        assertThat(stale.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("auditrail_console=; Max-Age=0");
        assertThat(stale.body()).doesNotContain("secret/data");
        // the sign-in page itself is served to anyone
        assertThat(get(null, "/").body()).contains("action=\"/sign-in\"");
    }

    // ---- tenant isolation ----

    @Test
    void anAuditorOfAcmeGets403ForEveryGlobexPageAndEachAttemptIsRecorded() throws Exception {
        String cookie = cookie(world.auditorA);
        String csrf = csrfOf(cookie, "/"); // a valid form token: the refusal must be about the tenant, not the form
        String globexEvent = world.globex.get(0).id().toString();
        record Attempt(String path, String route, String tenant) {
        }
        List<Attempt> attempts = List.of(
                new Attempt("/events?tenant=globex", "/events", "globex"),
                new Attempt("/events?tenant=globex&path_prefix=secret%2F&limit=5", "/events", "globex"),
                new Attempt("/events?tenant=-", "/events", "-"),
                new Attempt("/events/" + globexEvent, "/events/{event_id}", "globex"),
                new Attempt("/events/" + globexEvent + "/raw", "/events/{event_id}/raw", "globex"),
                new Attempt("/anomalies?tenant=globex", "/anomalies", "globex"),
                new Attempt("/anomalies?tenant=globex&status=open", "/anomalies", "globex"),
                new Attempt("/evidence?tenant=globex", "/evidence", "globex"),
                new Attempt("/evidence/pack?tenant=globex&from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z",
                        "/evidence/pack", "globex"));
        for (Attempt a : attempts) {
            HttpResponse<String> r = get(cookie, a.path());
            assertThat(r.statusCode()).as(a.path()).isEqualTo(403);
            assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
            assertThat(r.headers().firstValue("Content-Disposition")).isEmpty();
            assertThat(r.body()).as(a.path()).contains("403 Not yours to see").doesNotContain(ConsoleWorld.GLOBEX_MARK)
                    .doesNotContain("gina");
            assertThat(lastMetaAudit(world.auditorA.tokenId())).as(a.path()).containsEntry("route", a.route())
                    .containsEntry("method", "GET").containsEntry("outcome", "denied").containsEntry("status", 403)
                    .containsEntry("tenant_id", a.tenant()).containsEntry("role", "auditor");
        }
        HttpResponse<String> dispose = post(cookie, "/anomalies/" + world.globexAnomaly + "/disposition",
                Map.of("csrf", csrf, "status", "resolved", "note", "not mine"));
        assertThat(dispose.statusCode()).isEqualTo(403);
        assertThat(lastMetaAudit(world.auditorA.tokenId())).containsEntry("route",
                "/anomalies/{anomaly_id}/disposition").containsEntry("outcome", "denied");
        assertThat(world.fixture.count("SELECT count(*) FROM anomaly_disposition WHERE anomaly_id = ?",
                world.globexAnomaly)).isZero();
    }

    @Test
    void globexRowsNeverAppearInAcmeResultsAcrossPagesFiltersAndCursors() throws Exception {
        String cookie = cookie(world.auditorA);
        List<String> tenants = new ArrayList<>();
        Set<String> pages = new HashSet<>();
        String next = "/events?tenant=acme&limit=7";
        while (next != null) {
            assertThat(pages.add(next)).isTrue();
            HttpResponse<String> r = get(cookie, next);
            assertThat(r.statusCode()).as(next).isEqualTo(200);
            assertThat(r.body()).doesNotContain(ConsoleWorld.GLOBEX_MARK);
            Matcher rows = ROW_TENANT.matcher(r.body());
            while (rows.find()) {
                tenants.add(rows.group(1));
            }
            Matcher m = NEXT.matcher(r.body());
            next = m.find() ? m.group(1).replace("&amp;", "&") : null;
        }
        assertThat(tenants).hasSize(ConsoleWorld.ACME_EVENTS).containsOnly("acme");
        assertThat(pages).hasSize(5); // 30 rows, 7 a page

        // a prefix pointing into globex's paths finds nothing in acme, and shows none of globex's rows
        HttpResponse<String> prefix = get(cookie, "/events?tenant=acme&path_prefix="
                + enc("secret/data/tenants/globex/"));
        assertThat(prefix.statusCode()).isEqualTo(200);
        assertThat(ROW_TENANT.matcher(prefix.body()).find()).isFalse();

        // acme's cursor with globex named: the tenant is refused before the cursor is even read
        HttpResponse<String> first = get(cookie, "/events?tenant=acme&limit=3");
        Matcher m = NEXT.matcher(first.body());
        assertThat(m.find()).isTrue();
        String swapped = m.group(1).replace("&amp;", "&").replace("tenant=acme", "tenant=globex");
        assertThat(get(cookie, swapped).statusCode()).isEqualTo(403);

        // the anomaly list of acme holds acme's only
        HttpResponse<String> anomalies = get(cookie, "/anomalies?tenant=acme");
        assertThat(anomalies.body()).contains("anomaly-" + world.acmeAnomaly)
                .doesNotContain(world.globexAnomaly.toString()).doesNotContain(world.platformAnomaly.toString());
    }

    @Test
    void anotherAuditorSeesOnlyGlobexAndComplianceSeesEveryTenantOfTheIndex() throws Exception {
        HttpResponse<String> b = get(cookie(world.auditorB), "/");
        assertThat(b.body()).contains("/events?tenant=globex").doesNotContain("tenant=acme");
        assertThat(get(cookie(world.auditorB), "/events/" + world.acme.get(0).id()).statusCode()).isEqualTo(403);
        HttpResponse<String> all = get(cookie(world.compliance), "/");
        assertThat(all.body()).contains("/events?tenant=acme").contains("/events?tenant=globex")
                .contains("/events?tenant=-");
    }

    // ---- the pages' work ----

    @Test
    void anEventShowsItsArchivedLineEscapedAndByteExact() throws Exception {
        String cookie = cookie(world.auditorA);
        HttpResponse<String> page = get(cookie, "/events/" + world.archivedEvent.id());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<pre id=\"raw\">{&quot;type&quot;:&quot;response&quot;,&quot;path&quot;:"
                + "&quot;&lt;b&gt;acme&lt;/b&gt;&quot;,&quot;note&quot;:&quot;caf\u00e9 <span class=\"x\">\\xFF</span>"
                + "&quot;}</pre>").doesNotContain("<b>acme</b>").doesNotContain(ConsoleWorld.GLOBEX_MARK);
        HttpResponse<byte[]> raw = http.send(request(cookie, "/events/" + world.archivedEvent.id() + "/raw").GET()
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.body()).isEqualTo(world.archivedLine);
        // an event without a raw position says so instead of failing
        HttpResponse<String> none = get(cookie, "/events/" + world.acme.get(5).id());
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(none.body()).contains("id=\"raw-unavailable\"").contains("no raw-topic position");
    }

    @Test
    void anUnreachableArchiveIsSaidSoAndTheEventIsStillShown() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Settings noArchive = world.fixture.settings.with(Map.of(CoreConfig.S3_ENDPOINT,
                "http://127.0.0.1:" + closedPort));
        try (AuditorConsole console = new AuditorConsole(world.api, noArchive)) {
            Javalin other = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                console.routes(cfg.routes);
            }).start("127.0.0.1", 0);
            try {
                String base = "http://127.0.0.1:" + other.port();
                HttpResponse<String> in = http.send(HttpRequest.newBuilder(URI.create(base + "/sign-in"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("token=" + enc(world.auditorA.bearer()))).build(),
                        HttpResponse.BodyHandlers.ofString());
                String cookie = in.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
                HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/events/"
                        + world.archivedEvent.id())).header("Cookie", cookie).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).contains(world.archivedEvent.id().toString())
                        .contains("id=\"raw-unavailable\"").contains("The archive is unavailable")
                        .doesNotContain("<pre id=\"raw\">");
            } finally {
                other.stop();
            }
        }
    }

    @Test
    void hostileStringsAreEscapedEverywhereAndTheCspForbidsScripts() throws Exception {
        String cookie = cookie(world.auditorA);
        String escaped = "secret/data/tenants/acme/&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;";
        HttpResponse<String> search = get(cookie, "/events?tenant=acme&path_prefix="
                + enc("secret/data/tenants/acme/<script>"));
        assertThat(search.statusCode()).isEqualTo(200);
        assertThat(search.body()).contains(escaped).doesNotContain("<script");
        assertThat(ROW_TENANT.matcher(search.body()).results().count()).isEqualTo(1);
        HttpResponse<String> event = get(cookie, "/events/" + world.hostileEvent.id());
        assertThat(event.body()).contains(escaped).doesNotContain("<script");
        // a hostile value in a refused parameter is echoed escaped too
        HttpResponse<String> bad = get(cookie, "/events?tenant=acme&from=" + enc("<script>x</script>"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).doesNotContain("<script");
        HttpResponse<String> unknown = get(cookie, "/events?tenant=acme&" + enc("<img src=x>") + "=1");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("&lt;img src=x&gt;").doesNotContain("<img");
        for (HttpResponse<String> r : List.of(search, event, bad)) {
            String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(csp).startsWith("default-src 'none'; style-src 'sha256-").contains("form-action 'self'")
                    .contains("frame-ancestors 'none'").doesNotContain("unsafe");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(r.body()).doesNotContain("<script");
        }
    }

    @Test
    void aDispositionNeedsTheSessionsCsrfTokenAndASameOriginPost() throws Exception {
        String admin = cookie(world.admin);
        String csrf = csrfOf(admin, "/anomalies?tenant=acme");
        String path = "/anomalies/" + world.acmeAnomaly + "/disposition";
        long before = dispositions();

        HttpResponse<String> missing = post(admin, path, Map.of("status", "resolved", "note", "no token"));
        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(missing.body()).contains("CSRF");
        // another session's token does not fit this one
        String otherCsrf = csrfOf(cookie(world.compliance), "/anomalies?tenant=acme");
        assertThat(otherCsrf).isNotEqualTo(csrf);
        assertThat(post(admin, path, Map.of("csrf", otherCsrf, "status", "resolved")).statusCode()).isEqualTo(403);
        // a post from another site's page, even with the right token
        HttpResponse<String> foreign = http.send(request(admin, path).header("Origin", "https://evil.example")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("csrf", csrf, "status", "resolved"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(dispositions()).isEqualTo(before);
        assertThat(lastMetaAudit(world.admin.tokenId())).containsEntry("outcome", "denied");

        HttpResponse<String> ok = post(admin, path, Map.of("csrf", csrf, "status", "false_positive",
                "note", "load test <b>ok</b>"));
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(ok.headers().firstValue("Location")).hasValue("/anomalies?tenant=acme");
        assertThat(world.fixture.rows("SELECT status, note, decided_by FROM anomaly_disposition WHERE anomaly_id = ? "
                + "ORDER BY disposition_id DESC LIMIT 1", world.acmeAnomaly)).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("status", "false_positive")
                        .containsEntry("note", "load test <b>ok</b>")
                        .containsEntry("decided_by", world.admin.tokenId()));
        assertThat(lastMetaAudit(world.admin.tokenId())).containsEntry("tenant_id", "acme")
                .containsEntry("outcome", "ok").containsEntry("status", 303);
        HttpResponse<String> list = get(admin, "/anomalies?tenant=acme");
        assertThat(list.body()).contains("<td class=\"status\">false_positive</td>");
        // auditors read dispositions but get no form to set them
        assertThat(get(cookie(world.auditorA), "/anomalies?tenant=acme").body()).doesNotContain("/disposition");
    }

    @Test
    void theEvidencePackOfAnAllowedTenantDownloadsAsAZip() throws Exception {
        String cookie = cookie(world.auditorA);
        HttpResponse<String> form = get(cookie, "/evidence?tenant=acme");
        assertThat(form.statusCode()).isEqualTo(200);
        Matcher link = Pattern.compile("id=\"pack\" href=\"([^\"]+)\"").matcher(form.body());
        assertThat(link.find()).isTrue();
        HttpResponse<byte[]> zip = http.send(request(cookie, link.group(1).replace("&amp;", "&")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zip.statusCode()).isEqualTo(200);
        assertThat(zip.headers().firstValue("Content-Type")).hasValue("application/zip");
        assertThat(zip.headers().firstValue("Content-Disposition").orElseThrow())
                .startsWith("attachment; filename=\"soc2-acme-");
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
            }
        }
        assertThat(names).contains("summary.pdf", "summary.html", "evidence.json");
        assertThat(lastMetaAudit(world.auditorA.tokenId())).containsEntry("route", "/evidence/pack")
                .containsEntry("tenant_id", "acme").containsEntry("outcome", "ok");
        assertThat(get(cookie, "/evidence/pack?tenant=acme&from=2026-01-01").statusCode()).isEqualTo(400);
        assertThat(get(cookie, "/evidence?tenant=-").statusCode()).isEqualTo(400);
    }

    @Test
    void everyConsoleRequestIsRecordedWithItsPageTemplate() throws Exception {
        String cookie = cookie(world.compliance);
        long before = world.fixture.count("SELECT count(*) FROM meta_audit WHERE token_id = ?",
                world.compliance.tokenId());
        get(cookie, "/");
        get(cookie, "/events?tenant=globex");
        get(cookie, "/events/" + world.globex.get(3).id());
        get(cookie, "/anomalies?tenant=-");
        get(cookie, "/events/00000000-0000-0000-0000-000000000000");
        assertThat(world.fixture.count("SELECT count(*) FROM meta_audit WHERE token_id = ?",
                world.compliance.tokenId())).isEqualTo(before + 5);
        assertThat(world.fixture.rows("SELECT route, coalesce(tenant_id, '(none)') AS tenant_id, outcome, status "
                + "FROM meta_audit WHERE token_id = ? ORDER BY meta_audit_id DESC LIMIT 5", world.compliance.tokenId()))
                .containsExactly(
                        Map.of("route", "/events/{event_id}", "tenant_id", "(none)", "outcome", "not_found",
                                "status", 404),
                        Map.of("route", "/anomalies", "tenant_id", "-", "outcome", "ok", "status", 200),
                        Map.of("route", "/events/{event_id}", "tenant_id", "globex", "outcome", "ok", "status", 200),
                        Map.of("route", "/events", "tenant_id", "globex", "outcome", "ok", "status", 200),
                        Map.of("route", "/", "tenant_id", "(none)", "outcome", "ok", "status", 200));
    }

    // ---- helpers ----

    private long dispositions() throws Exception {
        return world.fixture.count("SELECT count(*) FROM anomaly_disposition");
    }

    /** Signs in through the form and returns the Cookie header value the browser would send. */
    private String cookie(CreatedToken token) throws Exception {
        HttpResponse<String> r = post(null, "/sign-in", Map.of("token", token.bearer()));
        assertThat(r.statusCode()).isEqualTo(303);
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private String csrfOf(String cookie, String page) throws Exception {
        HttpResponse<String> r = get(cookie, page);
        Matcher m = CSRF.matcher(r.body());
        assertThat(m.find()).as("every signed-in page carries the session's CSRF token").isTrue();
        return m.group(1);
    }

    private HttpRequest.Builder request(String cookie, String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(world.base + path));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return b;
    }

    private HttpResponse<String> get(String cookie, String path) throws Exception {
        return http.send(request(cookie, path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String cookie, String path, Map<String, String> fields) throws Exception {
        return http.send(request(cookie, path).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", world.base).POST(HttpRequest.BodyPublishers.ofString(form(fields))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String form(Map<String, String> fields) {
        List<String> parts = new ArrayList<>();
        fields.forEach((k, v) -> parts.add(enc(k) + "=" + enc(v)));
        return String.join("&", parts);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private Map<String, Object> lastMetaAudit(String tokenId) throws Exception {
        return world.fixture.rows("SELECT method, route, tenant_id, outcome, status, role, detail FROM meta_audit "
                + "WHERE token_id = ? ORDER BY meta_audit_id DESC LIMIT 1", tokenId).get(0);
    }
}
