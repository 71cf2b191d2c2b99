package io.auditrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.core.topic.RecordHeaders;
import io.auditrail.core.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** What a batch in flight keeps once its records are handed to the producer: positions, counts, receive times. */
class RawRecordSenderTest {
    private static final byte[] SOURCE = "10.0.0.1:5000".getBytes(StandardCharsets.UTF_8);
    private static final byte[] LISTENER = "tcp://127.0.0.1:9090".getBytes(StandardCharsets.UTF_8);

    private static long nextPosition = 1_000;

    private static SpoolRecord record(LineKind kind, long receivedAt, String line) {
        long position = nextPosition;
        nextPosition += 100;
        return new SpoolRecord(position, kind, receivedAt, line.length(), SOURCE, LISTENER, null,
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
    void aVouchedLineCarriesItsSourceNameAndRefusedOnesGoToTheDeadLetterTopic() {
        RawRecordSender sender = new RawRecordSender(new MockProducer<>(false, null, new ByteArraySerializer(),
                new ByteArraySerializer()), Topics.defaults(), 1 << 20, 8 << 20, Clock.systemUTC());
        byte[] vouched = SpoolRecord.source("vault-2", "10.0.0.2:40000");
        ProducerRecord<byte[], byte[]> raw = sender.toRecord(new SpoolRecord(1, LineKind.RAW, 5, 2, vouched, LISTENER,
                null, "{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(raw.topic()).isEqualTo(Topics.defaults().raw());
        assertThat(header(raw, RecordHeaders.SOURCE_NODE)).isEqualTo("10.0.0.2:40000");
        assertThat(header(raw, RecordHeaders.SOURCE_NAME)).isEqualTo("vault-2");
        ProducerRecord<byte[], byte[]> plain = sender.toRecord(record(LineKind.RAW, 6, "{}"));
        assertThat(header(plain, RecordHeaders.SOURCE_NODE)).isEqualTo("10.0.0.1:5000");
        assertThat(plain.headers().lastHeader(RecordHeaders.SOURCE_NAME)).isNull();

        ProducerRecord<byte[], byte[]> refused = sender.toRecord(new SpoolRecord(2, LineKind.PREFIX_REFUSED, 7, 9000,
                SOURCE, LISTENER, null, new byte[4096]));
        assertThat(refused.topic()).isEqualTo(Topics.defaults().dlq());
        assertThat(header(refused, RecordHeaders.DLQ_FAILURE)).isEqualTo("PREFIX_REFUSED");
        assertThat(header(refused, RecordHeaders.DLQ_REASON)).contains("ingest.auth.prefixes", "first 4096 of 9000");
        ProducerRecord<byte[], byte[]> stranger = sender.toRecord(record(LineKind.PEER_REFUSED, 8, "{\"x\":1}"));
        assertThat(stranger.topic()).isEqualTo(Topics.defaults().dlq());
        assertThat(header(stranger, RecordHeaders.DLQ_FAILURE)).isEqualTo("PEER_REFUSED");
        assertThat(header(stranger, RecordHeaders.DLQ_REASON)).contains("ingest.allowed.cidrs", "all 7 bytes kept");
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void whenSendItselfThrowsTheFlightEndsBeforeThatRecordAndTheRecordsBeforeItGoOn() {
        MockProducer<byte[], byte[]> mock = new MockProducer<>(false, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        AtomicInteger calls = new AtomicInteger();
        // the third send() waits out max.block.ms without metadata and throws: Kafka went away mid-batch
        Producer<byte[], byte[]> producer = refusing(mock, calls, 3, Refusal.THROWN,
                new TimeoutException("Topic vault.audit.raw not present in metadata after 5000 ms."));
        RawRecordSender sender = new RawRecordSender(producer, Topics.defaults(), 1 << 20, 8 << 20,
                Clock.systemUTC());
        List<SpoolRecord> records = List.of(record(LineKind.RAW, 10, "a"), record(LineKind.OVERSIZE, 20, "b"),
                record(LineKind.RAW, 30, "c"), record(LineKind.RAW, 40, "d"));
        SpoolBatch batch = new SpoolBatch(records, records.get(0).position(), records.get(3).position() + 100);
        AtomicInteger done = new AtomicInteger();

        RawRecordSender.InFlight flight = sender.send(batch, done::incrementAndGet);

        assertThat(calls).hasValue(3);
        assertThat(flight.unsent()).isInstanceOf(TimeoutException.class);
        assertThat(flight.size()).isEqualTo(2);
        assertThat(flight.endPosition()).isEqualTo(records.get(2).position());
        assertThat(flight.count(LineKind.RAW)).isEqualTo(1);
        assertThat(flight.count(LineKind.OVERSIZE)).isEqualTo(1);
        assertThat(flight.receivedAtMicros()).containsExactly(10, 20);
        assertThat(flight.done()).isFalse();
        mock.completeNext();
        mock.completeNext();
        assertThat(flight.done()).isTrue();
        assertThat(flight.failure()).as("the records Kafka took are not failed: none is sent twice").isNull();
        assertThat(done).hasValue(1);
    }

    @Test
    void aRecordRefusedInsideSendAsKafkaProducerDoesIsUnsentNotFailed() {
        MockProducer<byte[], byte[]> mock = new MockProducer<>(false, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        AtomicInteger calls = new AtomicInteger();
        // KafkaProducer reports a metadata timeout through the callback, on the caller's thread, and returns a
        // failed future instead of throwing
        Producer<byte[], byte[]> producer = refusing(mock, calls, 2, Refusal.CALLED_BACK,
                new TimeoutException("Topic vault.audit.raw not present in metadata"));
        RawRecordSender sender = new RawRecordSender(producer, Topics.defaults(), 1 << 20, 8 << 20,
                Clock.systemUTC());
        List<SpoolRecord> records = List.of(record(LineKind.RAW, 1, "a"), record(LineKind.RAW, 2, "b"),
                record(LineKind.RAW, 3, "c"));
        AtomicInteger done = new AtomicInteger();

        RawRecordSender.InFlight flight = sender.send(new SpoolBatch(records, records.get(0).position(),
                records.get(2).position() + 100), done::incrementAndGet);

        assertThat(calls).as("no record after the refused one is offered").hasValue(2);
        assertThat(flight.unsent()).isInstanceOf(TimeoutException.class);
        assertThat(flight.size()).isEqualTo(1);
        assertThat(flight.endPosition()).isEqualTo(records.get(1).position());
        mock.completeNext();
        assertThat(flight.done()).isTrue();
        assertThat(flight.failure()).isNull();
        assertThat(done).hasValue(1);
    }

    @Test
    void aSendThatThrowsAfterTheOthersWereAcknowledgedStillEndsTheFlight() {
        MockProducer<byte[], byte[]> mock = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        AtomicInteger calls = new AtomicInteger();
        Producer<byte[], byte[]> producer = refusing(mock, calls, 2, Refusal.THROWN,
                new org.apache.kafka.common.KafkaException("producer closed"));
        RawRecordSender sender = new RawRecordSender(producer, Topics.defaults(), 1 << 20, 8 << 20,
                Clock.systemUTC());
        List<SpoolRecord> records = List.of(record(LineKind.RAW, 1, "a"), record(LineKind.RAW, 2, "b"));
        AtomicInteger done = new AtomicInteger();

        RawRecordSender.InFlight flight = sender.send(new SpoolBatch(records, records.get(0).position(),
                records.get(1).position() + 100), done::incrementAndGet);

        assertThat(flight.done()).isTrue();
        assertThat(flight.size()).isEqualTo(1);
        assertThat(flight.endPosition()).isEqualTo(records.get(1).position());
        assertThat(done).hasValue(1);
    }

    @Test
    void aFailedSendMarksTheBatchFailedOnceEveryRecordAnswered() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        RawRecordSender sender = new RawRecordSender(producer, Topics.defaults(), 1 << 20, 8 << 20,
                Clock.systemUTC());
        SpoolBatch batch = new SpoolBatch(List.of(record(LineKind.RAW, 1, "a"), record(LineKind.RAW, 1, "b")), 0, 200);
        AtomicInteger done = new AtomicInteger();
        RawRecordSender.InFlight flight = sender.send(batch, done::incrementAndGet);

        producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("broker gone"));
        assertThat(flight.done()).isFalse();
        producer.completeNext();
        assertThat(flight.done()).isTrue();
        assertThat(flight.failure()).hasMessageContaining("broker gone");
        assertThat(done).hasValue(1);
    }

    private enum Refusal { THROWN, CALLED_BACK }

    /**
     * A producer passing sends to {@code mock} until call {@code from}, then refusing each: by throwing, or as
     * KafkaProducer does for a metadata timeout (the callback with the error on the caller's thread, a failed future).
     */
    private static Producer<byte[], byte[]> refusing(MockProducer<byte[], byte[]> mock, AtomicInteger calls, int from,
                                                     Refusal how, RuntimeException error) {
        return new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
                if (calls.incrementAndGet() < from) {
                    return mock.send(record, callback);
                }
                if (how == Refusal.THROWN) {
                    throw error;
                }
                callback.onCompletion(null, error);
                return java.util.concurrent.CompletableFuture.failedFuture(error);
            }
        };
    }
}
