package io.auditrail.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditrail.app.dev.DevStack;
import io.auditrail.core.config.Settings;
import io.auditrail.reports.api.ReportsApi;
import io.auditrail.reports.token.CreatedToken;
import io.auditrail.reports.token.Role;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, item 10, end to end: Vault lines into the socket device, HTTP out. A read of
 * {@code secret/data/tenants/beta/...} by tenant acme's token was filed under acme only, so beta's auditor and
 * beta's pack never saw who tried beta's secrets. Now beta's auditor sees the attempt in beta's event search, in the
 * cross_tenant_access anomaly (only its own events of it) and in beta's evidence pack, and nothing else of acme;
 * acme keeps seeing it as its token's action, and beta's looking at it is filed under beta alone.
 */
class VictimTenantSeesAttemptsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void theVictimSeesTheAttemptOnItsSecretsAndNothingElseOfTheAttacker(@TempDir Path dir) throws Exception {
        try (DevStack stack = DevStack.start(new DevStack.Options(dir, "127.0.0.1", 0, 0, 0, 0, 0,
                "auditrail-archive", Settings.of(Map.of())))) {
            Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
            StringBuilder lines = new StringBuilder();
            lines.append(pair(t, "beta-own", "beta", "secret/data/tenants/beta/app", null));
            lines.append(pair(t.plusSeconds(1), "acme-own", "acme", "secret/data/tenants/acme/db", null));
            lines.append(pair(t.plusSeconds(2), "acme-attempt", "acme", "secret/data/tenants/beta/payroll",
                    "1 error occurred:\\n\\t* permission denied\\n\\n"));
            lines.append(pair(t.plusSeconds(3), "acme-other", "acme", "secret/data/tenants/acme/private-plans", null));
            int port = Integer.parseInt(stack.endpoints().get("Vault socket device").replaceAll(".*:", ""));
            try (Socket s = new Socket("127.0.0.1", port); OutputStream out = s.getOutputStream()) {
                out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
            }

            CreatedToken beta;
            CreatedToken acme;
            try (ReportsApi api = ReportsApi.open(stack.settings(), new SimpleMeterRegistry())) {
                beta = api.tokens().create("beta auditor", Role.AUDITOR, Set.of("beta"), Duration.ofHours(1), "cli");
                acme = api.tokens().create("acme auditor", Role.AUDITOR, Set.of("acme"), Duration.ofHours(1), "cli");
            }
            String base = "http://127.0.0.1:" + stack.httpPort() + "/api/v1";
            // every line indexed and the anomaly detected (the attempt is cross_tenant_access, filed under acme)
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    get(base + "/tenants/acme/events?limit=100", acme).path("events").size() == 6
                    && get(base + "/tenants/beta/events?limit=100", beta).path("events").size() >= 2
                    && get(base + "/anomalies?tenant=acme", acme).path("anomalies").size() == 1);

            // beta's search: its own events and acme's attempt on its path; nothing else of acme
            JsonNode betaEvents = get(base + "/tenants/beta/events?limit=100", beta).path("events");
            List<String> paths = new ArrayList<>();
            betaEvents.forEach(e -> paths.add(e.path("path").asText()));
            assertThat(paths).containsOnly("secret/data/tenants/beta/app", "secret/data/tenants/beta/payroll")
                    .hasSize(4);
            JsonNode attempt = null;
            for (JsonNode e : betaEvents) {
                if (e.path("path").asText().endsWith("/payroll") && e.path("type").asText().equals("request")) {
                    attempt = e;
                }
            }
            assertThat(attempt).isNotNull();
            assertThat(attempt.path("tenant_id").asText()).as("filed under the token's tenant").isEqualTo("acme");
            assertThat(attempt.path("path_tenant_id").asText()).isEqualTo("beta");
            assertThat(attempt.path("outcome").asText()).isEqualTo("denied");
            assertThat(attempt.path("actor").path("display_name").asText()).isEqualTo("approle-acme");
            String attemptId = attempt.path("event_id").asText();
            assertThat(status(base + "/events/" + attemptId, beta)).isEqualTo(200);
            String acmeOwn = null;
            for (JsonNode e : get(base + "/tenants/acme/events?limit=100", acme).path("events")) {
                if (e.path("path").asText().endsWith("/private-plans")) {
                    acmeOwn = e.path("event_id").asText();
                }
            }
            assertThat(status(base + "/events/" + acmeOwn, beta)).as("acme's other events stay acme's").isEqualTo(403);

