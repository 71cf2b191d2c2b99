package io.auditrail.streams;

import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.anomaly.AnomalyCodec;
import io.auditrail.core.event.PairedEvent;
import io.auditrail.streams.codec.CompactEvents;
import io.auditrail.streams.pairing.WaitingEntry;
import io.auditrail.streams.tenant.TenantProfile;
import java.io.IOException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The serdes of the topology's topics and stores. */
public final class Codecs {
    private static final Logger LOG = LoggerFactory.getLogger(Codecs.class);

    private Codecs() {
    }

    public static Serde<PairedEvent> pairedEvent() {
        return Serdes.serdeFrom((topic, e) -> e == null ? null : e.toJson(),
                (topic, bytes) -> bytes == null ? null : PairedEvent.fromJson(bytes));
    }

    /**
     * Events between the stage's own tasks (the repartition to detection): {@link CompactEvents}, reading JSON too,
     * as records written before that format may still be in the topic after an upgrade.
     */
    public static Serde<PairedEvent> internalPairedEvent() {
        return Serdes.serdeFrom((topic, e) -> e == null ? null : CompactEvents.pairedEvent(e),
                (topic, bytes) -> bytes == null ? null
                        : CompactEvents.isCompact(bytes) ? CompactEvents.pairedEvent(bytes) : PairedEvent.fromJson(bytes));
    }

    /** What waits in the pairing store: {@link CompactEvents}, reading the JSON of earlier versions too. */
    public static Serde<WaitingEntry> waitingEntry() {
        JsonSerde<WaitingEntry> json = new JsonSerde<>(WaitingEntry.class);
        return Serdes.serdeFrom((topic, w) -> w == null ? null : CompactEvents.waitingEntry(w),
                (topic, bytes) -> bytes == null ? null : CompactEvents.isCompact(bytes) ? CompactEvents.waitingEntry(bytes)
                        : json.deserializer().deserialize(topic, bytes));
    }

    public static Serde<Anomaly> anomaly() {
        return Serdes.serdeFrom((topic, a) -> a == null ? null : AnomalyCodec.toBytes(a),
                (topic, bytes) -> bytes == null ? null : AnomalyCodec.fromBytes(bytes));
    }

    /**
     * Tenant directory records. One that is not a valid profile is logged and read as absent, so an operator's typo
     * removes one tenant's profile instead of stopping the pipeline.
     */
    public static Serde<TenantProfile> tenantProfile() {
        return Serdes.serdeFrom((topic, p) -> p == null ? null : p.toJson(), (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return TenantProfile.fromJson(bytes);
            } catch (IOException | RuntimeException e) {
                LOG.warn("tenant directory record on {} is not a valid profile ({}); ignoring it", topic,
                        e.getMessage());
                return null;
            }
        });
    }
}
