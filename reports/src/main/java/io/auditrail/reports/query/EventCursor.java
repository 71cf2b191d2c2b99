package io.auditrail.reports.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/**
 * Where the next page of an event search starts: after the event at ({@code at}, {@code eventId}), newest first.
 * Opaque to callers (base64url of a small JSON object). It carries the search window the first page resolved, so
 * a defaulted "now" does not move between pages, and a fingerprint of the tenant and filters it was made for: used
 * with another tenant or other filters it is refused (400), since it would silently skip or repeat rows.
 * <p>
 * It is not signed, on purpose: tenant scope never comes from a cursor. A forged cursor can only move the starting
 * point within the tenant and filters of the request, which the query layer has already checked.
 */
public record EventCursor(String fingerprint, Instant from, Instant to, Instant at, UUID eventId) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VERSION = 1;

    /** The fingerprint a search's cursors carry: a SHA-256 of its tenant and filters (first 16 bytes, base64url). */
    static String fingerprintOf(EventSearch search) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest(search.fingerprintSource().getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(h, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    public String encode() {
        ObjectNode o = JSON.createObjectNode();
        o.put("v", VERSION);
        o.put("q", fingerprint);
        o.put("from", from.toString());
        o.put("to", to.toString());
        o.put("at", at.toString());
        o.put("id", eventId.toString());
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(o));
        } catch (IOException e) {
            throw new IllegalStateException("a small JSON object always serialises", e);
        }
    }

    /** The cursor a string encodes; {@link InvalidParameter} for anything that is not one of ours. */
    public static EventCursor decode(String text) {
        try {
            JsonNode o = JSON.readTree(Base64.getUrlDecoder().decode(text));
            if (o == null || !o.isObject() || o.path("v").asInt() != VERSION) {
                throw new InvalidParameter("cursor", "not a cursor of this API");
            }
            EventCursor c = new EventCursor(text(o, "q"), Instant.parse(text(o, "from")), Instant.parse(text(o, "to")),
                    Instant.parse(text(o, "at")), UUID.fromString(text(o, "id")));
            if (!c.from.isBefore(c.to)) {
                throw new InvalidParameter("cursor", "not a cursor of this API");
            }
            return c;
        } catch (IllegalArgumentException | DateTimeParseException | IOException e) {
            throw new InvalidParameter("cursor", "not a cursor of this API");
        }
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException("no " + field);
        }
        return n.asText();
    }
}
