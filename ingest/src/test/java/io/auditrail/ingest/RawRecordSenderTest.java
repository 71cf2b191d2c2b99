package io.auditrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.core.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** What a batch in flight keeps once its records are handed to the producer: positions, counts, receive times. */
class RawRecordSenderTest {
    private static final byte[] SOURCE = "10.0.0.1:5000".getBytes(StandardCharsets.UTF_8);
    private static final byte[] LISTENER = "tcp://127.0.0.1:9090".getBytes(StandardCharsets.UTF_8);

    private static SpoolRecord record(LineKind kind, long receivedAt, String line) {
        return new SpoolRecord(kind, receivedAt, line.length(), SOURCE, LISTENER, null,
                line.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aBatchInFlightCountsByKindAndKeepsOneReceiveTimePerSocketRead() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        RawRecordSender sender = new RawRecordSender(producer, Topics.defaults(), 1 << 20, 8 << 20,
                Clock.systemUTC());
        SpoolBatch batch = new SpoolBatch(List.of(record(LineKind.RAW, 100, "{}"), record(LineKind.RAW, 100, "{}"),
                record(LineKind.OVERSIZE, 200, "big"), record(LineKind.RAW, 300, "{}"),
                record(LineKind.OVERSIZE_TRUNCATED, 300, "head")), 1_000, 1_500);
        AtomicInteger done = new AtomicInteger();

        RawRecordSender.InFlight flight = sender.send(batch, done::incrementAndGet);

        assertThat(flight.startPosition()).isEqualTo(1_000);
        assertThat(flight.endPosition()).isEqualTo(1_500);
        assertThat(flight.size()).isEqualTo(5);
        assertThat(flight.count(LineKind.RAW)).isEqualTo(3);
        assertThat(flight.count(LineKind.OVERSIZE)).isEqualTo(1);
        assertThat(flight.count(LineKind.OVERSIZE_TRUNCATED)).isEqualTo(1);
        assertThat(flight.receivedAtMicros()).containsExactly(100, 200, 300);
        assertThat(flight.firstReceivedAtMicros()).isEqualTo(100);
        assertThat(producer.history()).hasSize(5);
        assertThat(producer.history().get(2).topic()).isEqualTo(Topics.defaults().dlq());

        for (int i = 0; i < 4; i++) {
            producer.completeNext();
        }
        assertThat(flight.done()).isFalse();
        assertThat(done).hasValue(0);
        producer.completeNext();
        assertThat(flight.done()).isTrue();
        assertThat(flight.failure()).isNull();
        assertThat(flight.completedAtMicros()).isPositive();
        assertThat(done).hasValue(1);
    }

    @Test
    void aFailedSendMarksTheBatchFailedOnceEveryRecordAnswered() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        RawRecordSender sender = new RawRecordSender(producer, Topics.defaults(), 1 << 20, 8 << 20,
                Clock.systemUTC());
        SpoolBatch batch = new SpoolBatch(List.of(record(LineKind.RAW, 1, "a"), record(LineKind.RAW, 1, "b")), 0, 80);
        AtomicInteger done = new AtomicInteger();
        RawRecordSender.InFlight flight = sender.send(batch, done::incrementAndGet);

        producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("broker gone"));
        assertThat(flight.done()).isFalse();
        producer.completeNext();
        assertThat(flight.done()).isTrue();
        assertThat(flight.failure()).hasMessageContaining("broker gone");
        assertThat(done).hasValue(1);
    }
}
