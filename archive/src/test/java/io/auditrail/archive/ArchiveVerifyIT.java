package io.auditrail.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.EmbeddedS3;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EmbeddedServicesExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ArchiveVerifyIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    private static void archive(ArchiveTestbed bed) throws Exception {
        bed.archiveInTwoRounds();
    }

    @Test
    void verifyNamesEachTamperedObjectOrDigest(EmbeddedKafka kafka, EmbeddedS3 s3, EmbeddedPostgres pg) throws Exception {
        try (ArchiveTestbed bed = new ArchiveTestbed(kafka, s3, pg, temp)) {
            archive(bed);
            VerifyReport clean = bed.verify();
            assertThat(clean.problems()).isEmpty();
            assertThat(clean.lines()).isEqualTo(1000);

            String victim = bed.objectHashes(bed.bucket).keySet().iterator().next();
            byte[] original;
            try (ArchiveStore store = bed.store()) {
                original = store.get(victim).orElseThrow();
            }

            // altered: one line changed, still valid gzip NDJSON
            List<byte[]> lines = new ArrayList<>(ObjectContent.lines(original, 1 << 20));
            lines.set(0, new String(lines.get(0), StandardCharsets.UTF_8).replace("request", "reqvest")
                    .getBytes(StandardCharsets.UTF_8));
            bed.overwrite(victim, ArchiveTestbed.gzip(lines));
            assertThat(bed.verify().problems()).extracting(Problem::kind, Problem::key)
                    .containsExactly(tuple(Problem.Kind.ALTERED_OBJECT, victim));
            bed.overwrite(victim, original);

            // missing
            bed.delete(victim);
            assertThat(bed.verify().problems()).extracting(Problem::kind, Problem::key)
                    .containsExactly(tuple(Problem.Kind.MISSING_OBJECT, victim));
            bed.overwrite(victim, original);
            assertThat(bed.verify().problems()).isEmpty();

            // an altered digest: its signature fails, and the next digest no longer links to it
            List<String> digests = bed.digestKeys();
            assertThat(digests).hasSizeGreaterThanOrEqualTo(3);
            String digest = digests.get(0);
            byte[] digestBody;
            try (ArchiveStore store = bed.store()) {
                digestBody = store.get(digest).orElseThrow();
            }
            bed.overwrite(digest, new String(digestBody, StandardCharsets.UTF_8)
                    .replace("\"version\":1", "\"version\":1 ").getBytes(StandardCharsets.UTF_8));
            // (and it is no longer the digest the chain head table recorded when it was written)
            assertThat(bed.verify().problems()).extracting(Problem::kind, Problem::key).containsExactlyInAnyOrder(
                    tuple(Problem.Kind.BAD_SIGNATURE, digest), tuple(Problem.Kind.BROKEN_CHAIN, digests.get(1)),
                    tuple(Problem.Kind.BROKEN_CHAIN, digest));
            bed.overwrite(digest, digestBody);

            // an inserted object: no digest lists it, though a later digest exists
            String forged = new ObjectKey(Instant.parse("2026-11-28T00:00:00Z").plusSeconds(1),
                    Instant.parse("2026-11-28T00:00:02Z"), 0, 0, lines.size() - 1).key();
            bed.overwrite(forged, ArchiveTestbed.gzip(lines));
            ArchiveStage again = ArchiveStage.start(bed.config(Map.of()), new SimpleMeterRegistry(), Clock.systemUTC());
            await().atMost(WAIT).until(again::isReady);
            again.close();
            assertThat(again.metrics().digestsWritten()).isEqualTo(1);
            try (ArchiveStore store = bed.store()) {
                assertThat(bed.verifier(store, Clock.systemUTC(), Duration.ZERO).verify(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z")).problems())
                        .extracting(Problem::kind, Problem::key)
                        .containsExactly(tuple(Problem.Kind.UNLISTED_OBJECT, forged));
            }
            bed.delete(forged);

            // a deleted digest: the chain breaks at the next one
            bed.delete(digests.get(1));
            List<Problem> problems = bed.verify().problems();
            assertThat(problems).extracting(Problem::kind, Problem::key)
                    .contains(tuple(Problem.Kind.BROKEN_CHAIN, digests.get(2)));
            assertThat(problems).extracting(Problem::detail).anyMatch(d -> d.contains(digests.get(1)));
        }
    }

    @Test
    void replayRepublishesEveryArchivedLineOnceWithItsKey(EmbeddedKafka kafka, EmbeddedS3 s3, EmbeddedPostgres pg) throws Exception {
        try (ArchiveTestbed bed = new ArchiveTestbed(kafka, s3, pg, temp)) {
            archive(bed);
            String target = "replayed-" + UUID.randomUUID();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(target, 3, (short) 1))).all().get();
                ArchiveTestbed.awaitLeaders(admin, target);
            }
            ArchiveReplayer.Result result = ArchiveReplayer.replay(bed.settings(Map.of()), Instant.EPOCH,
                    Instant.parse("2100-01-01T00:00:00Z"), target);
            assertThat(result.lines()).isEqualTo(1000);
            assertThat(result.missing()).isEmpty();

            List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + target);
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
                consumer.subscribe(List.of(target));
                await().atMost(WAIT).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(got::add);
                    return got.size() >= 1000;
                });
                assertThat(consumer.poll(Duration.ofMillis(500)).count()).isZero();
            }
            assertThat(got).hasSize(1000);
            for (ConsumerRecord<byte[], byte[]> r : got) {
                String origin = new String(r.headers().lastHeader(ArchiveStage.REPLAY_ORIGIN_HEADER).value(),
                        StandardCharsets.UTF_8);
                int partition = Integer.parseInt(origin.substring(0, origin.indexOf('/')));
                long offset = Long.parseLong(origin.substring(origin.indexOf('/') + 1));
                byte[] original = bed.sent.get(partition).get(offset);
                assertThat(r.value()).as(origin).isEqualTo(original);
                // the key is request.id, as ingest sets it; a line that is not UTF-8 cannot be parsed and has none
                String expectedKey = isUtf8(original) ? requestIdOf(original) : null;
                assertThat(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8)).as("key of " + origin)
                        .isEqualTo(expectedKey);
            }
        }
    }

    private static boolean isUtf8(byte[] line) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(line));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    private static String requestIdOf(byte[] line) {
        String s = new String(line, StandardCharsets.ISO_8859_1);
        int at = s.indexOf("\"id\":\"") + 6;
        return s.substring(at, s.indexOf('"', at));
    }

}
