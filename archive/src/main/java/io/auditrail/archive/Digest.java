package io.auditrail.archive;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One digest: the objects written since the previous digest, the previous digest's key and SHA-256, and the highest
 * archived offset of every partition so far ({@code coverage}). Stored as JSON at {@link #key()}; the Ed25519
 * signature of exactly those bytes is stored beside it at {@link #signatureKey(String)}.
 */
public record Digest(int version, long sequence, Instant created, String topic, String previousKey,
                     String previousSha256, SortedMap<Integer, Coverage> coverage, List<DigestEntry> objects) {
    public static final int VERSION = 1;
    public static final String PREFIX = "digests/";
    public static final String SUFFIX = ".json";
    public static final String SIGNATURE_SUFFIX = ".sig";
    private static final ObjectMapper JSON = new ObjectMapper();

    public Digest {
        coverage = new TreeMap<>(coverage);
        objects = List.copyOf(objects);
    }

    public String key() {
        return PREFIX + ObjectKey.HOUR_PATH.format(created) + ObjectKey.STAMP.format(created)
                + String.format("-%010d", sequence) + SUFFIX;
    }

    public static String hourPrefix(Instant t) {
        return PREFIX + ObjectKey.HOUR_PATH.format(t);
    }

    public static String signatureKey(String digestKey) {
        return digestKey + SIGNATURE_SUFFIX;
    }

    public static boolean isDigestKey(String key) {
        return key.startsWith(PREFIX) && key.endsWith(SUFFIX);
    }

    /** The creation time a digest key carries ({@code digests/yyyy/MM/dd/HH/<stamp>-<sequence>.json}). */
    public static Optional<Instant> createdOf(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        int dash = name.indexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(ObjectKey.parseStamp(name.substring(0, dash)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The canonical bytes: fields in a fixed order, no insignificant white space except one newline at the end. */
    public byte[] toJson() {
        var out = new ByteArrayOutputStream(512 + objects.size() * 400);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("version", version);
            g.writeNumberField("sequence", sequence);
            g.writeStringField("created", created.toString());
            g.writeStringField("topic", topic);
            g.writeStringField("previous_key", previousKey);
            g.writeStringField("previous_sha256", previousSha256);
            g.writeObjectFieldStart("coverage");
            for (Map.Entry<Integer, Coverage> e : coverage.entrySet()) {
                g.writeObjectFieldStart(Integer.toString(e.getKey()));
                g.writeNumberField("last_offset", e.getValue().lastOffset());
                g.writeStringField("last_object_time", e.getValue().lastObjectTime().toString());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeArrayFieldStart("objects");
            for (DigestEntry o : objects) {
                g.writeStartObject();
                g.writeStringField("key", o.key());
                g.writeStringField("sha256", o.sha256());
                g.writeStringField("content_sha256", o.contentSha256());
                g.writeNumberField("bytes", o.bytes());
                g.writeNumberField("lines", o.lines());
                g.writeNumberField("partition", o.partition());
                g.writeNumberField("first_offset", o.firstOffset());
                g.writeNumberField("last_offset", o.lastOffset());
                g.writeStringField("first_time", o.firstTime().toString());
                g.writeStringField("last_time", o.lastTime().toString());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** Parses a digest; {@link IllegalArgumentException} when the bytes are not one. */
    public static Digest parse(byte[] json) {
        try {
            JsonNode n = JSON.readTree(json);
            SortedMap<Integer, Coverage> coverage = new TreeMap<>();
            for (Map.Entry<String, JsonNode> f : required(n, "coverage").properties()) {
                coverage.put(Integer.parseInt(f.getKey()), new Coverage(required(f.getValue(), "last_offset").asLong(),
                        Instant.parse(text(f.getValue(), "last_object_time"))));
            }
            List<DigestEntry> objects = new ArrayList<>();
            for (JsonNode o : required(n, "objects")) {
                objects.add(new DigestEntry(text(o, "key"), text(o, "sha256"), text(o, "content_sha256"),
                        required(o, "bytes").asLong(), required(o, "lines").asInt(), required(o, "partition").asInt(),
                        required(o, "first_offset").asLong(), required(o, "last_offset").asLong(),
                        Instant.parse(text(o, "first_time")), Instant.parse(text(o, "last_time"))));
            }
            return new Digest(required(n, "version").asInt(), required(n, "sequence").asLong(),
                    Instant.parse(text(n, "created")), text(n, "topic"), text(n, "previous_key"),
                    text(n, "previous_sha256"), coverage, objects);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a digest: " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null) {
            throw new IllegalArgumentException("missing field " + field);
        }
        return v;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = required(n, field);
        return v.isNull() ? null : v.asText();
    }
}