            // beta's anomaly: acme's cross_tenant_access, as beta's view of it
            JsonNode anomaly = get(base + "/anomalies?tenant=beta", beta).path("anomalies").get(0);
            assertThat(anomaly.path("rule").asText()).isEqualTo("cross_tenant_access");
            assertThat(anomaly.path("tenant_id").asText()).isEqualTo("acme");
            assertThat(anomaly.path("via").asText()).isEqualTo("path");
            assertThat(anomaly.path("event_ids")).extracting(JsonNode::asText).containsExactly(attemptId);
            assertThat(anomaly.toString()).doesNotContain("private-plans").doesNotContain("tenants/acme/");
            assertThat(get(base + "/anomalies", beta).path("anomalies")).hasSize(1);

            // beta's evidence pack: the attempt among its denials and its secret access, the anomaly, and no acme data
            JsonNode pack = get(base + "/reports/soc2?tenant=beta&format=json&from=" + t.minusSeconds(3600) + "&to="
                    + Instant.now().plusSeconds(60), beta);
            JsonNode facts = pack.path("facts");
            assertThat(facts.path("denials")).anySatisfy(d -> {
                assertThat(d.path("path").asText()).isEqualTo("secret/data/tenants/beta/payroll");
                assertThat(d.path("actor_display_name").asText()).isEqualTo("approle-acme");
            });
            assertThat(facts.path("anomalies")).singleElement().satisfies(a -> {
                assertThat(a.path("rule").asText()).isEqualTo("cross_tenant_access");
                assertThat(a.path("via").asText()).isEqualTo("path");
                assertThat(a.path("fired_count").asLong()).isEqualTo(1);
            });
            assertThat(pack.toString()).doesNotContain("tenants/acme/").doesNotContain("private-plans");

            // acme still sees it as its token's action, its own anomaly
            JsonNode acmeAnomaly = get(base + "/anomalies?tenant=acme", acme).path("anomalies").get(0);
            assertThat(acmeAnomaly.path("via").asText()).isEqualTo("tenant");
            assertThat(acmeAnomaly.path("description").asText()).contains("beta");

            // beta's looks at the attempt and at its anomaly are filed under beta alone: acme's pack does not learn
            // who looked; beta's refused try at acme's own event is acme's evidence
            JsonNode acmePack = get(base + "/reports/soc2?tenant=acme&format=json&from=" + t.minusSeconds(3600)
                    + "&to=" + Instant.now().plusSeconds(60), acme);
            assertThat(acmePack.path("facts").path("meta_audit")).filteredOn(m -> m.path("token_id").asText()
                    .equals(beta.tokenId())).singleElement().satisfies(m -> {
                        assertThat(m.path("route").asText()).isEqualTo("/api/v1/events/{event_id}");
                        assertThat(m.path("outcome").asText()).isEqualTo("denied");
                    });
        }
    }

    /** A request and its response as Vault's socket device writes them, by a token of {@code tenant}. */
    private static String pair(Instant time, String id, String tenant, String path, String error) {
        StringBuilder out = new StringBuilder();
        for (String type : List.of("request", "response")) {
            out.append("{\"time\":\"").append(time.plusMillis(type.equals("request") ? 100 : 103))
                    .append("\",\"type\":\"").append(type).append("\",\"auth\":{\"display_name\":\"approle-")
                    .append(tenant).append("\",\"entity_id\":\"entity-").append(tenant)
                    .append("\",\"metadata\":{\"tenant_id\":\"").append(tenant).append("\"},\"policies\":[\"")
                    .append(tenant).append("-app\"]},\"request\":{\"id\":\"").append(id)
                    .append("\",\"operation\":\"read\",\"path\":\"").append(path)
                    .append("\",\"remote_address\":\"10.0.0.").append(tenant.length()).append("\"}");
            if (error != null) {
                out.append(",\"error\":\"").append(error).append("\"");
            }
            out.append("}\n");
        }
        return out.toString();
    }

    private JsonNode get(String url, CreatedToken token) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token.bearer()).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(url + ": " + new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private int status(String url, CreatedToken token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token.bearer())
                .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
