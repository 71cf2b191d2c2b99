package io.auditrail.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.EmbeddedS3;
import io.auditrail.index.DatabaseRoles;
import io.auditrail.index.Migrations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.postgresql.ds.PGSimpleDataSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A raw topic on real Kafka, a bucket on real S3, a migrated database of its own on real PostgreSQL (the chain head
 * table), a key pair, and the lines sent, by partition and offset.
 */
final class ArchiveTestbed implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(60);
    final String topic = "raw-" + UUID.randomUUID();
    final String bucket = "archive-" + UUID.randomUUID().toString().substring(0, 8);
    final EmbeddedKafka kafka;
    final EmbeddedS3 s3;
    final String jdbcUrl;
    final String dbUser;
    final Path privateKey;
    final Path publicKey;
    /** partition -> offset -> line */
    final Map<Integer, TreeMap<Long, byte[]>> sent = new TreeMap<>();
    private final KafkaProducer<byte[], byte[]> producer;
    private int counter;

    ArchiveTestbed(EmbeddedKafka kafka, EmbeddedS3 s3, EmbeddedPostgres pg, Path dir) throws Exception {
        this.kafka = kafka;
        this.s3 = s3;
        s3.ensureBucket(bucket);
        String database = "archive_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        }
        jdbcUrl = pg.jdbcUrl().substring(0, pg.jdbcUrl().lastIndexOf('/') + 1) + database;
        dbUser = pg.username();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl);
        ds.setUser(dbUser);
        Migrations.migrate(ds);
        pg.ensureLoginRole(DatabaseRoles.ARCHIVE); // the archiver as its own role (sql/V51), as deployed
        privateKey = dir.resolve("archive.key");
        publicKey = dir.resolve("archive.pub");
        ArchiveKeys.generate(privateKey, publicKey);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
            awaitLeaders(admin, topic);
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // one request in flight: a first send that races the new partition's leader election is then retried
        // alone, instead of leaving later batches ahead of it (OUT_OF_ORDER_SEQUENCE_NUMBER on the fresh topic)
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer = new KafkaProducer<>(p);
    }

    static void awaitLeaders(Admin admin, String name) throws Exception {
        long until = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < until) {
            try {
                var d = admin.describeTopics(List.of(name)).allTopicNames().get().get(name);
                if (d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (java.util.concurrent.ExecutionException e) {
                // a topic just created may be unknown to the broker's metadata for a moment
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no leaders for " + name);
    }

    Settings settings(Map<String, String> extra) {
        Map<String, String> s = new HashMap<>();
        s.put(CoreConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        s.put(CoreConfig.TOPIC_RAW, topic);
        s.put(CoreConfig.S3_ENDPOINT, s3.endpoint().toString());
        s.put(CoreConfig.S3_ACCESS_KEY, s3.accessKey());
        s.put(CoreConfig.S3_SECRET_KEY, s3.secretKey());
        s.put(CoreConfig.S3_REGION, s3.region());
        s.put(CoreConfig.S3_BUCKET, bucket);
        s.put(CoreConfig.POSTGRES_URL, jdbcUrl);
        s.put(ArchiveConfig.POSTGRES_USER, DatabaseRoles.ARCHIVE);
        s.put(CoreConfig.POSTGRES_USER, dbUser);
        s.put(CoreConfig.POSTGRES_PASSWORD, "");
        s.put(ArchiveConfig.SIGNING_KEY_FILE, privateKey.toString());
        s.put(ArchiveConfig.PUBLIC_KEY_FILE, publicKey.toString());
        s.put(ArchiveConfig.CONSUMER_GROUP, "archive-" + topic);
        s.put(ArchiveConfig.OBJECT_MAX_BYTES, "16384");
        s.put(ArchiveConfig.OBJECT_MAX_AGE_MS, "3600000");
        s.put(ArchiveConfig.SHUTDOWN_TIMEOUT_MS, "10000");
        s.put(ArchiveConfig.RETRY_BACKOFF_MAX_MS, "500");
        s.putAll(extra);
        return Settings.of(s);
    }

    ArchiveConfig config(Map<String, String> extra) {
        return new ArchiveConfig(settings(extra));
    }

    /** Sends n Vault-like lines (some not UTF-8) and records where each landed. */
    void send(int n) throws Exception {
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        List<byte[]> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int id = counter++;
            String requestId = UUID.nameUUIDFromBytes(Integer.toString(id).getBytes(StandardCharsets.UTF_8)).toString();
            byte[] line = ("{\"time\":\"2026-11-28T16:00:00.000000Z\",\"type\":\"" + (id % 2 == 0 ? "request" : "response")
                    + "\",\"request\":{\"id\":\"" + requestId + "\",\"path\":\"secret/data/tenants/t" + (id % 7)
                    + "/db\"},\"n\":" + id + ",\"note\":\"\u00e9\u6f22 " + "x".repeat(id % 50) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            if (id % 97 == 0) {
                line[line.length - 3] = (byte) 0xff; // a byte that is not UTF-8 must come back unchanged
            }
            lines.add(line);
            futures.add(producer.send(new ProducerRecord<>(topic, requestId.getBytes(StandardCharsets.UTF_8), line)));
        }
        producer.flush();
        for (int i = 0; i < n; i++) {
            RecordMetadata m = futures.get(i).get();
            sent.computeIfAbsent(m.partition(), p -> new TreeMap<>()).put(m.offset(), lines.get(i));
        }
    }

    /**
     * Archives 1000 lines in two rounds with a digest every second, so there are several digests, the first of them
     * not the last; the stage is closed at the end (its last digest written and recorded).
     */
    void archiveInTwoRounds() throws Exception {
        ArchiveStage stage = ArchiveStage.start(config(Map.of(ArchiveConfig.OBJECT_MAX_AGE_MS, "300",
                ArchiveConfig.DIGEST_INTERVAL_MS, "1000")), new SimpleMeterRegistry(), Clock.systemUTC());
        long before = sentCount();
        try {
            send(500);
            await().atMost(WAIT).until(() -> stage.metrics().linesArchived() == before + 500);
            await().atMost(WAIT).until(() -> stage.metrics().digestsWritten() >= 2);
            send(500);
            await().atMost(WAIT).until(() -> stage.metrics().linesArchived() == before + 1000);
        } finally {
            stage.close();
        }
        assertThat(stage.failure()).isEmpty();
    }

    int sentCount() {
        return sent.values().stream().mapToInt(Map::size).sum();
    }

    S3Client s3Client() {
        return S3Client.builder().endpointOverride(URI.create(s3.endpoint().toString())).region(Region.of(s3.region()))
                .forcePathStyle(true).httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(),
                        s3.secretKey()))).build();
    }

    void overwrite(String key, byte[] body) {
        try (S3Client c = s3Client()) {
            c.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));
        }
    }

    void delete(String key) {
        try (S3Client c = s3Client()) {
            c.deleteObject(b -> b.bucket(bucket).key(key));
        }
    }

    ArchiveStore store() {
        return ArchiveStore.open(config(Map.of()), Clock.systemUTC());
    }

    /** A reader on {@code store} with the chain's public key, as serve has it. */
    ArchiveReader reader(ArchiveStore store) {
        ArchiveConfig config = config(Map.of());
        return new ArchiveReader(store, config, config.publicKey(), heads(), Clock.systemUTC(), false);
    }

    /** A verifier on {@code store} whose clock and clock margin the test chooses. */
    ArchiveVerifier verifier(ArchiveStore store, Clock clock, Duration clockMargin) {
        ArchiveConfig config = config(Map.of());
        return new ArchiveVerifier(store, config.publicKey(), heads(), config.digestDueWithin(), clock, clockMargin);
    }

    ChainHeadStore heads() {
        return ChainHeadStore.open(config(Map.of()));
    }

    /** Runs SQL on this testbed's database, as its owner (who may do what no stage may). */
    void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, dbUser, "");
             Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    /** Every archived line, by partition and offset, failing on a line archived twice. */
    Map<Integer, TreeMap<Long, byte[]>> archived() {
        Map<Integer, TreeMap<Long, byte[]>> out = new TreeMap<>();
        try (ArchiveStore store = store(); ArchiveReader reader = reader(store)) {
            for (ObjectKey key : reader.objects(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"))) {
                List<byte[]> lines = reader.lines(key).orElseThrow();
                assertThat(lines).as(key.key()).hasSize((int) key.offsetCount());
                for (int i = 0; i < lines.size(); i++) {
                    byte[] before = out.computeIfAbsent(key.partition(), p -> new TreeMap<>())
                            .put(key.firstOffset() + i, lines.get(i));
                    assertThat(before).as("offset " + (key.firstOffset() + i) + " archived twice").isNull();
                }
            }
        }
        return out;
    }

    /** Asserts archived = sent, byte for byte. */
    void assertArchivedExactly() {
        Map<Integer, TreeMap<Long, byte[]>> archived = archived();
        assertThat(archived.keySet()).isEqualTo(sent.keySet());
        for (var e : sent.entrySet()) {
            TreeMap<Long, byte[]> got = archived.get(e.getKey());
            assertThat(got.keySet()).as("partition " + e.getKey()).isEqualTo(e.getValue().keySet());
            e.getValue().forEach((offset, line) -> assertThat(got.get(offset)).as("p" + e.getKey() + "@" + offset)
                    .isEqualTo(line));
        }
    }

    /** An object's body as the archiver writes it: the lines, each followed by a newline, gzipped. */
    static byte[] gzip(List<byte[]> lines) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            for (byte[] l : lines) {
                gz.write(l);
                gz.write('\n');
            }
        }
        return out.toByteArray();
    }

    /** Every object key and SHA-256 in a bucket. */
    Map<String, String> objectHashes(String inBucket) {
        Map<String, String> out = new TreeMap<>();
        try (ArchiveStore store = ArchiveStore.open(config(Map.of(CoreConfig.S3_BUCKET, inBucket)), Clock.systemUTC())) {
            for (String k : store.list(ObjectKey.PREFIX, null)) { // a test bucket: small
                out.put(k, Hashes.sha256Hex(store.get(k).orElseThrow()));
            }
        }
        return out;
    }

    /** Lines in the objects stored so far (from their keys). */
    long linesStored() {
        try (ArchiveStore store = store()) {
            return store.list(ObjectKey.PREFIX, null).stream().map(ObjectKey::parse)
                    .mapToLong(k -> k.map(ObjectKey::offsetCount).orElse(0L)).sum();
        }
    }

    List<String> digestKeys() {
        try (ArchiveStore store = store()) {
            return store.list(Digest.PREFIX, null).stream().filter(Digest::isDigestKey).toList();
        }
    }

    VerifyReport verify() {
        return verify(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"));
    }

    VerifyReport verify(Instant from, Instant to) {
        return ArchiveVerifier.verify(settings(Map.of()), from, to);
    }

    /** Verify without the clock margin, so objects stored a moment before a digest count as unlisted too. */
    VerifyReport verifyWithoutMargin(Instant from, Instant to) {
        try (ArchiveStore store = store()) {
            return verifier(store, Clock.systemUTC(), Duration.ZERO).verify(from, to);
        }
    }

    /** The keys of the objects a digest lists. */
    List<String> listedBy(String digestKey) {
        try (ArchiveStore store = store()) {
            return Digest.parse(store.get(digestKey).orElseThrow()).objects().stream().map(DigestEntry::key).toList();
        }
    }

    /** The kit's balance, with the lines still in open objects as the only ones not yet ended. */
    static void assertCountsAddUp(ArchiveMetrics m) {
        assertThat(m.records().unaccounted()).as("received - (sent + skipped) = buffered")
                .isEqualTo((double) m.linesBuffered());
    }

    @Override
    public void close() {
        producer.close();
    }
}
