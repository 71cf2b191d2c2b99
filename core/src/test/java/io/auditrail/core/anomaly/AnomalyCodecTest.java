package io.auditrail.core.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnomalyCodecTest {
    private static final Anomaly SAMPLE = new Anomaly(Anomaly.SCHEMA_VERSION,
            AnomalyId.of("cross_tenant_access", "entity:e-1", "ev-1"), "cross_tenant_access", Severity.CRITICAL,
            "tenant-a", "entity:e-1", "alice", "10.0.0.7", List.of("ev-1", "ev-2"),
            Instant.parse("2026-11-02T10:00:00.123456789Z"), Instant.parse("2026-11-02T10:01:00Z"), 2, 2,
            "token of tenant-a read secret/data/tenants/b/db of tenant b");

    @Test
    void roundTripsWithSnakeCaseNamesAndLowerCaseSeverity() {
        byte[] json = AnomalyCodec.toBytes(SAMPLE);
        String text = new String(json, StandardCharsets.UTF_8);
        assertThat(text).contains("\"anomaly_id\":\"" + SAMPLE.anomalyId() + "\"", "\"severity\":\"critical\"",
                "\"event_ids\":[\"ev-1\",\"ev-2\"]", "\"window_start\":\"2026-11-02T10:00:00.123456789Z\"",
                "\"tenant_id\":\"tenant-a\"", "\"count\":2");
        assertThat(AnomalyCodec.fromBytes(json)).isEqualTo(SAMPLE);
    }

    @Test
    void writesNullFieldsAndIgnoresUnknownOnes() {
        Anomaly platform = new Anomaly(1, "id", "audit_gap", Severity.HIGH, null, "-", null, null, null,
                Instant.EPOCH, Instant.EPOCH, 1, 1, "d");
        String text = new String(AnomalyCodec.toBytes(platform), StandardCharsets.UTF_8);
        assertThat(text).contains("\"tenant_id\":null", "\"event_ids\":[]");
        assertThat(platform.topicKey()).isEqualTo("-");
        byte[] newer = text.replace("{", "{\"added_later\":1,").getBytes(StandardCharsets.UTF_8);
        assertThat(AnomalyCodec.fromBytes(newer)).isEqualTo(platform);
    }

    @Test
    void anomalyIdsAreDeterministicUuidsThatDependOnEveryPart() {
        String id = AnomalyId.of("root_token_use", "token:hmac-sha256:ab", "ev-1");
        assertThat(id).isEqualTo(AnomalyId.of("root_token_use", "token:hmac-sha256:ab", "ev-1"))
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(id).isNotEqualTo(AnomalyId.of("policy_change", "token:hmac-sha256:ab", "ev-1"))
                .isNotEqualTo(AnomalyId.of("root_token_use", "entity:x", "ev-1"))
                .isNotEqualTo(AnomalyId.of("root_token_use", "token:hmac-sha256:ab", "ev-2"));
    }

    @Test
    void severityParsesItsWireFormAndRefusesOthers() {
        assertThat(Severity.of("Critical")).isEqualTo(Severity.CRITICAL);
        assertThat(Severity.LOW.wire()).isEqualTo("low");
        assertThatThrownBy(() -> Severity.of("urgent")).hasMessageContaining("urgent");
    }
}
