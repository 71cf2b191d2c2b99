package io.auditrail.reports.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventCursorTest {
    private static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-11-29T00:00:00Z");

    private static EventSearch search(String tenant, String pathPrefix) {
        return new EventSearch(tenant, null, null, null, pathPrefix, null, null, 100, null);
    }

    @Test
    void roundTripKeepsEveryFieldToTheMicrosecond() {
        EventCursor c = new EventCursor("fp", FROM, TO, Instant.parse("2026-11-28T10:11:12.123456Z"),
                UUID.fromString("0190a1b2-c3d4-8e5f-9a0b-1c2d3e4f5a6b"));
        String text = c.encode();
        assertThat(text).matches("[A-Za-z0-9_-]+"); // URL-safe as it is, no padding
        assertThat(EventCursor.decode(text)).isEqualTo(c);
    }

    @Test
    void theFingerprintBindsTheTenantAndEveryFilter() {
        String a = EventCursor.fingerprintOf(search("acme", null));
        assertThat(EventCursor.fingerprintOf(search("acme", null))).isEqualTo(a);
        assertThat(EventCursor.fingerprintOf(search("globex", null))).isNotEqualTo(a);
        assertThat(EventCursor.fingerprintOf(search("acme", "secret/"))).isNotEqualTo(a);
        assertThat(EventCursor.fingerprintOf(new EventSearch("acme", null, null, null, null, null, "ok", 100, null)))
                .isNotEqualTo(a);
        // the limit is not a filter: pages of another size continue the same walk
        assertThat(EventCursor.fingerprintOf(new EventSearch("acme", null, null, null, null, null, null, 5, null)))
                .isEqualTo(a);
        // an absent filter and one spelled "null" are different searches
        assertThat(EventCursor.fingerprintOf(search("acme", "null"))).isNotEqualTo(a);
    }

    @Test
    void anythingElseIsABadCursor() {
        for (String bad : new String[] {"", "not base64 !", "e30", // {} 
                b64("{\"v\":2,\"q\":\"x\"}"), b64("[1,2]"), b64("{\"v\":1,\"q\":\"x\",\"from\":\"yesterday\"}"),
                b64("{\"v\":1,\"q\":\"x\",\"from\":\"2026-11-01T00:00:00Z\",\"to\":\"2026-11-02T00:00:00Z\","
                        + "\"at\":\"2026-11-01T10:00:00Z\",\"id\":\"1-1-1-1-1x\"}"),
                b64("{\"v\":1,\"q\":\"x\",\"from\":\"2026-11-02T00:00:00Z\",\"to\":\"2026-11-01T00:00:00Z\","
                        + "\"at\":\"2026-11-01T10:00:00Z\",\"id\":\"0190a1b2-c3d4-8e5f-9a0b-1c2d3e4f5a6b\"}")}) {
            assertThatThrownBy(() -> EventCursor.decode(bad)).as(bad).isInstanceOf(InvalidParameter.class)
                    .hasMessage("cursor: not a cursor of this API");
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
