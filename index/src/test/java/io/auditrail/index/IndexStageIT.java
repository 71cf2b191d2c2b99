package io.auditrail.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.auditrail.core.testing.StageBalance;
import io.auditrail.core.config.Settings;
import io.auditrail.core.topic.RecordHeaders;
import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedServicesExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IndexStageIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void redeliveryOfTheSameRecordsMakesNoSecondRow(EmbeddedKafka kafka, EmbeddedPostgres pg) throws Exception {
        IndexFixture f = IndexFixture.create(kafka, pg);
        List<byte[]> events = events("redeliver", 1500, Instant.now());
        List<byte[]> stream = new ArrayList<>(events);
        stream.addAll(events.subList(0, 300)); // Vault's resend, a replay: the same events again
        f.produce(f.topics.events(), stream);
        String a = Events.id("anomaly-1");
        f.produce(f.topics.anomalies(), List.of(Events.json(Events.anomaly(a, 1, 1, Events.id("redeliver-0"))),
                Events.json(Events.anomaly(a, 2, 9, Events.id("redeliver-0"), Events.id("redeliver-1"))),
                Events.json(Events.anomaly(a, 1, 1, Events.id("redeliver-0")))));

        try (IndexStage stage = IndexStage.start(f.settings, new SimpleMeterRegistry())) {
            await().atMost(WAIT).until(() -> stage.metrics().outcomes() == 1803 && stage.metrics().received() == 1803);
            StageBalance.assertBalanced(stage.metrics().records());
            assertThat(stage.isReady()).isTrue();
            assertThat(f.count("SELECT count(*) FROM audit_event")).isEqualTo(1500);
            assertThat(stage.metrics().written(IndexMetrics.Kind.EVENT)).isEqualTo(1500);
            assertThat(stage.metrics().duplicates(IndexMetrics.Kind.EVENT)).isEqualTo(300);
        }
        assertThat(f.count("SELECT revision * 100 + fired_count FROM anomaly")).isEqualTo(209);

        // everything once more, from the beginning, under a new consumer group: still one row per event
        Settings replay = f.with(IndexConfig.CONSUMER_GROUP, f.topics.events() + "-replay");
        try (IndexStage stage = IndexStage.start(replay, new SimpleMeterRegistry())) {
            await().atMost(WAIT).until(() -> stage.metrics().outcomes() == 1803);
            assertThat(stage.metrics().written(IndexMetrics.Kind.EVENT)).isZero();
            assertThat(stage.metrics().duplicates(IndexMetrics.Kind.EVENT)).isEqualTo(1800);
            assertThat(stage.metrics().written(IndexMetrics.Kind.ANOMALY)).isZero();
        }
        assertThat(f.count("SELECT count(*) FROM audit_event")).isEqualTo(1500);
        assertThat(f.count("SELECT count(DISTINCT event_id) FROM audit_event")).isEqualTo(1500);
        assertThat(f.count("SELECT revision * 100 + fired_count FROM anomaly")).isEqualTo(209);
    }

    @Test
    void aCrashBetweenTheDatabaseCommitAndTheOffsetCommitDuplicatesNothing(EmbeddedKafka kafka, EmbeddedPostgres pg)
            throws Exception {
        IndexFixture f = IndexFixture.create(kafka, pg);
        f.produce(f.topics.events(), events("crash", 2000, Instant.now()));
        IndexStage crashed = IndexStage.start(new IndexConfig(f.settings), new SimpleMeterRegistry(),
                Clock.systemUTC());
        try {
            crashed.afterDatabaseCommit = () -> {
                throw new SimulatedCrash();
            };
            await().atMost(WAIT).dontCatchUncaughtExceptions().until(() -> !crashed.isReady() && crashed.metrics().received() > 0
                    && f.countQuietly("SELECT count(*) FROM audit_event") > 0);
        } finally {
            crashed.close();
        }
        long beforeRestart = f.count("SELECT count(*) FROM audit_event");
        assertThat(beforeRestart).isPositive();
        assertThat(crashed.metrics().written(IndexMetrics.Kind.EVENT)).as("nothing counted: never durable").isZero();

        try (IndexStage restarted = IndexStage.start(f.settings, new SimpleMeterRegistry())) {
            await().atMost(WAIT).until(() -> restarted.metrics().outcomes() >= 2000
                    && restarted.metrics().lag() == 0);
            assertThat(restarted.metrics().written(IndexMetrics.Kind.EVENT)
                    + restarted.metrics().duplicates(IndexMetrics.Kind.EVENT)).isEqualTo(2000);
            assertThat(restarted.metrics().duplicates(IndexMetrics.Kind.EVENT)).isEqualTo(beforeRestart);
        }
        assertThat(f.count("SELECT count(*) FROM audit_event")).isEqualTo(2000);
        assertThat(f.count("SELECT count(DISTINCT event_id) FROM audit_event")).isEqualTo(2000);
    }

    @Test
    void unwritableRecordsGoToTheDeadLetterTopicAndTheStageGoesOn(EmbeddedKafka kafka, EmbeddedPostgres pg)
            throws Exception {
        IndexFixture f = IndexFixture.create(kafka, pg);
        Instant now = Instant.now();
        List<byte[]> stream = new ArrayList<>(events("good-a", 100, now));
        stream.add("not json".getBytes(StandardCharsets.UTF_8));
        stream.add(Events.json(Events.read(Events.id("nul"), now, "acme", "secret/a\0b")));
        // valid JSON, but too large for the path index: only PostgreSQL can tell (bisected out of its batch)
        stream.add(Events.json(Events.read(Events.id("huge"), now, "acme", "secret/" + noise(12_000))));
        stream.add(Events.json(Events.read(Events.id("future"), now.plus(400, ChronoUnit.DAYS), "acme", "secret/x")));
        stream.add(Events.json(Events.read(Events.id("old"), now.minus(200, ChronoUnit.DAYS), "acme", "secret/x")));
        stream.addAll(events("good-b", 100, now));
        f.produce(f.topics.events(), stream);
        f.produce(f.topics.anomalies(), List.of("{\"severity\":\"loud\"}".getBytes(StandardCharsets.UTF_8)));

        try (IndexStage stage = IndexStage.start(f.settings, new SimpleMeterRegistry())) {
            await().atMost(WAIT).until(() -> stage.metrics().outcomes() == 206 && stage.metrics().received() == 206);
            IndexMetrics m = stage.metrics();
            StageBalance.assertBalanced(m.records());
            assertThat(m.written(IndexMetrics.Kind.EVENT)).isEqualTo(200);
            assertThat(m.expired()).isEqualTo(1);
            assertThat(m.deadLettered(IndexFailure.NOT_AN_EVENT)).isEqualTo(1);
            assertThat(m.deadLettered(IndexFailure.NUL_CHARACTER)).isEqualTo(1);
            assertThat(m.deadLettered(IndexFailure.REJECTED_BY_DATABASE)).isEqualTo(1);
            assertThat(m.deadLettered(IndexFailure.TIME_OUT_OF_RANGE)).isEqualTo(1);
            assertThat(m.deadLettered(IndexFailure.NOT_AN_ANOMALY)).isEqualTo(1);
            assertThat(stage.isReady()).isTrue();
        }
        assertThat(f.count("SELECT count(*) FROM audit_event")).isEqualTo(200);
        List<ConsumerRecord<byte[], byte[]>> dlq = f.readAll(f.topics.dlq(), 5, Duration.ofSeconds(20));
        assertThat(dlq).hasSize(5);
        assertThat(dlq).allSatisfy(r -> {
            assertThat(header(r, RecordHeaders.DLQ_STAGE)).isEqualTo("index");
            assertThat(header(r, RecordHeaders.DLQ_ORIGIN)).matches("it_\\w+\\.(events|anomalies)/\\d+/\\d+");
        });
        assertThat(dlq).extracting(r -> header(r, RecordHeaders.DLQ_FAILURE)).containsExactlyInAnyOrder(
                "NOT_AN_EVENT", "NUL_CHARACTER", "REJECTED_BY_DATABASE", "TIME_OUT_OF_RANGE", "NOT_AN_ANOMALY");
        ConsumerRecord<byte[], byte[]> refused = dlq.stream()
                .filter(r -> header(r, RecordHeaders.DLQ_FAILURE).equals("REJECTED_BY_DATABASE")).findFirst()
                .orElseThrow();
        assertThat(header(refused, RecordHeaders.DLQ_REASON)).startsWith("PostgreSQL refused the row: SQLSTATE 54000");
        assertThat(new String(refused.value(), StandardCharsets.UTF_8)).contains(Events.id("huge"));
    }

    static List<byte[]> events(String prefix, int n, Instant time) {
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String tenant = i % 10 == 0 ? null : "tenant-" + (i % 5);
            out.add(Events.json(Events.read(Events.id(prefix + "-" + i), time.minusMillis(i), tenant,
                    "secret/data/tenants/" + tenant + "/app-" + (i % 50))));
        }
        return out;
    }

    private static String noise(int n) {
        Random r = new Random(7);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append((char) ('!' + r.nextInt(90)));
        }
        return b.toString();
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Stands for the process dying: the loop thread ends without committing offsets. */
    static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedCrash() {
            super("simulated crash after the database commit", null, false, false);
        }
    }
}
