package io.auditrail.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.event.RawPosition;
import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.EmbeddedS3;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EmbeddedServicesExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ArchiveStageIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    private static ArchiveStage start(ArchiveConfig config) {
        ArchiveStage stage = ArchiveStage.start(config, new SimpleMeterRegistry(), Clock.systemUTC());
        await().atMost(WAIT).until(stage::isReady);
        return stage;
    }

    @Test
    void linesSentAreArchivedByteExactAndVerifyIntact(EmbeddedKafka kafka, EmbeddedS3 s3, EmbeddedPostgres pg) throws Exception {
        try (ArchiveTestbed bed = new ArchiveTestbed(kafka, s3, pg, temp)) {
            bed.send(3000);
            ArchiveStage stage = start(bed.config(Map.of(ArchiveConfig.OBJECT_MAX_AGE_MS, "1000")));
            try {
                await().atMost(WAIT).until(() -> stage.metrics().linesArchived() == 3000);
            } finally {
                stage.close();
            }
            ArchiveMetrics m = stage.metrics();
            assertThat(stage.failure()).isEmpty();
            ArchiveTestbed.assertCountsAddUp(m);
            assertThat(m.linesConsumed()).isEqualTo(3000);
            assertThat(m.objectsWritten()).isGreaterThan(3); // 16 KiB objects: several per partition
            assertThat(m.digestsWritten()).isEqualTo(1); // the one at shutdown
            bed.assertArchivedExactly();

            VerifyReport report = bed.verify();
            assertThat(report.problems()).isEmpty();
            assertThat(report.intact()).isTrue();
            assertThat(report.lines()).isEqualTo(3000);
            assertThat(report.objects()).isEqualTo((int) m.objectsWritten());

            try (ArchiveStore store = bed.store(); ArchiveReader reader = bed.reader(store)) {
                for (var p : bed.sent.entrySet()) {
                    for (long offset : new long[] {p.getValue().firstKey(), p.getValue().lastKey(),
                        p.getValue().firstKey() + p.getValue().size() / 2}) {
                        assertThat(reader.rawLine(new RawPosition(p.getKey(), offset), Instant.now()))
                                .isInstanceOfSatisfying(RawLookup.Found.class,
                                        found -> assertThat(found.line()).isEqualTo(p.getValue().get(offset)));
                    }
                }
                assertThat(reader.rawLine(new RawPosition(0, 1_000_000), Instant.now()))
                        .isInstanceOf(RawLookup.Absent.class);
            }
        }
    }

    @Test
    void aCrashMidObjectThenARestartStoresTheSameObjectsAsAnUninterruptedRun(EmbeddedKafka kafka, EmbeddedS3 s3, EmbeddedPostgres pg)
            throws Exception {
        try (ArchiveTestbed bed = new ArchiveTestbed(kafka, s3, pg, temp)) {
            bed.send(2000);
            ArchiveStage first = start(bed.config(Map.of()));
            await().atMost(WAIT).until(() -> first.metrics().linesArchived() >= 600);
            first.abort(); // open objects lost, no digest, offsets of the last upload perhaps not committed
            assertThat(bed.digestKeys()).isEmpty();
            bed.send(1000);

            ArchiveStage second = start(bed.config(Map.of()));
            try {
                await().atMost(WAIT).until(() -> bed.linesStored() + second.metrics().linesBuffered() == 3000);
            } finally {
                second.close();
            }
            assertThat(second.failure()).isEmpty();
            assertThat(second.metrics().objectsRecovered()).as("objects of the crashed run, confirmed against Kafka")
                    .isPositive();
            ArchiveTestbed.assertCountsAddUp(second.metrics());
            bed.assertArchivedExactly();
            VerifyReport report = bed.verify();
            assertThat(report.problems()).isEmpty();
            assertThat(report.lines()).isEqualTo(3000);
            assertThat(report.objects()).as("every stored object is in a digest")
                    .isEqualTo(bed.objectHashes(bed.bucket).size());

            // an uninterrupted run over the same records, into another bucket, stores the same keys and bytes
            String reference = "ref-" + bed.bucket;
            s3.ensureBucket(reference);
            ArchiveStage whole = start(bed.config(Map.of(CoreConfig.S3_BUCKET, reference,
                    ArchiveConfig.CONSUMER_GROUP, "ref-" + bed.topic)));
            try {
                await().atMost(WAIT).until(() -> whole.metrics().linesConsumed() == 3000);
            } finally {
                whole.close();
            }
            assertThat(bed.objectHashes(bed.bucket)).isEqualTo(bed.objectHashes(reference));
        }
    }

    @Test
    void s3DownThenBackLosesNothing(EmbeddedKafka kafka, EmbeddedPostgres pg) throws Exception {
        try (EmbeddedS3 own = new EmbeddedS3(EmbeddedS3.Config.of(temp.resolve("s3"))).start();
             ArchiveTestbed bed = new ArchiveTestbed(kafka, own, pg, temp)) {
            bed.send(1000);
            ArchiveStage stage = start(bed.config(Map.of(ArchiveConfig.OBJECT_MAX_AGE_MS, "500",
                    ArchiveConfig.DIGEST_INTERVAL_MS, "2000")));
            try {
                await().atMost(WAIT).until(() -> stage.metrics().linesArchived() == 1000);
                own.stop();
                bed.send(1000);
                await().atMost(WAIT).until(() -> stage.metrics().failures() > 0 && !stage.isReady());
                // Kafka holds the lines meanwhile, and the lag says so
                await().atMost(WAIT).until(() -> stage.metrics().lag() > 0);
                assertThat(stage.metrics().linesArchived()).isEqualTo(1000);
                own.start();
                await().atMost(WAIT).until(() -> stage.metrics().linesArchived() == 2000);
                await().atMost(WAIT).until(stage::isReady);
                await().atMost(WAIT).until(() -> stage.metrics().lag() == 0);
            } finally {
                stage.close();
            }
            assertThat(stage.failure()).isEmpty();
            ArchiveTestbed.assertCountsAddUp(stage.metrics());
            bed.assertArchivedExactly();
            VerifyReport report = bed.verify();
            assertThat(report.problems()).isEmpty();
            assertThat(report.lines()).isEqualTo(2000);
            assertThat(report.digests()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void replayedLinesAreSkippedNotArchivedTwice(EmbeddedKafka kafka, EmbeddedS3 s3, EmbeddedPostgres pg) throws Exception {
        try (ArchiveTestbed bed = new ArchiveTestbed(kafka, s3, pg, temp)) {
            bed.send(500);
            ArchiveStage stage = start(bed.config(Map.of(ArchiveConfig.OBJECT_MAX_AGE_MS, "500")));
            try {
                await().atMost(WAIT).until(() -> stage.metrics().linesArchived() == 500);
                ArchiveReplayer.Result result = ArchiveReplayer.replay(bed.settings(Map.of()), Instant.EPOCH,
                        Instant.parse("2100-01-01T00:00:00Z"), null);
                assertThat(result.lines()).isEqualTo(500);
                await().atMost(WAIT).until(() -> stage.metrics().linesSkipped() == 500);
            } finally {
                stage.close();
            }
            assertThat(stage.metrics().linesArchived()).isEqualTo(500);
            ArchiveTestbed.assertCountsAddUp(stage.metrics());
            Map<Integer, TreeMap<Long, byte[]>> archived = bed.archived();
            assertThat(archived.values().stream().mapToInt(Map::size).sum()).isEqualTo(500);
        }
    }

    @Test
    void anObjectInTheBucketThatKafkaContradictsStopsTheStage(EmbeddedKafka kafka, EmbeddedS3 s3, EmbeddedPostgres pg) throws Exception {
        try (ArchiveTestbed bed = new ArchiveTestbed(kafka, s3, pg, temp)) {
            bed.send(300);
            TreeMap<Long, byte[]> p0 = bed.sent.get(0);
            ObjectBatcher forger = new ObjectBatcher(0, Long.MAX_VALUE, Duration.ofDays(1));
            for (var e : p0.entrySet()) {
                byte[] line = e.getKey() == 3 ? "{\"forged\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8)
                        : e.getValue();
                forger.add(e.getKey(), Instant.parse("2026-11-28T00:00:00Z"), line, Instant.EPOCH);
            }
            ArchiveObject forged = forger.flush().orElseThrow();
            bed.overwrite(forged.key().key(), forged.body());

            ArchiveStage stage = ArchiveStage.start(bed.config(Map.of()), new SimpleMeterRegistry(), Clock.systemUTC());
            try {
                await().atMost(WAIT).until(() -> stage.failure().isPresent());
                assertThat(stage.failure().get()).hasMessageContaining(forged.key().key());
                assertThat(stage.isReady()).isFalse();
            } finally {
                stage.close();
            }
        }
    }
}
