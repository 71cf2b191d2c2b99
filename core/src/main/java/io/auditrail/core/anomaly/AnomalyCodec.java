package io.auditrail.core.anomaly;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.auditrail.core.event.EventCodec;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON form of anomalies on {@code vault.audit.anomalies}, with the event conventions
 * ({@link EventCodec#mapper()}): snake_case, RFC 3339 times, every field written, unknown fields ignored.
 */
public final class AnomalyCodec {
    private AnomalyCodec() {
    }

    public static byte[] toBytes(Anomaly anomaly) {
        try {
            return EventCodec.mapper().writeValueAsBytes(anomaly);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an Anomaly always serialises", e);
        }
    }

    public static Anomaly fromBytes(byte[] json) {
        try {
            return EventCodec.mapper().readValue(json, Anomaly.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not an anomaly", e);
        }
    }
}
