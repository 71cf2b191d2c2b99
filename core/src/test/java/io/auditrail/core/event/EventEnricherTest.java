package io.auditrail.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.core.parse.AuditEntryParser;
import io.auditrail.core.tenant.TenantSource;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventEnricherTest {
    private final AuditEntryParser parser = new AuditEntryParser();
    private final EventEnricher enricher = EventEnricher.defaults();

    @Test
    void buildsTheEventContract() throws Exception {
        byte[] line = bytes("""
                {"time":"2026-11-28T10:00:00.5Z","type":"response","auth":{"client_token":"hmac-sha256:aa",\
                "accessor":"hmac-sha256:bb","display_name":"approle","policies":["default"],\
                "token_policies":["tenant-acme"],"metadata":{"tenant_id":"acme"},"entity_id":"ent-1",\
                "token_type":"service","token_ttl":3600},"request":{"id":"req-1","operation":"read",\
                "mount_point":"secret/","mount_type":"kv","namespace":{"id":"root"},\
                "path":"secret/data/tenants/acme/binance","remote_address":"10.0.0.7","remote_port":5000},\
                "response":{"mount_type":"kv"},"error":"1 error occurred:\\n\\t* permission denied\\n\\n"}""");
        AuditEvent ev = enricher.enrich(parser.parse(line), line);
        assertThat(ev.schema()).isEqualTo(AuditEvent.SCHEMA_VERSION);
        assertThat(ev.eventId()).hasSize(36);
        assertThat(ev.requestId()).isEqualTo("req-1");
        assertThat(ev.tenantId()).isEqualTo("acme");
        assertThat(ev.tenantSource()).isEqualTo(TenantSource.METADATA);
        assertThat(ev.secretPath()).isEqualTo("secret/tenants/acme/binance");
        assertThat(ev.namespace()).isEqualTo("root");
        assertThat(ev.outcome()).isEqualTo(Outcome.DENIED);
        assertThat(ev.actor().policies()).containsExactly("default", "tenant-acme");
        assertThat(ev.actor().accessor()).isEqualTo("hmac-sha256:bb");
        assertThat(ev.actor().remoteAddress()).isEqualTo("10.0.0.7");
        assertThat(ev.rawLogging()).isEmpty();
    }

    @Test
    void rawTokensAreFlaggedByFieldAndNeverCarried() throws Exception {
        String token = "hvs.CAESIJlU2ZxW6SECRET";
        byte[] line = bytes("{\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"request\",\"auth\":{\"client_token\":\""
                + token + "\",\"accessor\":\"plainaccessor\"},\"request\":{\"id\":\"r\",\"client_token\":\"" + token
                + "\",\"client_token_accessor\":\"hmac-sha256:ok\"}}");
        AuditEvent ev = enricher.enrich(parser.parse(line), line);
        assertThat(ev.rawLogging()).containsExactly("auth.client_token", "auth.accessor", "request.client_token");
        assertThat(ev.actor().accessor()).isNull();
        assertThat(new String(EventCodec.toBytes(ev), StandardCharsets.UTF_8))
                .doesNotContain(token).doesNotContain("plainaccessor");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|OK",
            "permission denied|DENIED",
            "'1 error occurred:\n\t* permission denied\n\n'|DENIED",
            "'2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n'|DENIED",
            "Permission Denied|DENIED",
            "invalid role or secret ID|ERROR",
            "'1 error(s) occurred:\n\n* permission denied'|DENIED"})
    void outcomeIsDecidedBySubstring(String error, Outcome expected) {
        assertThat(Outcome.of(error)).isEqualTo(expected);
    }

    @Test
    void theCodecRoundTripsAnEventWithStableNames() throws Exception {
        byte[] line = bytes("{\"time\":\"2026-11-28T10:00:00.123456789Z\",\"type\":\"request\",\"request\":{\"id\":\"r\","
                + "\"path\":\"secret/data/tenants/acme/x\",\"operation\":\"read\"}}");
        AuditEvent ev = enricher.enrich(parser.parse(line), line).withSource(new RawPosition(2, 99));
        byte[] json = EventCodec.toBytes(ev);
        String text = new String(json, StandardCharsets.UTF_8);
        assertThat(text).contains("\"event_id\":\"" + ev.eventId() + "\"", "\"tenant_id\":\"acme\"",
                "\"tenant_source\":\"path\"", "\"outcome\":\"ok\"", "\"time\":\"2026-11-28T10:00:00.123456789Z\"",
                "\"source\":{\"partition\":2,\"offset\":99}", "\"actor\":{");
        assertThat(EventCodec.fromBytes(json)).isEqualTo(ev);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
