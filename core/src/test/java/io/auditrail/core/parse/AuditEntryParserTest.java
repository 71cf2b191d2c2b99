package io.auditrail.core.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditrail.core.entry.AuditEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuditEntryParserTest {
    private static final String KV_READ = """
            {"time":"2026-11-28T10:00:00.123456789Z","type":"response","auth":{"client_token":"hmac-sha256:aa",\
            "accessor":"hmac-sha256:bb","display_name":"approle","policies":["default","tenant-acme"],\
            "token_policies":["default","tenant-acme"],"identity_policies":["ops"],"metadata":{"tenant_id":"acme",\
            "role_name":"app"},"entity_id":"ent-1","token_type":"service","token_ttl":3600,\
            "token_issue_time":"2026-11-28T04:59:00-05:00","policy_results":{"allowed":true,"granting_policies":\
            [{"name":"tenant-acme","namespace_id":"root","type":"acl"}]}},"request":{"id":"req-1","client_id":"cid",\
            "operation":"read","mount_point":"secret/","mount_type":"kv","mount_running_version":"v0.20.0+builtin",\
            "client_token":"hmac-sha256:aa","client_token_accessor":"hmac-sha256:bb","namespace":{"id":"root"},\
            "path":"secret/data/tenants/acme/binance","remote_address":"10.0.0.7","remote_port":51234,\
            "headers":{"user-agent":["vault-go"]},"request_uri":"/v1/secret/data/tenants/acme/binance"},\
            "response":{"mount_point":"secret/","mount_type":"kv","mount_running_plugin_version":"v0.20.0+builtin",\
            "data":{"data":{"api_key":"hmac-sha256:cc"},"metadata":{"version":3,"destroyed":false}},\
            "warnings":["w1"]},"future_field":{"nested":[1,2,{"x":"y"}]},"another":42}""";

    private final AuditEntryParser parser = new AuditEntryParser();

    @Test
    void readsEveryKnownFieldByName() throws Exception {
        AuditEntry e = parser.parse(bytes(KV_READ));
        assertThat(e.type()).isEqualTo("response");
        assertThat(e.isResponse()).isTrue();
        assertThat(e.time()).isEqualTo(Instant.parse("2026-11-28T10:00:00.123456789Z"));
        assertThat(e.auth().displayName()).isEqualTo("approle");
        assertThat(e.auth().policies()).containsExactly("default", "tenant-acme");
        assertThat(e.auth().allPolicies()).containsExactly("default", "tenant-acme", "ops");
        assertThat(e.auth().metadata()).containsEntry("tenant_id", "acme");
        assertThat(e.auth().tokenTtl()).isEqualTo(3600L);
        assertThat(e.auth().tokenIssueTime()).isEqualTo(OffsetDateTime.parse("2026-11-28T04:59:00-05:00"));
        assertThat(e.auth().policyResults().allowed()).isTrue();
        assertThat(e.auth().policyResults().grantingPolicies()).singleElement()
                .satisfies(g -> assertThat(g.name()).isEqualTo("tenant-acme"));
        assertThat(e.request().id()).isEqualTo("req-1");
        assertThat(e.request().mountRunningVersion()).isEqualTo("v0.20.0+builtin");
        assertThat(e.request().remotePort()).isEqualTo(51234);
        assertThat(e.request().headers()).containsEntry("user-agent", java.util.List.of("vault-go"));
        assertThat(e.request().requestUri()).isEqualTo("/v1/secret/data/tenants/acme/binance");
        assertThat(e.response().mountRunningPluginVersion()).isEqualTo("v0.20.0+builtin");
        assertThat(e.response().warnings()).containsExactly("w1");
    }

    @Test
    void keepsFreeFormMapsAndUnknownFieldsByteExact() throws Exception {
        AuditEntry e = parser.parse(bytes(KV_READ));
        assertThat(e.response().data().json())
                .isEqualTo("{\"data\":{\"api_key\":\"hmac-sha256:cc\"},\"metadata\":{\"version\":3,\"destroyed\":false}}");
        assertThat(e.unknown()).containsOnlyKeys("future_field", "another");
        assertThat(e.unknown().get("future_field").json()).isEqualTo("{\"nested\":[1,2,{\"x\":\"y\"}]}");
        assertThat(e.unknown().get("another").json()).isEqualTo("42");
    }

    @Test
    void keyOrderDoesNotMatter() throws Exception {
        String reordered = """
                {"type":"request","request":{"path":"sys/health","operation":"read","id":"r"},\
                "auth":{"policies":["root"]},"time":"2026-01-01T00:00:00Z"}""";
        AuditEntry e = parser.parse(bytes(reordered));
        assertThat(e.request().path()).isEqualTo("sys/health");
        assertThat(e.auth().policies()).containsExactly("root");
        assertThat(e.response()).isNull();
    }

    @ParameterizedTest
    @CsvSource({
            "2026-11-28T10:00:00Z, 0",
            "2026-11-28T10:00:00.1Z, 100000000",
            "2026-11-28T10:00:00.12Z, 120000000",
            "2026-11-28T10:00:00.36089379Z, 360893790",
            "2026-11-28T10:00:00.123456789Z, 123456789",
            "2026-11-28T11:00:00.5+01:00, 500000000"})
    void acceptsZeroToNineFractionalDigitsAndOffsets(String time, long nanos) throws Exception {
        AuditEntry e = parser.parse(bytes("{\"time\":\"" + time + "\",\"type\":\"request\"}"));
        assertThat(e.time()).isEqualTo(Instant.parse("2026-11-28T10:00:00Z").plusNanos(nanos));
    }

    @Test
    void acceptsOtherEntryTypesAndMissingRequestId() throws Exception {
        AuditEntry kmip = parser.parse(bytes("{\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"kmip-response\","
                + "\"request\":{\"operation\":\"help\",\"path\":\"ca/roles/example\"}}"));
        assertThat(kmip.type()).isEqualTo("kmip-response");
        assertThat(kmip.isResponse()).isTrue();
        assertThat(kmip.request().id()).isNull();
    }

    @Test
    void nullsReadAsAbsent() throws Exception {
        AuditEntry e = parser.parse(bytes("{\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"request\",\"auth\":null,"
                + "\"request\":{\"data\":null,\"namespace\":null,\"id\":null}}"));
        assertThat(e.request().data()).isNull();
        assertThat(e.request().id()).isNull();
        assertThat(e.auth().policies()).isEmpty();
    }

    @Test
    void stripsTheDevicePrefixAndAcceptsLinesWithoutIt() throws Exception {
        var prefixed = new AuditEntryParser("vault-1 ", AuditEntryParser.DEFAULT_MAX_LINE_BYTES);
        String json = "{\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"request\",\"request\":{\"id\":\"a\"}}";
        assertThat(prefixed.parse(bytes("vault-1 " + json + "\n")).request().id()).isEqualTo("a");
        assertThat(prefixed.parse(bytes(json)).request().id()).isEqualTo("a");
        assertThatThrownBy(() -> prefixed.parse(bytes("vault-2 " + json)))
                .isInstanceOfSatisfying(MalformedEntryException.class, ex -> {
                    assertThat(ex.failure()).isEqualTo(ParseFailure.BAD_PREFIX);
                    assertThat(ex.byteOffset()).isZero();
                });
    }

    @Test
    void offsetOfAnErrorCountsThePrefix() {
        var prefixed = new AuditEntryParser("P:", AuditEntryParser.DEFAULT_MAX_LINE_BYTES);
        assertThatThrownBy(() -> prefixed.parse(bytes("P:{\"time\":\"2026-01-01T00:00:00Z\",\"type\":}")))
                .isInstanceOfSatisfying(MalformedEntryException.class, ex -> {
                    assertThat(ex.failure()).isEqualTo(ParseFailure.NOT_JSON);
                    // 2 prefix bytes + the 38 JSON bytes before the unexpected '}'
                    assertThat(ex.byteOffset()).isEqualTo(40);
                });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                                                                   | EMPTY",
            "'   '                                                                | EMPTY",
            "'{\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"requ'                  | NOT_JSON",
            "'[1,2]'                                                              | NOT_AN_OBJECT",
            "'\"just a string\"'                                                  | NOT_AN_OBJECT",
            "'{\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"request\"} {}'         | TRAILING_DATA",
            "'{\"time\":\"2026-01-01T00:00:00Z\"}'                                | MISSING_TYPE",
            "'{\"type\":\"request\"}'                                             | MISSING_TIME",
            "'{\"time\":\"yesterday\",\"type\":\"request\"}'                      | BAD_TIME",
            "'{\"time\":\"2026-02-30T00:00:00Z\",\"type\":\"request\"}'           | BAD_TIME",
            "'{\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"request\",\"auth\":{\"token_issue_time\":\"x\"}}' | BAD_TIME",
            "'{\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"request\",\"auth\":\"x\"}' | BAD_FIELD_TYPE",
            "'{\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"request\",\"request\":{\"path\":7}}' | BAD_FIELD_TYPE",
            "'{\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"request\",\"auth\":{\"token_ttl\":\"1h\"}}' | BAD_FIELD_TYPE",
            "'2026-01-01 INFO vault started {\"a\":1}'                            | BAD_PREFIX"})
    void malformedLinesGetATypedFailure(String line, ParseFailure expected) {
        assertThatThrownBy(() -> parser.parse(bytes(line)))
                .isInstanceOfSatisfying(MalformedEntryException.class, ex -> {
                    assertThat(ex.failure()).isEqualTo(expected);
                    assertThat(ex.reason()).isNotBlank();
                });
    }

    @Test
    void invalidUtf8IsReportedAsSuch() {
        byte[] line = bytes("{\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"re\"}");
        line[38] = (byte) 0xC3;
        line[39] = (byte) 0x28;
        assertThatThrownBy(() -> parser.parse(line))
                .isInstanceOfSatisfying(MalformedEntryException.class,
                        ex -> assertThat(ex.failure()).isEqualTo(ParseFailure.NOT_UTF8));
    }

    @Test
    void oversizeLinesAreRefusedBeforeParsing() {
        var small = new AuditEntryParser("", 64);
        byte[] line = bytes("{\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"request\",\"error\":\""
                + "x".repeat(100) + "\"}");
        assertThatThrownBy(() -> small.parse(line))
                .isInstanceOfSatisfying(MalformedEntryException.class,
                        ex -> assertThat(ex.failure()).isEqualTo(ParseFailure.OVERSIZE));
    }

    @Test
    void errorMessagesNeverQuoteTheLine() {
        String secret = "s.SUPERSECRETTOKENVALUE";
        byte[] line = bytes("{\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"request\",\"auth\":{\"client_token\":\""
                + secret + "\"},\"request\":{\"path\":{\"nested\":\"" + secret + "\"}}}");
        assertThatThrownBy(() -> parser.parse(line)).hasMessageNotContaining(secret);
    }

    /** Truncations, flipped bytes and binary: every outcome is an entry or a typed failure, never a crash. */
    @Test
    void mangledInputNeverEscapesAsAnUncheckedException() {
        byte[] good = bytes(KV_READ);
        Random random = new Random(42);
        int parsed = 0;
        int failed = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] line;
            switch (i % 3) {
                case 0 -> line = java.util.Arrays.copyOf(good, random.nextInt(good.length));
                case 1 -> {
                    line = good.clone();
                    for (int k = 0; k < 1 + random.nextInt(4); k++) {
                        line[random.nextInt(line.length)] = (byte) random.nextInt(256);
                    }
                }
                default -> {
                    line = new byte[random.nextInt(2048)];
                    random.nextBytes(line);
                }
            }
            try {
                parser.parse(line);
                parsed++;
            } catch (MalformedEntryException e) {
                failed++;
                assertThat(e.failure()).isNotNull();
            }
        }
        assertThat(parsed + failed).isEqualTo(20_000);
        assertThat(failed).isGreaterThan(parsed);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
