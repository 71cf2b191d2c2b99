package io.auditrail.app.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditrail.app.CliRun;
import io.auditrail.app.ExitCode;
import io.auditrail.app.dev.DevStack;
import io.auditrail.archive.ArchiveConfig;
import io.auditrail.archive.ArchiveKeys;
import io.auditrail.archive.ArchiveVerifier;
import io.auditrail.archive.Digest;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.reports.evidence.EvidenceConfig;
import io.auditrail.reports.evidence.EvidencePackVerifier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 17, items 6 to 8, from outside: a dev stack archives real lines, then its bucket is tampered with as someone
 * with write access to it (or with serve's keys) would, and {@code auditrail verify}, {@code GET /archive/verify} and
 * {@code GET /events/{id}/raw} say so. The first run writes the archive (a digest every 1.5 s); the second resumes it
 * with a digest interval of an hour, so no digest is written while the test tampers and the chain left behind is the
 * attacker's.
 */
class ArchiveTamperIT {
    private static final String BUCKET = "auditrail-archive";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void tamperingWithTheBucketIsDetectedAndNeverServed(@TempDir Path dir) throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        Instant from = start.minus(Duration.ofHours(1));
        Map<String, byte[]> sentLines = new LinkedHashMap<>();
        try (DevStack first = DevStack.start(options(dir, "1500"))) {
            send(first, start, 20, sentLines);
            await().atMost(Duration.ofSeconds(90)).until(() ->
                    ArchiveVerifier.verify(first.settings(), from, Instant.now().plusSeconds(60)).lines() == 40);
        }

        try (DevStack stack = DevStack.start(options(dir, "3600000"))) {
            Settings settings = stack.settings();
            String api = "http://127.0.0.1:" + stack.httpPort() + "/api/v1";
            String admin = stack.adminToken();
            Instant to = Instant.now().plusSeconds(60);
            String period = "?from=" + enc(from.toString()) + "&to=" + enc(to.toString());
            List<String> verifyArgs = List.of("--from", from.toString(), "--to", to.toString());

            CliRun intact = verify(settings, verifyArgs);
            assertThat(intact.exitCode()).as(intact.out() + intact.err()).isEqualTo(ExitCode.OK);
            assertThat(json(get(api + "/archive/verify" + period, admin)).path("intact").asBoolean()).isTrue();

            // an event's raw line, served because its object matches the signed digest that lists it
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    json(get(api + "/tenants/acme/events?limit=100", admin)).path("events").size() == 40);
            JsonNode event = json(get(api + "/tenants/acme/events?limit=100", admin)).path("events").get(0);
            String raw = api + "/events/" + event.path("event_id").asText() + "/raw";
            HttpResponse<byte[]> served = getBytes(raw, admin);
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(sentLines.values()).anySatisfy(line -> assertThat(served.body()).isEqualTo(line));

            try (S3Client s3 = s3(settings)) {
                String objectKey = objectHolding(s3, served.body());
                byte[] original = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(objectKey)).asByteArray();

                // an altered object behind /raw: refused, not served; verify names it
                put(s3, objectKey, gzip("{\"forged\":true}\n".repeat(40)));
                HttpResponse<byte[]> altered = getBytes(raw, admin);
                assertThat(altered.statusCode()).isEqualTo(409);
                assertThat(new String(altered.body(), StandardCharsets.UTF_8)).doesNotContain("forged\\\":true")
                        .contains("signed digest");
                CliRun alteredVerify = verify(settings, verifyArgs);
                assertThat(alteredVerify.exitCode()).isEqualTo(ExitCode.FINDINGS);
                assertThat(alteredVerify.out()).contains("ALTERED_OBJECT " + objectKey).contains("NOT INTACT");

                // a decompression bomb there instead: refused before it is inflated, the server unharmed
                put(s3, objectKey, bomb(256 << 20));
                assertThat(getBytes(raw, admin).statusCode()).isEqualTo(409);
                assertThat(get(api + "/archive/verify" + period, admin).statusCode()).isEqualTo(200);
                put(s3, objectKey, original);

                List<String> digests = digestKeys(s3);
                String newest = digests.get(digests.size() - 1);
                byte[] newestBody = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(newest)).asByteArray();
                byte[] newestSig = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(Digest.signatureKey(newest)))
                        .asByteArray();

                // a chain re-signed with the key serve holds (the pack key): the signature does not verify
                PrivateKey serveKey = ArchiveKeys.readPrivateKey(Path.of(settings.asMap()
                        .get(EvidenceConfig.SIGNING_KEY_FILE)));
                byte[] rewritten = new String(newestBody, StandardCharsets.UTF_8).replace("\"objects\":[",
                        "\"objects\":[ ").getBytes(StandardCharsets.UTF_8);
                put(s3, Digest.signatureKey(newest), (Base64.getEncoder().encodeToString(
                        ArchiveKeys.sign(serveKey, rewritten)) + "\n").getBytes(StandardCharsets.US_ASCII));
                put(s3, newest, rewritten);
                CliRun resigned = verify(settings, verifyArgs);
                assertThat(resigned.exitCode()).isEqualTo(ExitCode.FINDINGS);
                assertThat(resigned.out()).contains("BAD_SIGNATURE " + newest);

                // the newest digests and their signatures deleted: what is left is a consistent, signed chain
                List<String> deleted = digests.subList(digests.size() - 2, digests.size());
                for (String k : deleted) {
                    s3.deleteObject(b -> b.bucket(BUCKET).key(k));
                    s3.deleteObject(b -> b.bucket(BUCKET).key(Digest.signatureKey(k)));
                }
                CliRun truncated = verify(settings, verifyArgs);
                assertThat(truncated.exitCode()).as(truncated.out()).isEqualTo(ExitCode.FINDINGS);
                assertThat(truncated.out()).contains("TRUNCATED_CHAIN " + newest).contains("NOT INTACT");
                JsonNode report = json(get(api + "/archive/verify" + period, admin));
                assertThat(report.path("intact").asBoolean()).isFalse();
                assertThat(report.path("problems").findValuesAsText("kind")).contains("truncated_chain");

                // a period with nothing left in it is not intact
                Instant deletedFrom = Digest.createdOf(deleted.get(0)).orElseThrow();
                JsonNode empty = json(get(api + "/archive/verify?from=" + enc(deletedFrom.toString()) + "&to="
                        + enc(to.toString()), admin));
                assertThat(empty.path("digests").asInt()).isZero();
                assertThat(empty.path("intact").asBoolean()).isFalse();
                assertThat(empty.path("problems").findValuesAsText("kind")).contains("no_digest", "truncated_chain");

                put(s3, Digest.signatureKey(newest), newestSig);
                put(s3, newest, newestBody);
            }

            // the pack is signed with the pack key: a manifest signed with the archive's key is refused
            byte[] pack = getBytes(api + "/reports/soc2" + period + "&tenant=acme&format=zip", admin).body();
            var packKey = ArchiveKeys.readPublicKey(Path.of(settings.asMap().get(EvidenceConfig.SIGNING_KEY_FILE))
                    .resolveSibling("public-key.pem"));
            assertThat(EvidencePackVerifier.verify(pack, packKey).valid()).isTrue();
            PrivateKey chainKey = ArchiveKeys.readPrivateKey(Path.of(settings.asMap()
                    .get(ArchiveConfig.SIGNING_KEY_FILE)));
            assertThat(EvidencePackVerifier.verify(resignManifest(pack, chainKey), packKey).problems())
                    .containsExactly("manifest.sig does not verify manifest.json with the given key");
        }
    }

    private static DevStack.Options options(Path dir, String digestIntervalMs) {
        return new DevStack.Options(dir.resolve("dev"), "127.0.0.1", 0, 0, 0, 0, 0, BUCKET, Settings.of(Map.of(
                ArchiveConfig.OBJECT_MAX_AGE_MS, "500", ArchiveConfig.DIGEST_INTERVAL_MS, digestIntervalMs)));
    }

    private static CliRun verify(Settings settings, List<String> period) {
        List<String> args = new ArrayList<>(List.of("verify"));
        settings.asMap().forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
        args.addAll(period);
        return CliRun.of(args.toArray(String[]::new));
    }

    /** The raw object whose lines hold {@code line}. */
    private static String objectHolding(S3Client s3, byte[] line) throws Exception {
        for (var o : s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("raw/")).contents()) {
            byte[] body = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(o.key())).asByteArray();
            String content;
            try (var in = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(body))) {
                content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (content.contains(new String(line, StandardCharsets.UTF_8) + "\n")) {
                return o.key();
            }
        }
        throw new AssertionError("no object holds the line");
    }

    private static List<String> digestKeys(S3Client s3) {
        return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(Digest.PREFIX)).contents().stream()
                .map(o -> o.key()).filter(Digest::isDigestKey).toList();
    }

    /** The pack with its manifest signed again with another key (everything else unchanged). */
    private static byte[] resignManifest(byte[] zip, PrivateKey key) throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        assertThat(entries.keySet()).containsAll(Set.of("manifest.json", "manifest.sig"));
        entries.put("manifest.sig", (Base64.getEncoder().encodeToString(ArchiveKeys.sign(key,
                entries.get("manifest.json"))) + "\n").getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static void send(DevStack stack, Instant start, int pairs, Map<String, byte[]> sent) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < pairs; i++) {
            for (String type : List.of("request", "response")) {
                String line = "{\"time\":\"" + start.plusSeconds(i) + "\",\"type\":\"" + type + "\",\"auth\":"
                        + "{\"metadata\":{\"tenant_id\":\"acme\"}},\"request\":{\"id\":\"tamper-" + i
                        + "\",\"operation\":\"read\",\"path\":\"secret/data/tenants/acme/k\"}}";
                sent.put(type + i, line.getBytes(StandardCharsets.UTF_8));
                text.append(line).append('\n');
            }
        }
        int port = Integer.parseInt(stack.endpoints().get("Vault socket device").replaceAll(".*:", ""));
        try (Socket s = new Socket("127.0.0.1", port); OutputStream out = s.getOutputStream()) {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static byte[] gzip(String content) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static byte[] bomb(int zeros) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 20];
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            for (int i = 0; i < zeros; i += chunk.length) {
                gz.write(chunk);
            }
        }
        return out.toByteArray();
    }

    private static void put(S3Client s3, String key, byte[] body) {
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(body));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> get(String url, String bearer) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + bearer).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> getBytes(String url, String bearer) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + bearer).GET()
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static S3Client s3(Settings settings) {
        Map<String, String> m = settings.asMap();
        return S3Client.builder().endpointOverride(URI.create(m.get(CoreConfig.S3_ENDPOINT)))
                .region(Region.of(m.get(CoreConfig.S3_REGION))).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        m.get(CoreConfig.S3_ACCESS_KEY), m.get(CoreConfig.S3_SECRET_KEY))))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }
}
