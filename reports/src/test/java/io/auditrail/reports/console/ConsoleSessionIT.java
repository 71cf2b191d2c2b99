package io.auditrail.reports.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.EmbeddedS3;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import io.auditrail.core.config.Settings;
import io.auditrail.reports.api.ReportsApi;
import io.auditrail.reports.testing.HttpCalls;
import io.auditrail.reports.testing.HttpCalls.Answer;
import io.auditrail.reports.testing.ReportsFixture;
import io.auditrail.reports.token.CreatedToken;
import io.auditrail.reports.token.Role;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import io.auditrail.core.testing.MovingClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 17, item 13, from the browser's side: the console cookie was the 90-day bearer itself, not Secure unless a
 * setting said so, with no HSTS, no idle expiry, and sign-out only cleared it in the browser. Now the cookie is a
 * server-side session id: a copy of it is worthless after sign-out, after 30 idle minutes, after 12 hours, or once
 * the token is revoked; it is Secure (with HSTS) for any request that is not plain http on this machine.
 */
@ExtendWith(EmbeddedServicesExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class ConsoleSessionIT {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([A-Za-z0-9_-]+)\"");

    private final MovingClock clock = new MovingClock(Instant.now());
    private ReportsFixture fixture;
    private ReportsApi api;
    private AuditorConsole console;
    private Javalin server;
    private HttpCalls http;
    private CreatedToken auditor;

    @BeforeAll
    void start(EmbeddedPostgres pg, EmbeddedS3 s3) throws Exception {
        fixture = ReportsFixture.create(pg, s3, Files.createTempDirectory("console-session-"));
        fixture.insert(List.of(new ReportsFixture.Event(UUID.randomUUID(), Instant.now().minusSeconds(60), "acme",
                "read", "secret/data/tenants/acme/db", "ok", "entity-a", "alice", null, null)));
        Settings settings = fixture.settings;
        api = ReportsApi.open(settings, new SimpleMeterRegistry());
        console = new AuditorConsole(api, settings, clock);
        server = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            api.routes(cfg.routes);
            console.routes(cfg.routes);
        }).start("127.0.0.1", 0);
        http = new HttpCalls("http://127.0.0.1:" + server.port());
        // tokens outlive every clock jump below: what ends a session here is the session's own expiry
        auditor = api.tokens().create("acme auditor", Role.AUDITOR, Set.of("acme"), Duration.ofDays(7), "cli");
    }

    @AfterAll
    void stop() {
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

    @Test
    void theCookieIsASessionIdWorthlessAfterSignOut() throws Exception {
        Answer in = http.postForm("/sign-in", Map.of("token", auditor.bearer()), null);
        assertThat(in.status()).isEqualTo(303);
        String setCookie = in.header("Set-Cookie");
        assertThat(setCookie).doesNotContain(auditor.bearer().substring(4, 24)).doesNotContain("Max-Age")
                .contains("HttpOnly", "SameSite=Strict", "Path=/");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        // the server keeps its hash only: neither the bearer nor the session id is stored
        String id = cookie.substring(cookie.indexOf('=') + 1);
        assertThat(fixture.count("SELECT count(*) FROM console_session WHERE token_id = ?", auditor.tokenId()))
                .isEqualTo(1);
        assertThat(fixture.count("SELECT count(*) FROM console_session WHERE encode(session_hash, 'escape') LIKE ?",
                "%" + id.substring(0, 16) + "%")).isZero();

        assertThat(page(cookie, "/events?tenant=acme").status()).isEqualTo(200);
        Answer out = http.postForm("/sign-out", Map.of("csrf", csrf(cookie)), cookie);
        assertThat(out.status()).isEqualTo(303);
        // a copy of the cookie taken before sign-out opens nothing: the session is gone on the server
        Answer replay = page(cookie, "/events?tenant=acme");
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.text()).doesNotContain("secret/data/tenants/acme/db");
        assertThat(replay.header("Set-Cookie")).startsWith("auditrail_console=; Max-Age=0");
        // nor is the bearer itself a cookie any more
        assertThat(page("auditrail_console=" + auditor.bearer(), "/events?tenant=acme").status()).isEqualTo(401);
    }

    @Test
    void aSessionEndsWhenIdleWhenOldAndWhenItsTokenIsRevoked() throws Exception {
        Instant start = clock.instant();
        try {
            String cookie = signIn(auditor);
            clock.set(start.plus(Duration.ofMinutes(31)));
            assertThat(page(cookie, "/events?tenant=acme").status()).as("31 minutes idle").isEqualTo(401);

            // used every 20 minutes it lives on, but not past 12 hours from sign-in
            clock.set(start);
            String busy = signIn(auditor);
            for (int minutes = 20; minutes < 12 * 60; minutes += 20) {
                clock.set(start.plus(Duration.ofMinutes(minutes)));
                assertThat(page(busy, "/events?tenant=acme").status()).as(minutes + " minutes in").isEqualTo(200);
            }
            clock.set(start.plus(Duration.ofHours(12)).plusSeconds(1));
            assertThat(page(busy, "/events?tenant=acme").status()).as("past the absolute end").isEqualTo(401);

            clock.set(start);
            CreatedToken doomed = api.tokens().create("doomed", Role.AUDITOR, Set.of("acme"), Duration.ofDays(7),
                    "cli");
            String open = signIn(doomed);
            assertThat(page(open, "/").status()).isEqualTo(200);
            api.tokens().revoke(doomed.tokenId());
            assertThat(page(open, "/events?tenant=acme").status()).as("its token revoked").isEqualTo(401);
            assertThat(fixture.count("SELECT count(*) FROM console_session WHERE token_id = ?", doomed.tokenId()))
                    .isZero();
        } finally {
            clock.set(start);
        }
    }

    @Test
    void outsideLoopbackTheCookieIsSecureAndPagesCarryHsts() throws Exception {
        // the browser reached the console by a name (through a TLS proxy on this machine, or directly): Host says so
        String signIn = "token=" + URLEncoder.encode(auditor.bearer(), StandardCharsets.UTF_8);
        String response = raw("POST /sign-in HTTP/1.1\r\nHost: audit.example.com\r\nContent-Type: "
                + "application/x-www-form-urlencoded\r\nContent-Length: " + signIn.length() + "\r\nConnection: close"
                + "\r\n\r\n" + signIn);
        assertThat(response).startsWith("HTTP/1.1 303");
        assertThat(header(response, "Set-Cookie")).startsWith("__Host-auditrail_console=")
                .endsWith("; Path=/; HttpOnly; SameSite=Strict; Secure");
        assertThat(header(response, "Strict-Transport-Security")).isEqualTo("max-age=31536000");
        String page = raw("GET / HTTP/1.1\r\nHost: audit.example.com\r\nConnection: close\r\n\r\n");
        assertThat(header(page, "Strict-Transport-Security")).isEqualTo("max-age=31536000");
        // plain http on this machine (auditrail dev): the plain cookie, and no HSTS that would lock localhost to TLS
        Answer local = http.postForm("/sign-in", Map.of("token", auditor.bearer()), null);
        assertThat(local.header("Set-Cookie")).startsWith("auditrail_console=").doesNotContain("Secure");
        assertThat(local.header("Strict-Transport-Security")).isNull();
    }

    @Test
    void aFormNeedsItsOwnSessionsCsrfToken() throws Exception {
        String mine = signIn(auditor);
        String other = signIn(auditor);
        assertThat(http.postForm("/sign-out", Map.of("csrf", csrf(other)), mine).status()).isEqualTo(403);
        assertThat(page(mine, "/").status()).as("the refused sign-out ended nothing").isEqualTo(200);
        assertThat(http.postForm("/sign-out", Map.of("csrf", csrf(mine)), mine).status()).isEqualTo(303);
    }

    private String signIn(CreatedToken token) throws Exception {
        Answer in = http.postForm("/sign-in", Map.of("token", token.bearer()), null);
        assertThat(in.status()).isEqualTo(303);
        String setCookie = in.header("Set-Cookie");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private Answer page(String cookie, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Cookie", cookie).GET().build());
    }

    private String csrf(String cookie) throws Exception {
        Matcher m = CSRF.matcher(page(cookie, "/").text());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** One request written on a socket as it is (the JDK client may not set Host), the response as text. */
    private String raw(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private static String header(String response, String name) {
        for (String line : response.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).strip();
            }
        }
        return null;
    }
}
