package io.auditrail.streams;

import io.auditrail.core.event.PairedEvent;
import io.auditrail.streams.pairing.WaitingEntry;
import io.auditrail.streams.pairing.RequestPairing;
import java.time.Duration;
import java.util.List;
import java.util.Set;
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
 * Wraps {@link RequestPairing}: whichever of a request and its response arrives first waits in the {@value #STORE}
 * store keyed by request id (the raw topic is keyed by request id, so the two meet in one task). The pairing clock is
 * the wall clock: a punctuation every sweep interval releases entries that waited the timeout even when no further
 * record arrives, and a backlog's old record timestamps cannot age an entry before its partner is read. Output key:
 * the event's tenant (the events topic key).
 */
final class PairingProcessor implements Processor<byte[], Parsed, String, PairedEvent> {
    /** Kept under its first name (it held only requests then), so an upgrade keeps what was waiting. */
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
                // cached: most entries are put and deleted within one commit, and never reach the changelog
                return Set.of(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                        Codecs.waitingEntry()).withCachingEnabled());
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, PairedEvent> context) {
        this.context = context;
        KeyValueStore<String, WaitingEntry> store = context.getStateStore(STORE);
        // init runs once the store is restored: what it holds waits a whole timeout from now, not from before a crash
        this.pairing = new RequestPairing(new StoreStateMap<>(store), timeout, noResponsePaths,
                context.currentSystemTimeMs());
        context.schedule(sweep, PunctuationType.WALL_CLOCK_TIME, now -> emit(pairing.expire(now), now));
    }

    @Override
    public void process(Record<byte[], Parsed> record) {
        emit(pairing.accept(record.value().event(), context.currentSystemTimeMs(), ReplayMark.text(record.headers())),
                record.timestamp());
    }

    private void emit(List<RequestPairing.Release> released, long timestamp) {
        for (RequestPairing.Release r : released) {
            PairedEvent e = r.event();
            metrics.event(e.pairing().status());
            context.forward(new Record<>(e.topicKey(), e, timestamp, ReplayMark.ofText(r.replayOrigin())));
        }
    }
}
