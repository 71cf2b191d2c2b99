package io.auditrail.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.core.entry.AuditEntry;
import io.auditrail.core.parse.AuditEntryParser;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventIdTest {
    private final AuditEntryParser parser = new AuditEntryParser();

    @Test
    void theSameLineAlwaysGetsTheSameId() throws Exception {
        byte[] line = bytes("{\"time\":\"2026-01-01T00:00:00.5Z\",\"type\":\"request\",\"request\":{\"id\":\"r1\"}}");
        assertThat(id(line)).isEqualTo(id(line.clone()))
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    @Test
    void requestAndResponseOfOneRequestDiffer() throws Exception {
        String t = "{\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"%s\",\"request\":{\"id\":\"r1\"}}";
        assertThat(id(bytes(t.formatted("request")))).isNotEqualTo(id(bytes(t.formatted("response"))));
    }

    @Test
    void withARequestIdTheHmacsOfAnotherDeviceDoNotMatter() throws Exception {
        // the file and socket devices HMAC with different salts but share type, request id and time
        String t = "{\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"request\",\"auth\":{\"client_token\":\"hmac-sha256:%s\"},"
                + "\"request\":{\"id\":\"r1\"}}";
        assertThat(id(bytes(t.formatted("aaaa")))).isEqualTo(id(bytes(t.formatted("bbbb"))));
        assertThat(id(bytes("{\"time\":\"2026-01-01T00:00:00.000Z\",\"type\":\"request\",\"request\":{\"id\":\"r1\"}}")))
                .as("the same instant written with trailing zeros")
                .isEqualTo(id(bytes("{\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"request\",\"request\":{\"id\":\"r1\"}}")));
    }

    @Test
    void withoutARequestIdTheLineItselfDecidesAndItsNewlineDoesNot() throws Exception {
        String help = "{\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"request\",\"request\":{\"operation\":\"help\","
                + "\"path\":\"%s\"}}";
        assertThat(id(bytes(help.formatted("a")))).isNotEqualTo(id(bytes(help.formatted("b"))));
        assertThat(id(bytes(help.formatted("a")))).isEqualTo(id(bytes(help.formatted("a") + "\n")));
    }

    private String id(byte[] line) throws Exception {
        AuditEntry e = parser.parse(line);
        return EventId.of(e, line, 0, line.length);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
