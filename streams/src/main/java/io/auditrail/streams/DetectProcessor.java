package io.auditrail.streams;

import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.event.PairedEvent;
import io.auditrail.streams.rules.Detector;
import io.auditrail.streams.rules.OpenAnomaly;
import io.auditrail.streams.rules.RuleBook;
import io.auditrail.streams.rules.WindowedRule;
import io.auditrail.streams.state.StateMap;
import io.auditrail.streams.state.StateMaps;
import io.auditrail.streams.tenant.TenantProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
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
 * Wraps the {@link Detector}: events arrive partitioned by subject, so each actor's counts live in one task. Rule
 * state and open anomalies sit in stores named by {@link RuleBook}; merge windows close as event time passes
 * (see {@link #process}). Output key: the anomaly's tenant.
 */
final class DetectProcessor implements Processor<String, PairedEvent, String, Anomaly> {
    private final RuleBook rules;
    private final Duration sweep;
    private final Duration lateness;
    private final StreamsMetrics metrics;
    private ProcessorContext<String, Anomaly> context;
    private Detector detector;
    private long latestEventMs = Long.MIN_VALUE;
    private long nextSweepMs = Long.MIN_VALUE;
    /** Wall clock at the last event in, or at the last quiet sweep. */
    private long lastInputWallMs;

    private DetectProcessor(RuleBook rules, Duration sweep, Duration lateness, StreamsMetrics metrics) {
        this.rules = rules;
        this.sweep = sweep;
        this.lateness = lateness;
        this.metrics = metrics;
    }

    static ProcessorSupplier<String, PairedEvent, String, Anomaly> supplier(RuleBook rules, Duration sweep,
                                                                             Duration lateness,
                                                                            StreamsMetrics metrics) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, PairedEvent, String, Anomaly> get() {
                return new DetectProcessor(rules, sweep, lateness, metrics);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                Set<StoreBuilder<?>> stores = new LinkedHashSet<>();
                stores.add(store(RuleBook.MERGE_STORE, OpenAnomaly.class));
                for (WindowedRule<?> r : rules.windowedRules()) {
                    stores.add(store(RuleBook.storeName(r.name()), r.stateType()));
                }
                return stores;
            }
        };
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Class<V> type) {
        // cached: a hot actor's counters are written to the changelog once per commit, not once per event
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), new JsonSerde<>(type))
                .withCachingEnabled();
    }

    @Override
    public void init(ProcessorContext<String, Anomaly> context) {
        this.context = context;
        KeyValueStore<String, TenantProfile> directory = context.getStateStore(AuditTopology.TENANT_STORE);
        StateMaps stores = new StateMaps() {
            @Override
            public <V> StateMap<V> open(String storeName, Class<V> type) {
                KeyValueStore<String, V> store = context.getStateStore(storeName);
                return new StoreStateMap<>(store);
            }
        };
        this.detector = rules.detector(stores,
                tenantId -> tenantId == null ? Optional.empty() : Optional.ofNullable(directory.get(tenantId)));
        context.schedule(sweep, PunctuationType.WALL_CLOCK_TIME, this::sweepWhileQuiet);
    }

    /**
     * Sweeps as event time passes sweep boundaries, so windows close by the same clock that opened them (a replay of
     * old events decides as the live run did). When traffic stops, {@link #sweepWhileQuiet} closes them.
     */
    @Override
    public void process(Record<String, PairedEvent> record) {
        lastInputWallMs = context.currentSystemTimeMs();
        latestEventMs = Math.max(latestEventMs, record.value().event().time().toEpochMilli());
        Headers mark = ReplayMark.of(record.headers());
        emit(detector.accept(record.value()), record.timestamp(), mark);
        if (latestEventMs >= nextSweepMs) {
            nextSweepMs = latestEventMs + sweep.toMillis();
            // the watermark trails the newest event by the allowed lateness: an actor's events from a slower raw
            // partition still find their window open
            emit(detector.expire(Instant.ofEpochMilli(latestEventMs - lateness.toMillis())), record.timestamp(), mark);
        }
    }

    /**
     * No event for a whole sweep interval: event time runs on with the wall clock, so merge windows still close and
     * final revisions are published while traffic is quiet, not with the next event (which may never come). The
     * allowed lateness still applies, so an event that a slower partition or the pairing still holds counts as it
     * would have. Once events flow again, their own times take over.
     */
    private void sweepWhileQuiet(long nowMs) {
        if (latestEventMs == Long.MIN_VALUE || nowMs - lastInputWallMs < sweep.toMillis()) {
            return;
        }
        latestEventMs += nowMs - lastInputWallMs;
        lastInputWallMs = nowMs;
        nextSweepMs = latestEventMs + sweep.toMillis();
        emit(detector.expire(Instant.ofEpochMilli(latestEventMs - lateness.toMillis())), nowMs, new RecordHeaders());
    }

    private void emit(List<Anomaly> anomalies, long timestamp, Headers headers) {
        for (Anomaly a : anomalies) {
            metrics.anomaly(a);
            context.forward(new Record<>(a.topicKey(), a, timestamp, headers));
        }
    }
}
