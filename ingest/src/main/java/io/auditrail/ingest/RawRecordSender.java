package io.auditrail.ingest;

import io.auditrail.core.parse.ParseFailure;
import io.auditrail.core.stage.DeadLetter;
import io.auditrail.core.topic.RecordHeaders;
import io.auditrail.core.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Turns spooled lines into Kafka records and sends them with the idempotent, {@code acks=all} producer: a line up
 * to the raw limit to {@code vault.audit.raw} (key {@code request.id} as the receiver found it, headers source,
 * source name when its prefix was checked, receive time, listener),
 * an oversize line whole, or the head of a truncated one, to {@code vault.audit.dlq} with failure {@code OVERSIZE};
 * the kept head of a refused line to {@code vault.audit.dlq} with failure {@code PREFIX_REFUSED} or
 * {@code PEER_REFUSED}. Used by the sender thread only.
 */
public final class RawRecordSender implements AutoCloseable {
    static final String STAGE = "ingest";

    private final Producer<byte[], byte[]> producer;
    private final Topics topics;
    private final int rawMaxLineBytes;
    private final int maxLineBytes;
    private final Clock clock;
    private long lastReceivedMicros = Long.MIN_VALUE;
    private byte[] lastReceivedText;
    /** The spool hands out one array per run of equal sources: its split headers are made once per run. */
    private byte[] lastSource;
    private Header lastSourceHeader;
    private Header lastSourceNameHeader;

    public RawRecordSender(Producer<byte[], byte[]> producer, Topics topics, int rawMaxLineBytes, int maxLineBytes,
                           Clock clock) {
        this.producer = producer;
        this.topics = topics;
        this.rawMaxLineBytes = rawMaxLineBytes;
        this.maxLineBytes = maxLineBytes;
        this.clock = clock;
    }

    /**
     * Sends the records of the batch; {@code onDone} runs when the last one completed.
     *
     * <p>When {@code send()} itself fails (no metadata within max.block.ms because Kafka is down: the producer
     * calls back with the error before {@code send()} returns; or it throws because it is closing), that record and
     * the rest never reached the producer: the flight is cut to the records before it
     * ({@link InFlight#unsent()} says why, {@link InFlight#endPosition()} is where the caller reads again), and the
     * records before it go on as usual, so nothing Kafka took is sent twice. When a record already handed over
     * fails while the batch is still being sent, the rest is not sent but counted as failed, and the caller
     * rewinds to the last acknowledged position.
     */
    public InFlight send(SpoolBatch batch, Runnable onDone) {
        InFlight flight = new InFlight(batch, onDone, clock);
        List<SpoolRecord> records = batch.records();
        for (int i = 0; i < records.size(); i++) {
            if (flight.failure() != null) {
                flight.abandon(records.size() - i);
                break;
            }
            try {
                flight.inSend = true;
                producer.send(toRecord(records.get(i)), (metadata, exception) -> flight.completed(exception));
            } catch (KafkaException e) {
                flight.cutBefore(records, i, e);
                break;
            } finally {
                flight.inSend = false;
            }
            Exception refused = flight.takeRefusal();
            if (refused != null) {
                flight.cutBefore(records, i, refused);
                break;
            }
        }
        return flight;
    }

    ProducerRecord<byte[], byte[]> toRecord(SpoolRecord r) {
        long millis = TimeUnit.MICROSECONDS.toMillis(r.receivedAtMicros());
        splitSource(r.source());
        Header source = lastSourceHeader;
        Header received = new RecordHeader(RecordHeaders.RECEIVED_AT, receivedText(r.receivedAtMicros()));
        Header listener = new RecordHeader(RecordHeaders.LISTENER, r.listener());
        return switch (r.kind()) {
            case RAW -> new ProducerRecord<>(topics.raw(), null, millis, r.key(), r.line(), lastSourceNameHeader == null
                    ? List.<Header>of(source, received, listener)
                    : List.<Header>of(source, lastSourceNameHeader, received, listener));
            case OVERSIZE -> deadLetter(r, millis, ParseFailure.OVERSIZE.name(), "line of " + r.originalLength()
                    + " bytes is longer than audit.max.line.bytes (" + rawMaxLineBytes + ")", source, received,
                    listener);
            case OVERSIZE_TRUNCATED -> deadLetter(r, millis, ParseFailure.OVERSIZE.name(), "truncated: line of "
                    + r.originalLength() + " bytes is longer than ingest.max.line.bytes (" + maxLineBytes
                    + "); the first " + r.line().length + " bytes are kept", source, received, listener);
            case PREFIX_REFUSED -> deadLetter(r, millis, LineKind.PREFIX_REFUSED.name(), "refused: the line does not "
                    + "start with a prefix of ingest.auth.prefixes; " + kept(r) + ", never sent to the raw topic",
                    source, received, listener);
            case PEER_REFUSED -> deadLetter(r, millis, LineKind.PEER_REFUSED.name(), "refused: the peer's address is "
                    + "not in ingest.allowed.cidrs; its first line (" + kept(r) + ") is kept and the connection was "
                    + "closed", source, received, listener);
        };
    }

    /** A line for the DLQ: its ingest headers and every stage's dead-letter headers (no origin: it had no place). */
    private ProducerRecord<byte[], byte[]> deadLetter(SpoolRecord r, long millis, String failure, String reason,
                                                      Header source, Header received, Header listener) {
        Headers headers = DeadLetter.add(new org.apache.kafka.common.header.internals.RecordHeaders(
                new Header[] {source, received, listener}), failure, reason, STAGE, null);
        return new ProducerRecord<>(topics.dlq(), null, millis, null, r.line(), headers);
    }

