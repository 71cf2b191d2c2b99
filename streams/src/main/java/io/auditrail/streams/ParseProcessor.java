package io.auditrail.streams;

import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.EventEnricher;
import io.auditrail.core.event.RawPosition;
import io.auditrail.core.stage.DeadLetter;
import io.auditrail.core.parse.AuditEntryParser;
import io.auditrail.core.parse.MalformedEntryException;
import io.auditrail.streams.tenant.EntityIndex;
import io.auditrail.streams.tenant.TenantProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Parses and enriches one raw line. A line that is not an audit entry goes on unchanged with the DLQ headers
 * (failure, reason, stage, origin). Tenants of entities come from the directory's global store through an index
 * rebuilt on a wall-clock punctuation, since the directory is keyed by tenant, not entity.
 */
final class ParseProcessor implements Processor<byte[], byte[], byte[], Parsed> {
    static final String STAGE = "streams";

    private final AuditEntryParser parser;
    private final EventEnricher enricher;
    private final EntityIndex entities = new EntityIndex();
    private final Duration refresh;
    private final StreamsMetrics metrics;
    private ProcessorContext<byte[], Parsed> context;
    private KeyValueStore<String, TenantProfile> directory;

    ParseProcessor(CoreConfig core, Duration refresh, StreamsMetrics metrics) {
        this.parser = core.parser();
        this.enricher = core.enricher(entities);
        this.refresh = refresh;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], Parsed> context) {
        this.context = context;
        this.directory = context.getStateStore(AuditTopology.TENANT_STORE);
        rebuildIndex();
        context.schedule(refresh, PunctuationType.WALL_CLOCK_TIME, now -> rebuildIndex());
    }

    private void rebuildIndex() {
        List<TenantProfile> profiles = new ArrayList<>();
        try (KeyValueIterator<String, TenantProfile> it = directory.all()) {
            while (it.hasNext()) {
                KeyValue<String, TenantProfile> kv = it.next();
                if (kv.value != null) {
                    profiles.add(kv.value);
                }
            }
        }
        entities.rebuild(profiles);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        metrics.received();
        byte[] line = record.value() == null ? new byte[0] : record.value();
        try {
            AuditEvent event = enricher.enrich(parser.parse(line), line);
            RawPosition position = ReplayMark.originalPosition(record.headers())
                    .or(() -> context.recordMetadata().map(m -> new RawPosition(m.partition(), m.offset())))
                    .orElse(null);
            if (position != null) {
                event = event.withSource(position);
            }
            context.forward(record.withValue(new Parsed(event, null)));
        } catch (MalformedEntryException e) {
            metrics.dlq(e.failure());
            Headers headers = DeadLetter.add(record.headers(), e.failure().name(), e.reason(), STAGE,
                    context.recordMetadata().map(m -> DeadLetter.origin(m.topic(), m.partition(), m.offset()))
                            .orElse(null));
            context.forward(record.withValue(new Parsed(null, line)).withHeaders(headers));
        }
    }
}
