package io.auditrail.archive;

import io.auditrail.core.config.Settings;
import io.auditrail.core.entry.AuditEntry;
import io.auditrail.core.parse.AuditEntryParser;
import io.auditrail.core.parse.MalformedEntryException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Re-publishes archived lines (to the raw topic, or another topic) so the index can be rebuilt: each line with its
 * original key ({@code request.id}), record time and a {@value ArchiveStage#REPLAY_ORIGIN_HEADER} header naming its
 * original {@code partition/offset}. Event ids are deterministic, so the index makes no second row for a line it has;
 * the archiver skips lines with that header, and consumers that alert should too (see docs/ARCHIVE.md).
 */
public final class ArchiveReplayer {
    /** What a replay did. */
    public record Result(int objects, long lines, List<ObjectKey> missing) {
    }

    private final ArchiveReader reader;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AuditEntryParser parser;

    ArchiveReplayer(ArchiveReader reader, KafkaProducer<byte[], byte[]> producer, AuditEntryParser parser) {
        this.reader = reader;
        this.producer = producer;
        this.parser = parser;
    }

    /**
     * Replays the objects whose first line's time is in [from, to).
     *
     * @param topic target topic; null for the raw topic
     */
    public static Result replay(Settings settings, Instant from, Instant to, String topic) {
        ArchiveConfig config = new ArchiveConfig(settings);
        String target = topic == null ? config.topics().raw() : topic;
        try (ArchiveStore store = ArchiveStore.open(config, Clock.systemUTC());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config.producerProperties())) {
            ArchiveReader reader = new ArchiveReader(store, config, null, null, Clock.systemUTC(), false);
            return new ArchiveReplayer(reader, producer, config.core().parser()).replay(from, to, target);
        }
    }

    Result replay(Instant from, Instant to, String topic) {
        int objects = 0;
        long lines = 0;
        List<ObjectKey> missing = new java.util.ArrayList<>();
        for (ObjectKey key : reader.objects(from, to)) {
            var content = reader.lines(key);
            if (content.isEmpty()) {
                missing.add(key);
                continue;
            }
            List<byte[]> objectLines = content.get();
            List<Future<RecordMetadata>> sent = new java.util.ArrayList<>(objectLines.size());
            for (int i = 0; i < objectLines.size(); i++) {
                byte[] line = objectLines.get(i);
                var record = new ProducerRecord<>(topic, null, key.firstTime().toEpochMilli(), requestId(line), line);
                record.headers().add(ArchiveStage.REPLAY_ORIGIN_HEADER,
                        (key.partition() + "/" + (key.firstOffset() + i)).getBytes(StandardCharsets.UTF_8));
                sent.add(producer.send(record));
            }
            for (Future<RecordMetadata> f : sent) {
                await(f);
            }
            objects++;
            lines += objectLines.size();
        }
        producer.flush();
        return new Result(objects, lines, missing);
    }

    private byte[] requestId(byte[] line) {
        try {
            AuditEntry e = parser.parse(line);
            String id = e.request() == null ? null : e.request().id();
            return id == null || id.isEmpty() ? null : id.getBytes(StandardCharsets.UTF_8);
        } catch (MalformedEntryException e) {
            return null; // ingest keyed it by nothing either
        }
    }

    private static void await(Future<RecordMetadata> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("replay interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("replay: Kafka refused a line: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
