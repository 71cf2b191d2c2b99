package io.auditrail.core.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditrail.core.config.Settings;
import io.auditrail.core.topic.RecordHeaders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.header.Headers;

import org.junit.jupiter.api.Test;

/** The parts every stage is built from. */
class StageKitTest {
    @Test
    void backoffDoublesWithEqualJitterUpToTheMaximumAndASuccessStartsOver() {
        Backoff lowest = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), bound -> 0);
        Backoff highest = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), bound -> bound - 1);
        assertThat(lowest.delay(1)).isEqualTo(Duration.ofMillis(50));
        assertThat(highest.delay(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(lowest.delay(3)).isEqualTo(Duration.ofMillis(200));
        assertThat(highest.delay(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(highest.delay(30)).isEqualTo(Duration.ofSeconds(1));
        assertThat(lowest.failed()).isEqualTo(Duration.ofMillis(50));
        assertThat(lowest.failed()).isEqualTo(Duration.ofMillis(100));
        lowest.succeeded();
        assertThat(lowest.failures()).isZero();
        assertThat(lowest.failed()).isEqualTo(Duration.ofMillis(50));
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deadLetterHeadersAreTheSameFromEveryStage() {
        Headers h = DeadLetter.add(new org.apache.kafka.common.header.internals.RecordHeaders(), "not_json", "Unexpected character", "index",
                DeadLetter.origin("vault.audit.events", 2, 41));
        assertThat(text(h, RecordHeaders.DLQ_FAILURE)).isEqualTo("NOT_JSON");
        assertThat(text(h, RecordHeaders.DLQ_REASON)).isEqualTo("Unexpected character");
        assertThat(text(h, RecordHeaders.DLQ_STAGE)).isEqualTo("index");
        assertThat(text(h, RecordHeaders.DLQ_ORIGIN)).isEqualTo("vault.audit.events/2/41");
        assertThat(DeadLetter.add(new org.apache.kafka.common.header.internals.RecordHeaders(), "OVERSIZE", "r", "ingest", null)
                .lastHeader(RecordHeaders.DLQ_ORIGIN)).isNull();
        assertThat(DeadLetter.reasonTag("NOT_JSON")).isEqualTo("not_json");
        // dead-lettered again (a replayed line): only the newest verdict
        DeadLetter.add(h, "OVERSIZE", "too long", "streams", null);
        assertThat(h.headers(RecordHeaders.DLQ_FAILURE)).hasSize(1);
        assertThat(text(h, RecordHeaders.DLQ_FAILURE)).isEqualTo("OVERSIZE");
        assertThat(h.lastHeader(RecordHeaders.DLQ_ORIGIN)).isNull();
    }

    @Test
    void everyRecordEndsOnceAndTheBalanceSaysSo() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StageRecords records = new StageRecords(registry, "index");
        records.received(10);
        records.sent(6);
        records.dlq("NOT_JSON", 1);
        records.duplicate(1);
        records.skipped("expired", 1);
        assertThat(records.unaccounted()).isEqualTo(1.0);
        records.dropped("half_line", 1);
        assertThat(records.unaccounted()).isZero();
        assertThat(registry.get("auditrail.index.records").tag("outcome", "dlq").tag("reason", "not_json").counter()
                .count()).isEqualTo(1.0);
        assertThat(registry.get("auditrail.index.records").tag("outcome", "sent").tag("reason", "none").counter()
                .count()).isEqualTo(6.0);
        assertThat(records.total(StageRecords.Outcome.DLQ, "NOT_JSON")).isEqualTo(1.0);
    }

    @Test
    void aDeclaredOutcomeIsASeriesAtZeroBeforeItHappens() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StageRecords records = new StageRecords(registry, "ingest");
        assertThat(registry.find("auditrail.ingest.records").tag("outcome", "dropped").counter()).isNull();
        records.declare(StageRecords.Outcome.DROPPED, "SPOOL_FULL");
        assertThat(registry.get("auditrail.ingest.records").tag("outcome", "dropped").tag("reason", "spool_full")
                .counter().count()).isZero();
        records.dropped("spool_full", 2);
        assertThat(records.total(StageRecords.Outcome.DROPPED)).isEqualTo(2.0);
    }

    @Test
    void settingsOnlyKeepTheKeysADefinitionKnows() {
        ConfigDef def = new ConfigDef().define("index.batch.max.records", ConfigDef.Type.INT, 1,
                ConfigDef.Importance.LOW, "doc");
        Settings s = Settings.of(Map.of("index.batch.max.records", "5", "ingest.listen.address", "x"));
        assertThat(s.only(def)).containsExactly(Map.entry("index.batch.max.records", "5"));
    }

    private static String text(Headers h, String key) {
        return new String(h.lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}
