package io.auditrail.app.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.auditrail.app.CliRun;
import io.auditrail.app.ExitCode;
import io.auditrail.app.dev.DevStack;
import io.auditrail.archive.ArchiveConfig;
import io.auditrail.archive.ArchiveVerifier;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The archive and index commands as an operator runs them, against a dev stack's real services: migrate, retention,
 * verify on an intact archive and after one object is altered, replay, keygen, and the one-line refusals.
 */
class ArchiveAndIndexCommandsIT {
    private static final String BUCKET = "auditrail-archive";

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void operatorCommandsAgainstARunningStack(@TempDir Path dir) throws Exception {
        try (DevStack stack = DevStack.start(new DevStack.Options(dir.resolve("dev"), "127.0.0.1", 0, 0, 0, 0, 0,
                BUCKET, Settings.of(Map.of(ArchiveConfig.OBJECT_MAX_AGE_MS, "500",
                        ArchiveConfig.DIGEST_INTERVAL_MS, "1500"))))) {
            Settings settings = stack.settings();
            List<String> set = new ArrayList<>();
            settings.asMap().forEach((k, v) -> {
                set.add("--set");
                set.add(k + "=" + v);
            });

            CliRun migrate = run("migrate", set, List.of());
            assertThat(migrate.exitCode()).as(migrate.err()).isZero();
            assertThat(migrate.out()).contains("(0 migrations applied)"); // the index stage migrated on start

            CliRun retention = run("retention", set, List.of());
            assertThat(retention.exitCode()).as(retention.err()).isZero();
            assertThat(retention.out())
                    .contains("retention keeps " + Instant.now().atZone(ZoneOffset.UTC).toLocalDate().minusDays(90))
                    .contains("oldest retained day: ");

            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
            send(stack, start, 30);
            Instant from = start.minus(Duration.ofHours(1));
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    ArchiveVerifier.verify(settings, from, Instant.now().plusSeconds(60)).lines() == 30);

            List<String> period = List.of("--from", from.toString(), "--to", Instant.now().plusSeconds(60).toString());
            CliRun intact = run("verify", set, period);
            assertThat(intact.exitCode()).as(intact.out() + intact.err()).isEqualTo(ExitCode.OK);
            assertThat(intact.out()).startsWith("intact: ").contains(" 30 lines ");

            CliRun replay = run("replay", set, List.of("--from", from.toString(), "--topic", "replay.check"));
            assertThat(replay.exitCode()).as(replay.err()).isZero();
            assertThat(replay.out()).contains("replayed 30 lines");

            // one archived object altered in the bucket: verify names it and exits 3
            try (S3Client s3 = s3(settings)) {
                S3Object object = s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("raw/")).contents().get(0);
                s3.putObject(b -> b.bucket(BUCKET).key(object.key()), RequestBody.fromString("{\"forged\":true}\n"));
                CliRun altered = run("verify", set, period);
                assertThat(altered.exitCode()).isEqualTo(ExitCode.FINDINGS);
                assertThat(altered.out()).contains("ALTERED_OBJECT " + object.key()).contains("NOT INTACT");
            }
        }

        // refusals: one line, exit 2
        CliRun badTime = CliRun.of("verify", "--from", "yesterday");
        assertThat(badTime.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(badTime.err()).contains("neither an RFC 3339 time").doesNotContain("\tat ");
        CliRun noKey = CliRun.of("archive", "--set", ArchiveConfig.SIGNING_KEY_FILE + "=");
        assertThat(noKey.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(noKey.err()).contains("auditrail archive keygen");

        Path priv = dir.resolve("k.pem");
        Path pub = dir.resolve("k.pub.pem");
        CliRun keygen = CliRun.of("archive", "keygen", "--private-key", priv.toString(), "--public-key", pub.toString());
        assertThat(keygen.exitCode()).as(keygen.err()).isZero();
        assertThat(keygen.out()).contains("fingerprint");
        assertThat(Files.readString(priv)).startsWith("-----BEGIN PRIVATE KEY-----");
        CliRun again = CliRun.of("archive", "keygen", "--private-key", priv.toString(), "--public-key", pub.toString());
        assertThat(again.exitCode()).as("never overwrites a key").isEqualTo(ExitCode.FAILURE);
    }

    private static CliRun run(String command, List<String> set, List<String> more) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(set);
        args.addAll(more);
        return CliRun.of(args.toArray(String[]::new));
    }

    private static void send(DevStack stack, Instant start, int lines) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            text.append("{\"time\":\"").append(start.plusSeconds(i)).append("\",\"type\":\"request\",\"auth\":")
                    .append("{\"metadata\":{\"tenant_id\":\"acme\"}},\"request\":{\"id\":\"cli-").append(i)
                    .append("\",\"operation\":\"read\",\"path\":\"secret/data/tenants/acme/k\"}}\n");
        }
        int port = Integer.parseInt(stack.endpoints().get("Vault socket device").replaceAll(".*:", ""));
        try (Socket s = new Socket("127.0.0.1", port); OutputStream out = s.getOutputStream()) {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
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
