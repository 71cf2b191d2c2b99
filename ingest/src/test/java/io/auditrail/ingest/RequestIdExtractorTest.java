package io.auditrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestIdExtractorTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String id(RequestIdExtractor x, String line) {
        byte[] id = x.requestId(b(line));
        return id == null ? null : new String(id, StandardCharsets.UTF_8);
    }

    @Test
    void findsTheIdWhateverTheKeyOrder() {
        var x = new RequestIdExtractor("");
        assertThat(id(x, "{\"time\":\"t\",\"type\":\"request\",\"auth\":{\"metadata\":{\"request\":\"no\"},"
                + "\"policies\":[\"a\",{\"id\":\"nested\"}]},\"request\":{\"operation\":\"read\",\"id\":\"abc-1\"}}"))
                .isEqualTo("abc-1");
        assertThat(id(x, "{\"request\":{\"data\":{\"id\":\"inner\"},\"id\":\"r2\"},\"time\":\"t\"}")).isEqualTo("r2");
    }

    @Test
    void noIdForLinesWithoutOneOrNotJson() {
        var x = new RequestIdExtractor("");
        assertThat(id(x, "{\"type\":\"request\",\"request\":{\"path\":\"sys/help\"}}")).isNull();
        assertThat(id(x, "{\"request\":{\"id\":\"\"}}")).isNull();
        assertThat(id(x, "{\"request\":{\"id\":7}}")).isNull();
        assertThat(id(x, "not json at all")).isNull();
        assertThat(id(x, "{\"request\":{\"id\":\"trunc")).isNull();
        assertThat(id(x, "")).isNull();
        assertThat(x.requestId(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1})).isNull();
    }

    @Test
    void skipsTheDevicePrefixAndAcceptsItsAbsence() {
        var x = new RequestIdExtractor("vault-1:");
        assertThat(id(x, "vault-1:{\"request\":{\"id\":\"p1\"}}")).isEqualTo("p1");
        assertThat(id(x, "{\"request\":{\"id\":\"p2\"}}")).isEqualTo("p2");
    }

    @Test
    void theByteScanAgreesWithJacksonOnEveryPrefixOfRealisticLines() {
        var x = new RequestIdExtractor("");
        java.util.List<byte[]> lines = new java.util.ArrayList<>(AuditLines.pairs(1, 3));
        lines.add(b("{ \"time\" : \"t\" , \"auth\" : { \"policies\" : [ \"a\" , [ 1 , { \"b\" : null } ] ] , "
                + "\"n\" : -1.5e3 , \"ok\" : true } , \"request\" : { \"data\" : { \"id\" : \"no\" } , "
                + "\"id\" : \"spaced\" } }"));
        lines.add(b("{\"auth\":{\"display_name\":\"quote \\\" and } brace\"},\"request\":{\"id\":\"after-escapes\"}}"));
        lines.add(b("{\"req\\u0075est\":{\"id\":\"escaped-key\"}}"));
        lines.add(b("{\"request\":{\"id\":\"esc\\u0061ped\"}}"));
        for (byte[] line : lines) {
            for (int len = 0; len <= line.length; len++) {
                byte[] prefix = java.util.Arrays.copyOf(line, len);
                assertThat(x.requestId(prefix)).as("prefix %d of %s", len, new String(line, StandardCharsets.UTF_8))
                        .isEqualTo(RequestIdExtractor.withJackson(prefix, 0));
            }
        }
        assertThat(id(x, "{\"req\\u0075est\":{\"id\":\"escaped-key\"}}")).isEqualTo("escaped-key");
        assertThat(id(x, "{\"request\":{\"id\":\"esc\\u0061ped\"}}")).isEqualTo("escaped");
        assertThat(id(x, "{\"auth\":{\"display_name\":\"quote \\\" and } brace\"},\"request\":{\"id\":\"after-escapes\"}}"))
                .isEqualTo("after-escapes");
    }
}