    private static String kept(SpoolRecord r) {
        return r.line().length == r.originalLength() ? "all " + r.line().length + " bytes kept"
                : "the first " + r.line().length + " of " + r.originalLength() + " bytes kept";
    }

    /** Splits a spooled source into the source header and, for a prefix-checked line, the source name header. */
    private void splitSource(byte[] s) {
        if (s == lastSource) {
            return;
        }
        lastSource = s;
        int at = SpoolRecord.separatorIn(s);
        if (at < 0) {
            lastSourceHeader = new RecordHeader(RecordHeaders.SOURCE_NODE, s);
            lastSourceNameHeader = null;
        } else {
            lastSourceHeader = new RecordHeader(RecordHeaders.SOURCE_NODE, Arrays.copyOfRange(s, at + 1, s.length));
            lastSourceNameHeader = new RecordHeader(RecordHeaders.SOURCE_NAME, Arrays.copyOf(s, at));
        }
    }

    private byte[] receivedText(long micros) {
        // lines of one socket read share their receive time, so most records reuse the previous text
        if (micros != lastReceivedMicros) {
            Instant at = Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
            lastReceivedText = utf8(DateTimeFormatter.ISO_INSTANT.format(at));
            lastReceivedMicros = micros;
        }
        return lastReceivedText;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public void close(Duration timeout) {
        producer.close(timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    /**
     * The sends of one spool batch, until Kafka answered for each of its records. It keeps what releasing and
     * counting need, not the records: the producer has copied each line by then, and lines held until their
     * acknowledgement outlived young collections and were copied by the GC (16 MiB in flight).
     */
    public static final class InFlight {
        private final long startPosition;
        // the fields below change only in cutBefore, on the sender thread, the only one reading them
        private long endPosition;
        private int size;
        private final int[] byKind = new int[LineKind.values().length];
        /** The batch's distinct receive times in order (one per socket read), for the latency timer. */
        private long[] receivedAt;
        private Exception unsent;
        /** The thread calling send(), and whether it is inside it: a failure reported there was a refusal. */
        private final Thread sending = Thread.currentThread();
        private boolean inSend;
        private Exception refusal;
        private final Runnable onDone;
        private final AtomicInteger pending;
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private final Clock clock;
        private volatile long completedAtMicros;

        InFlight(SpoolBatch batch, Runnable onDone, Clock clock) {
            this.startPosition = batch.startPosition();
            this.endPosition = batch.endPosition();
            this.size = batch.size();
            this.clock = clock;
            this.onDone = onDone;
            this.pending = new AtomicInteger(batch.size());
            count(batch.records());
        }

        private void count(List<SpoolRecord> records) {
            java.util.Arrays.fill(byKind, 0);
            long[] times = new long[8];
            int distinct = 0;
            for (SpoolRecord r : records) {
                byKind[r.kind().ordinal()]++;
                if (distinct == 0 || times[distinct - 1] != r.receivedAtMicros()) {
                    if (distinct == times.length) {
                        times = java.util.Arrays.copyOf(times, distinct * 2);
                    }
                    times[distinct++] = r.receivedAtMicros();
                }
            }
            this.receivedAt = java.util.Arrays.copyOf(times, distinct);
        }

        /** Record {@code first} and those after it never reached the producer: the flight ends before it. */
        void cutBefore(List<SpoolRecord> records, int first, Exception why) {
            unsent = why;
            endPosition = records.get(first).position();
            size = first;
            count(records.subList(0, first));
            if (pending.addAndGet(-(records.size() - first)) == 0) {
                finish();
            }
        }

        /** The refusal reported inside the last send(), once; null when it took the record. */
        Exception takeRefusal() {
            Exception r = refusal;
            refusal = null;
            return r;
        }

        /** Why the flight was cut short of its batch (the rest is still in the spool, unsent), or null. */
        public Exception unsent() {
            return unsent;
        }

        /** Counts {@code unsent} records as failed without sending them. */
        void abandon(int unsent) {
            if (unsent <= 0) {
                return;
            }
            failure.compareAndSet(null, new KafkaException("not sent after an earlier failure in the batch"));
            if (pending.addAndGet(-unsent) == 0) {
                onDone.run();
            }
        }

        void completed(Exception exception) {
            if (exception != null && Thread.currentThread() == sending && inSend) {
                // the producer refused the record inside send() (KafkaProducer calls back with ApiExceptions such as
                // a metadata timeout instead of throwing them): it was never sent, so it is no failure of the flight
                refusal = exception;
                return;
            }
            if (exception != null) {
                failure.compareAndSet(null, exception);
            }
            if (pending.decrementAndGet() == 0) {
                finish();
            }
        }

        private void finish() {
            Instant now = clock.instant();
            completedAtMicros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
            onDone.run();
        }

        public long startPosition() {
            return startPosition;
        }

        /** The spool position to release once this batch and all before it are acknowledged. */
        public long endPosition() {
            return endPosition;
        }

        /** Records in the batch. */
        public int size() {
            return size;
        }

        /** Records of the given kind in the batch. */
        public int count(LineKind kind) {
            return byKind[kind.ordinal()];
        }

        /** Receive times of the batch's socket reads, oldest first (epoch microseconds); at least one. */
        public long[] receivedAtMicros() {
            return receivedAt.clone();
        }

        /** Receive time of the batch's first line (epoch microseconds). */
        public long firstReceivedAtMicros() {
            return receivedAt.length == 0 ? 0 : receivedAt[0];
        }

        public boolean done() {
            return pending.get() == 0;
        }

        /** The first failure among the batch's sends, or null. */
        public Exception failure() {
            return failure.get();
        }

        /** When the last acknowledgement arrived, in epoch microseconds; 0 before. */
        public long completedAtMicros() {
            return completedAtMicros;
        }
    }
}
