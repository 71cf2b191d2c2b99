package io.auditrail.ingest;

import io.auditrail.core.config.Settings;
import io.auditrail.core.topic.TopicBootstrap;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Backfills logs of Vault's file audit device into {@code vault.audit.raw}, each line as ingest would have sent it
 * (key {@code request.id}, the same headers with source {@code file:<path>} and listener {@code import}, lines over
 * the raw limit to the DLQ). Importing a line that also came through the socket device adds a raw record but no
 * second event row: the event id is derived from the entry, not from how it arrived.
 */
public final class FileImporter {
    private static final int BATCH_RECORDS = 5_000;
    /** Batches handed to the producer before waiting for their acknowledgements: bounds the memory held. */
    private static final int BATCHES_IN_FLIGHT = 4;
    private static final byte[] LISTENER = "import".getBytes(StandardCharsets.UTF_8);

    /**
     * What an import did.
     *
     * @param fragments files whose last line had no newline (a device still writing it): that line is not sent
     * @param skipped   complete lines the caller's filter left out (e.g. already indexed: --missing-only)
     */
    public record Result(long files, long raw, long dlq, long fragments, long skipped) {
        public long lines() {
            return raw + dlq;
        }
    }

    private FileImporter() {
    }

    /**
     * Sends every complete line of the files, in file order, and waits until Kafka acknowledged all of them.
     *
     * @throws IOException when a file cannot be read or Kafka did not take every line; running the import again
     *                     is safe
     */
    public static Result importFiles(Settings settings, List<Path> files) throws IOException {
        return importFiles(settings, files, line -> true);
    }

    /** Which complete, within-limit lines to send: the rest are counted as skipped. */
    @FunctionalInterface
    public interface LineFilter {
        boolean send(byte[] line);
    }

    /** As {@link #importFiles(Settings, List)}, sending only the lines {@code filter} accepts. */
    public static Result importFiles(Settings settings, List<Path> files, LineFilter filter) throws IOException {
        IngestConfig config = new IngestConfig(settings);
        for (Path f : files) {
            if (!Files.isReadable(f)) {
                throw new IOException("cannot read " + f);
            }
        }
        ensureTopics(config);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config.producerProperties())) {
            RawRecordSender sender = new RawRecordSender(producer, config.topics(), config.rawMaxLineBytes(),
                    config.maxLineBytes(), Clock.systemUTC());
            RequestIdExtractor ids = new RequestIdExtractor(config.auditPrefix());
            List<RawRecordSender.InFlight> flights = new ArrayList<>();
            long fragments = 0;
            long[] skipped = {0};
            for (Path file : files) {
                fragments += importFile(file, config, ids, sender, producer, flights, filter, skipped);
            }
            producer.flush();
            long raw = 0;
            long dlq = 0;
            for (RawRecordSender.InFlight f : flights) {
                if (f.unsent() != null || f.failure() != null || !f.done()) {
                    Exception why = f.unsent() != null ? f.unsent() : f.failure();
                    throw new IOException("Kafka did not take every line (" + why + "); importing again is safe", why);
                }
                raw += f.count(LineKind.RAW);
                dlq += f.count(LineKind.OVERSIZE) + f.count(LineKind.OVERSIZE_TRUNCATED);
            }
            return new Result(files.size(), raw, dlq, fragments, skipped[0]);
        }
    }

    private static long importFile(Path file, IngestConfig config, RequestIdExtractor ids, RawRecordSender sender,
                                   KafkaProducer<byte[], byte[]> producer, List<RawRecordSender.InFlight> flights,
                                   LineFilter filter, long[] skipped) throws IOException {
        byte[] source = ("file:" + file.toAbsolutePath()).getBytes(StandardCharsets.UTF_8);
        LineFramer framer = new LineFramer(config.rawMaxLineBytes(), config.maxLineBytes());
        List<SpoolRecord> batch = new ArrayList<>();
        long[] lineNumber = {0};
        long receivedAt = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                framer.feed(buf, 0, n, (b, off, len, kind, originalLength) -> {
                    byte[] line = Arrays.copyOfRange(b, off, off + len);
                    if (kind == LineKind.RAW && !filter.send(line)) {
                        skipped[0]++;
                        return;
                    }
                    byte[] key = kind == LineKind.RAW ? ids.requestId(line) : null;
                    batch.add(new SpoolRecord(lineNumber[0]++, kind, receivedAt, originalLength, source, LISTENER,
                            key, line));
                });
                if (batch.size() >= BATCH_RECORDS) {
                    send(batch, sender, producer, flights);
                }
            }
        }
        send(batch, sender, producer, flights);
        return framer.discardPartial() > 0 ? 1 : 0;
    }

    private static void send(List<SpoolRecord> batch, RawRecordSender sender, KafkaProducer<byte[], byte[]> producer,
                             List<RawRecordSender.InFlight> flights) {
        if (batch.isEmpty()) {
            return;
        }
        long first = batch.get(0).position();
        long end = batch.get(batch.size() - 1).position() + 1;
        flights.add(sender.send(new SpoolBatch(List.copyOf(batch), first, end), () -> { }));
        batch.clear();
        if (flights.stream().filter(f -> !f.done()).count() >= BATCHES_IN_FLIGHT) {
            producer.flush();
        }
    }

    private static void ensureTopics(IngestConfig config) throws IOException {
        try {
            new TopicBootstrap(config.adminProperties()).ensure(config.topicSpecs(), Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while checking the topics", e);
        } catch (Exception e) {
            throw new IOException("cannot create or check the topics: " + e.getMessage(), e);
        }
    }
}
