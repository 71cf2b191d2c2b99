package io.auditrail.streams;

import io.auditrail.core.topic.Topics;
import io.auditrail.core.event.PairedEvent;
import io.auditrail.streams.rules.Detector;
import io.auditrail.streams.rules.RuleBook;
import io.auditrail.streams.rules.Subject;
import io.auditrail.streams.tenant.TenantProfile;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The topology, wiring only (no I/O): the stage, the driver tests and the golden {@code describe()} all build it
 * here.
 * <pre>
 * raw --parse--+--dlq----------------------------------------------------------> dlq (line unchanged, headers)
 *              +--ok--> pair (store: pairing-open-requests) --+--------------> events (key tenant)
 *                                                             +--what rules read, key by subject--> [detect-by-subject] --> detect
 *                                                                  (stores: detect-*) --> anomalies (key tenant)
 * tenants (compacted) --> global store tenant-directory (read by parse and detect)
 * </pre>
 */
public final class AuditTopology {
    /** The global store holding the tenant directory, keyed by tenant id. */
    public static final String TENANT_STORE = "tenant-directory";
    /** The repartition between pairing (by request id) and detection (by subject); topic {@code <app>-detect-by-subject-repartition}. */
    public static final String DETECT_REPARTITION = "detect-by-subject";

    private AuditTopology() {
    }

    public static Topology build(StreamsStageConfig config, RuleBook rules) {
        return build(config, rules, StreamsMetrics.none());
    }

    public static Topology build(StreamsStageConfig config, RuleBook rules, StreamsMetrics metrics) {
        Topics topics = config.core().topics();
        // the stage's own settings, so explicit naming is enforced while building, not first at start-up
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(config.streamsProperties())));

        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(TENANT_STORE),
                                Serdes.String(), Codecs.tenantProfile()).withLoggingDisabled(),
                topics.tenants(), Consumed.with(Serdes.String(), Codecs.tenantProfile()).withName("tenants"),
                () -> new TenantDirectoryUpdater());

        Map<String, KStream<byte[], Parsed>> parsed = builder
                .stream(topics.raw(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("raw-source"))
                .process(() -> new ParseProcessor(config.core(), config.tenantRefreshInterval(), metrics),
                        Named.as("parse"))
                .split(Named.as("parse-"))
                .branch((key, p) -> p.failed(), Branched.as("dlq"))
                .defaultBranch(Branched.as("ok"));

        parsed.get("parse-dlq")
                .mapValues(Parsed::line, Named.as("dlq-line"))
                .to(topics.dlq(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("to-dlq"));

        KStream<String, PairedEvent> events = parsed.get("parse-ok")
                .process(PairingProcessor.supplier(config.pairingTimeout(), config.pairingSweepInterval(),
                        rules.noResponsePaths(), metrics), Named.as("pair"));
        events.to(topics.events(), Produced.with(Serdes.String(), Codecs.pairedEvent()).withName("to-events"));

        events.filter((tenant, e) -> Detector.reads(e), Named.as("detect-what-rules-read"))
                .selectKey((tenant, e) -> Subject.of(e), Named.as("detect-key-by-subject"))
                .repartition(Repartitioned.with(Serdes.String(), Codecs.internalPairedEvent()).withName(DETECT_REPARTITION))
                .process(DetectProcessor.supplier(rules, config.detectSweepInterval(), config.detectLateness(),
                        metrics), Named.as("detect"))
                .to(topics.anomalies(), Produced.with(Serdes.String(), Codecs.anomaly()).withName("to-anomalies"));

        return builder.build();
    }

    /** Keeps the global tenant store equal to the compacted directory topic; a null value removes the tenant. */
    static final class TenantDirectoryUpdater implements Processor<String, TenantProfile, Void, Void> {
        private KeyValueStore<String, TenantProfile> store;

        @Override
        public void init(org.apache.kafka.streams.processor.api.ProcessorContext<Void, Void> context) {
            store = context.getStateStore(TENANT_STORE);
        }

        @Override
        public void process(Record<String, TenantProfile> record) {
            if (record.key() == null) {
                return;
            }
            if (record.value() == null) {
                store.delete(record.key());
            } else {
                store.put(record.key(), record.value());
            }
        }
    }
}
