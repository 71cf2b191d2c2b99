package io.auditrail.app.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.auditrail.app.CliRun;
import io.auditrail.app.ExitCode;
import io.auditrail.app.dev.DevStack;
import io.auditrail.archive.ArchiveConfig;
import io.auditrail.archive.ArchiveKeys;
import io.auditrail.core.config.Settings;
import io.auditrail.reports.evidence.EvidenceConfig;
import io.auditrail.reports.evidence.EvidencePackVerifier;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API as dev mode serves it and the operator's token and report commands: the printed admin token works, an
 * auditor token made with {@code auditrail token create} sees its tenant and is refused another, revoking it shuts it
 * out, and {@code auditrail report soc2} writes a pack whose signed manifest verifies with the archive's public key.
 */
class ServeTokenReportCommandsIT {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void tokensScopeTheApiAndTheReportCommandWritesAVerifiablePack(@TempDir Path dir) throws Exception {
        try (DevStack stack = DevStack.start(new DevStack.Options(dir.resolve("dev"), "127.0.0.1", 0, 0, 0, 0, 0,
                "auditrail-archive", Settings.of(Map.of())))) {
            Settings settings = stack.settings();
            List<String> set = new ArrayList<>();
            settings.asMap().forEach((k, v) -> set.addAll(List.of("--set", k + "=" + v)));
            String base = "http://127.0.0.1:" + stack.httpPort() + "/api/v1";

            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
            send(stack, start, "acme", 10);
            send(stack, start, "globex", 5);
            // both tenants' last lines indexed (partitions are written in no particular order)
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    get(base + "/tenants/globex/events?limit=100", stack.adminToken()).body().contains("req-globex-4")
                    && get(base + "/tenants/acme/events?limit=100", stack.adminToken()).body().contains("req-acme-9"));
            assertThat(get(base + "/tenants/acme/events", null).statusCode()).isEqualTo(401);
            HttpResponse<String> console = get("http://127.0.0.1:" + stack.httpPort() + "/", null);
            assertThat(console.statusCode()).as("the console's sign-in page beside the API").isEqualTo(200);
            assertThat(console.body()).contains("<form", "sign-in");

            CliRun created = run(set, "token", "create", "--name", "acme auditor", "--role", "auditor",
                    "--tenant", "acme", "--ttl-days", "2");
            assertThat(created.exitCode()).as(created.err()).isZero();
            String bearer = created.out().lines().filter(l -> l.startsWith("art_")).findFirst().orElseThrow();
            String tokenId = created.out().lines().findFirst().orElseThrow().split(" ")[1];

            HttpResponse<String> own = get(base + "/tenants/acme/events?limit=100", bearer);
            assertThat(own.statusCode()).isEqualTo(200);
            assertThat(own.body()).contains("req-acme-9").doesNotContain("globex");
            assertThat(get(base + "/tenants/globex/events", bearer).statusCode()).isEqualTo(403);

            CliRun list = run(set, "token", "list");
            assertThat(list.out()).contains(tokenId, "auditor", "active", "acme auditor").doesNotContain(bearer);

            Path pack = dir.resolve("pack.zip");
            CliRun report = run(set, "report", "soc2", "--tenant", "acme", "--from", start.minusSeconds(3600)
                    .toString(), "--to", Instant.now().plusSeconds(60).toString(), "--out", pack.toString());
            assertThat(report.exitCode()).as(report.err()).isZero();
            // signed with the pack key the dev stack made beside the archive's, and not with the archive's key
            Path packPublicKey = Path.of(settings.asMap().get(EvidenceConfig.SIGNING_KEY_FILE))
                    .resolveSibling("public-key.pem");
            var verified = EvidencePackVerifier.verify(Files.readAllBytes(pack), ArchiveKeys.readPublicKey(packPublicKey));
            assertThat(verified.valid()).as(verified.problems().toString()).isTrue();
            assertThat(EvidencePackVerifier.verify(Files.readAllBytes(pack), ArchiveKeys.readPublicKey(
                    Path.of(settings.asMap().get(ArchiveConfig.PUBLIC_KEY_FILE)))).valid()).isFalse();

            CliRun revoke = run(set, "token", "revoke", tokenId);
            assertThat(revoke.exitCode()).as(revoke.err()).isZero();
            assertThat(get(base + "/tenants/acme/events", bearer).statusCode()).isEqualTo(401);
            assertThat(run(set, "token", "revoke", tokenId).exitCode()).isEqualTo(ExitCode.FAILURE);
            assertThat(run(set, "token", "create", "--name", "x", "--role", "auditor").exitCode())
                    .as("an auditor token needs a tenant").isEqualTo(ExitCode.USAGE);
            // issue 17, item 16: a lifetime beyond reports.token.max.ttl.days (365) is refused, and nothing is stored
            int tokensBefore = run(set, "token", "list").out().split("\n").length;
            CliRun forever = run(set, "token", "create", "--name", "forever", "--role", "admin", "--ttl-days", "36500");
            assertThat(forever.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(forever.err()).contains("at most 365 days");
            assertThat(forever.out()).doesNotContain("art_");
            assertThat(run(set, "token", "list").out().split("\n")).hasSize(tokensBefore);
        }
    }

    private static CliRun run(List<String> set, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        // options after the subcommand's own name: picocli takes --set on the leaf command
        all.addAll(set);
        return CliRun.of(all.toArray(String[]::new));
    }

    private HttpResponse<String> get(String url, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void send(DevStack stack, Instant start, String tenant, int lines) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            for (String type : List.of("request", "response")) { // a pair: the index gets both without waiting
                text.append("{\"time\":\"").append(start.plusSeconds(i)).append("\",\"type\":\"").append(type)
                        .append("\",\"auth\":{\"metadata\":{\"tenant_id\":\"").append(tenant)
                        .append("\"}},\"request\":{\"id\":\"req-").append(tenant).append('-').append(i)
                        .append("\",\"operation\":\"read\",\"path\":\"secret/data/tenants/").append(tenant)
                        .append("/k\"}}\n");
            }
        }
        int port = Integer.parseInt(stack.endpoints().get("Vault socket device").replaceAll(".*:", ""));
        try (Socket s = new Socket("127.0.0.1", port); OutputStream out = s.getOutputStream()) {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
