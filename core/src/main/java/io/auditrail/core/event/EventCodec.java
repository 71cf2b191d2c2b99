package io.auditrail.core.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON form of events on {@code vault.audit.events}: snake_case names, RFC 3339 times, every
 * field written (null included) so consumers see one stable shape. Readers ignore fields they do not
 * know, so a newer schema can add fields without breaking an older consumer.
 */
public final class EventCodec {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();

    private EventCodec() {
    }

    /** The mapper with the event conventions, for writers that embed events in larger objects. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] toBytes(AuditEvent event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an AuditEvent always serialises", e);
        }
    }

    public static AuditEvent fromBytes(byte[] json) {
        try {
            return MAPPER.readValue(json, AuditEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not an audit event", e);
        }
    }
}
