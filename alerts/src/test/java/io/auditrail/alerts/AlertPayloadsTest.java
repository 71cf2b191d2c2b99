package io.auditrail.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.anomaly.AnomalyCodec;
import io.auditrail.core.anomaly.Severity;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertPayloadsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Anomaly A = new Anomaly(1, "0b7c5f0e-6d1a-8e2f-9a3b-4c5d6e7f8091", "cross_tenant_access",
            Severity.CRITICAL, "acme", "entity:e-1", "alice", "10.0.0.7", List.of("ev-1", "ev-2"),
            Instant.parse("2026-11-20T10:15:30Z"), Instant.parse("2026-11-20T10:16:30Z"), 2, 2,
            "token of tenant acme read secret/data/tenants/<b>&db");
    private static final Notification N = new Notification(A, 3);

    @Test
    void theGenericWebhookIsTheAnomalyAndALinkFreeSummary() throws IOException {
        JsonNode body = render(TargetType.WEBHOOK, null);
        assertThat(body).isEqualTo(JSON.readTree("""
                {"kind": "auditrail.anomaly", "version": 1,
                 "summary": "[CRITICAL] cross_tenant_access by alice (entity:e-1) in tenant acme: token of tenant acme read secret/data/tenants/<b>&db (fired 2 times) [+3 similar suppressed]",
                 "suppressed_since_last": 3,
                 "anomaly": %s}""".formatted(new String(AnomalyCodec.toBytes(A)))));
        // the embedded anomaly reads back as the very record consumed
        assertThat(AnomalyCodec.fromBytes(JSON.writeValueAsBytes(body.get("anomaly")))).isEqualTo(A);
    }

    @Test
    void slackGetsTextAndBlocksWithItsControlCharactersEscaped() throws IOException {
        JsonNode body = render(TargetType.SLACK, null);
        assertThat(body).isEqualTo(JSON.readTree("""
                {"text": "[CRITICAL] cross_tenant_access by alice (entity:e-1) in tenant acme: token of tenant acme read secret/data/tenants/&lt;b&gt;&amp;db (fired 2 times) [+3 similar suppressed]",
                 "blocks": [
                   {"type": "header", "text": {"type": "plain_text", "text": ":rotating_light: cross_tenant_access (critical)"}},
                   {"type": "section",
                    "text": {"type": "mrkdwn", "text": "token of tenant acme read secret/data/tenants/&lt;b&gt;&amp;db"},
                    "fields": [
                      {"type": "mrkdwn", "text": "*Tenant*\\nacme"},
                      {"type": "mrkdwn", "text": "*Actor*\\nalice (entity:e-1)"},
                      {"type": "mrkdwn", "text": "*Source address*\\n10.0.0.7"},
                      {"type": "mrkdwn", "text": "*Fired*\\n2 times (+3 similar suppressed)"},
                      {"type": "mrkdwn", "text": "*Window*\\n2026-11-20T10:15:30Z .. 2026-11-20T10:16:30Z"}]},
                   {"type": "context", "elements": [
                      {"type": "mrkdwn", "text": "anomaly 0b7c5f0e-6d1a-8e2f-9a3b-4c5d6e7f8091 revision 2 · auditrail"}]}]}
                """));
    }

    @Test
    void pagerDutyGetsAnEventsV2TriggerDedupedByAnomalyId() throws IOException {
        JsonNode body = render(TargetType.PAGERDUTY, "R0UT1NGKEY");
        assertThat(body).isEqualTo(JSON.readTree("""
                {"routing_key": "R0UT1NGKEY", "event_action": "trigger",
                 "dedup_key": "0b7c5f0e-6d1a-8e2f-9a3b-4c5d6e7f8091",
                 "payload": {
                   "summary": "[CRITICAL] cross_tenant_access by alice (entity:e-1) in tenant acme: token of tenant acme read secret/data/tenants/<b>&db (fired 2 times) [+3 similar suppressed]",
                   "source": "auditrail", "severity": "critical", "timestamp": "2026-11-20T10:15:30Z",
                   "component": "vault", "group": "acme", "class": "cross_tenant_access",
                   "custom_details": {
                     "anomaly_id": "0b7c5f0e-6d1a-8e2f-9a3b-4c5d6e7f8091", "revision": 2,
                     "rule": "cross_tenant_access", "severity": "critical", "tenant_id": "acme",
                     "actor": "entity:e-1", "actor_display_name": "alice", "remote_address": "10.0.0.7",
                     "count": 2, "suppressed_since_last": 3,
                     "window_start": "2026-11-20T10:15:30Z", "window_end": "2026-11-20T10:16:30Z",
                     "description": "token of tenant acme read secret/data/tenants/<b>&db",
                     "event_ids": ["ev-1", "ev-2"]}}}
                """));
    }

    @Test
    void pagerDutySeveritiesMapOntoItsFour() {
        assertThat(List.of(Severity.values()).stream().map(s -> AlertPayloads.pagerDutySeverity(
                Anomalies.of("r", s, "t", "a", "e")))).containsExactly("critical", "error", "warning", "info");
    }

    @Test
    void aLongSummaryIsClippedToPagerDutysLimit() throws IOException {
        Anomaly longOne = new Anomaly(1, A.anomalyId(), A.rule(), A.severity(), null, A.actor(), null, null, List.of(),
                A.windowStart(), A.windowEnd(), 1, 1, "x".repeat(5000));
        JsonNode body = JSON.readTree(AlertPayloads.render(target(TargetType.PAGERDUTY, "k"), new Notification(longOne, 0)));
        assertThat(body.at("/payload/summary").asText()).hasSize(AlertPayloads.PAGERDUTY_SUMMARY_MAX)
                .startsWith("[CRITICAL] cross_tenant_access by entity:e-1 (platform): xxx");
        assertThat(body.at("/payload/group").asText()).isEqualTo("-");
    }

    private static JsonNode render(TargetType type, String key) throws IOException {
        return JSON.readTree(AlertPayloads.render(target(type, key), N));
    }

    private static Target target(TargetType type, String key) {
        return new Target("t", type, URI.create("http://127.0.0.1:1/hook"), key);
    }
}
