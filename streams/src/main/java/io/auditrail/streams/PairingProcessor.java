package io.auditrail.streams;

import io.auditrail.core.event.PairedEvent;
import io.auditrail.streams.pairing.PendingRequest;
import io.auditrail.streams.pairing.RequestPairing;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Wraps {@link RequestPairing}: requests wait in the {@value #STORE} store keyed by request id (the raw topic is
 * keyed by request id, so request and response meet in one task); a stream-time punctuation releases those past
 * the timeout. Output key: the event's tenant (the events topic key).
 */
final class PairingProcessor implements Processor<byte[], Parsed, String, PairedEvent> {
    static final String STORE = "pairing-open-requests";

    private final Duration timeout;
    private final Duration sweep;
    private final Set<String> noResponsePaths;
    private final StreamsMetrics metrics;
    private ProcessorContext<String, PairedEvent> context;
    private RequestPairing pairing;

    PairingProcessor(Duration timeout, Duration sweep, Set<String> noResponsePaths, StreamsMetrics metrics) {
        this.timeout = timeout;
        this.sweep = sweep;
        this.noResponsePaths = noResponsePaths;
        this.metrics = metrics;
    }

    static ProcessorSupplier<byte[], Parsed, String, PairedEvent> supplier(Duration timeout, Duration sweep,
                                                                           Set<String> noResponsePaths,
                                                                           StreamsMetrics metrics) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<byte[], Parsed, String, PairedEvent> get() {
                return new PairingProcessor(timeout, sweep, noResponsePaths, metrics);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                // cached: most requests are put and deleted within one commit, and never reach the changelog
                return Set.of(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                        new JsonSerde<>(PendingRequest.class)).withCachingEnabled());
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, PairedEvent> context) {
        this.context = context;
        KeyValueStore<String, PendingRequest> store = context.getStateStore(STORE);
        this.pairing = new RequestPairing(new StoreStateMap<>(store), timeout, noResponsePaths);
        context.schedule(sweep, PunctuationType.STREAM_TIME, now -> emit(pairing.expire(now), now, new RecordHeaders()));
    }

    @Override
    public void process(Record<byte[], Parsed> record) {
        emit(pairing.accept(record.value().event(), record.timestamp()), record.timestamp(),
                ReplayMark.of(record.headers()));
    }

    private void emit(List<PairedEvent> events, long timestamp, Headers headers) {
        for (PairedEvent e : events) {
            metrics.event(e.pairing().status());
            context.forward(new Record<>(e.topicKey(), e, timestamp, headers));
        }
    }
}
