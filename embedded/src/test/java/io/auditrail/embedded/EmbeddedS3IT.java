package io.auditrail.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedS3IT {
    private static final String BUCKET = "auditrail-archive";

    @TempDir
    Path dir;

    @Test
    void objectsRoundTripByteExactAndSurviveARestart() {
        byte[] segment = new byte[256 * 1024 + 7];
        for (int i = 0; i < segment.length; i++) {
            segment[i] = (byte) (i * 31);
        }
        try (EmbeddedS3 s3 = new EmbeddedS3(EmbeddedS3.Config.of(dir))) {
            long t0 = System.nanoTime();
            s3.start();
            System.out.printf("s3 start: %.2f s%n", (System.nanoTime() - t0) / 1e9);
            assertThat(s3.endpoint().toString()).isEqualTo("http://127.0.0.1:" + s3.port());
            int port = s3.port();

            try (S3Client client = client(s3)) {
                client.createBucket(b -> b.bucket(BUCKET));
                client.putObject(b -> b.bucket(BUCKET).key("raw/2026/11/28/seg-0001.ndjson.gz"), RequestBody.fromBytes(segment));
                client.putObject(b -> b.bucket(BUCKET).key("raw/2026/11/28/seg-0002.ndjson.gz"), RequestBody.fromString("x"));
                client.putObject(b -> b.bucket(BUCKET).key("digests/2026/11/28/d-0001.json"), RequestBody.fromString("{}"));

                assertThat(client.getObjectAsBytes(b -> b.bucket(BUCKET).key("raw/2026/11/28/seg-0001.ndjson.gz"))
                        .asByteArray()).isEqualTo(segment);
                assertThat(client.listObjectsV2(b -> b.bucket(BUCKET).prefix("raw/")).contents())
                        .extracting(S3Object::key)
                        .containsExactly("raw/2026/11/28/seg-0001.ndjson.gz", "raw/2026/11/28/seg-0002.ndjson.gz");
            }

            t0 = System.nanoTime();
            s3.stop();
            System.out.printf("s3 stop: %.2f s%n", (System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            s3.start();
            System.out.printf("s3 restart: %.2f s%n", (System.nanoTime() - t0) / 1e9);
            assertThat(s3.port()).isEqualTo(port);

            try (S3Client client = client(s3)) {
                assertThat(client.getObjectAsBytes(b -> b.bucket(BUCKET).key("raw/2026/11/28/seg-0001.ndjson.gz"))
                        .asByteArray()).isEqualTo(segment);
                assertThat(client.listObjectsV2(b -> b.bucket(BUCKET).prefix("digests/")).contents())
                        .extracting(S3Object::key).containsExactly("digests/2026/11/28/d-0001.json");
            }
        }
    }

    @Test
    void ensureBucketIsIdempotent() {
        try (EmbeddedS3 s3 = new EmbeddedS3(EmbeddedS3.Config.of(dir)).start(); S3Client client = client(s3)) {
            s3.ensureBucket(BUCKET);
            client.putObject(b -> b.bucket(BUCKET).key("a"), RequestBody.fromString("kept"));
            s3.ensureBucket(BUCKET);
            assertThat(client.getObjectAsBytes(b -> b.bucket(BUCKET).key("a")).asString(StandardCharsets.UTF_8))
                    .isEqualTo("kept");
        }
    }

    @Test
    void wrongCredentialsAreRejected() {
        try (EmbeddedS3 s3 = new EmbeddedS3(EmbeddedS3.Config.of(dir)).start();
             S3Client client = S3Client.builder()
                     .endpointOverride(s3.endpoint())
                     .region(Region.of(s3.region()))
                     .forcePathStyle(true)
                     .credentialsProvider(StaticCredentialsProvider.create(
                             AwsBasicCredentials.create(s3.accessKey(), "not-the-secret")))
                     .httpClientBuilder(UrlConnectionHttpClient.builder())
                     .build()) {
            assertThatThrownBy(() -> client.createBucket(b -> b.bucket(BUCKET)))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
    }

    @Test
    void aTakenPortIsReportedAsSuch() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             EmbeddedS3 s3 = new EmbeddedS3(EmbeddedS3.Config.of(dir).withPort(taken.getLocalPort()))) {
            assertThatThrownBy(s3::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(taken.getLocalPort() + " is already in use");
        }
    }

    static S3Client client(EmbeddedS3 s3) {
        return S3Client.builder()
                .endpointOverride(s3.endpoint())
                .region(Region.of(s3.region()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }
}
