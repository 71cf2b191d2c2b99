package io.auditrail.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.anomaly.Severity;
import io.auditrail.core.config.Settings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertTargetsTest {
    private static final Map<String, String> ENV = Map.of("AUDITRAIL_PAGERDUTY_ROUTING_KEY", "R0UT1NGKEY",
            "SLACK_SECOPS_WEBHOOK", "https://hooks.slack.com/services/T000/B000/XXXX");

    /** The example in docs/ALERTS.md is a valid file and routes as the page says. */
    @Test
    void theDocumentedExampleParsesAndRoutes() throws IOException {
        AlertTargets t = AlertTargets.parse(documentedExample(), ENV);
        assertThat(t.targets()).containsOnlyKeys("secops-webhook", "secops-slack", "oncall-pagerduty");
        assertThat(t.targets().get("oncall-pagerduty").url()).isEqualTo(AlertTargets.PAGERDUTY_EVENTS_URL);
        assertThat(t.targets().get("oncall-pagerduty").routingKey()).isEqualTo("R0UT1NGKEY");

        assertThat(names(t, Anomalies.of("cross_tenant_access", Severity.CRITICAL, "acme", "entity:e", "1")))
                .containsExactly("secops-webhook", "secops-slack", "oncall-pagerduty");
        assertThat(names(t, Anomalies.of("policy_change", Severity.MEDIUM, "acme", "entity:e", "1")))
                .containsExactly("secops-webhook", "secops-slack");
        assertThat(names(t, Anomalies.of("off_hours_access", Severity.LOW, "acme", "entity:e", "1")))
                .containsExactly("secops-webhook");
        // the platform route: audit_device_change on a platform anomaly (no tenant) pages whatever the severity
        assertThat(names(t, Anomalies.of("audit_device_change", Severity.LOW, null, "entity:e", "1")))
                .containsExactly("secops-webhook", "oncall-pagerduty");
        assertThat(names(t, Anomalies.of("audit_device_change", Severity.LOW, "acme", "entity:e", "1")))
                .containsExactly("secops-webhook");
    }

    @Test
    void routesMatchSeverityAtLeastRulesAndTenants() {
        AlertTargets t = AlertTargets.parse(json("""
                {"targets": [{"name": "w", "type": "webhook", "url": "http://127.0.0.1:1/x"}],
                 "routes": [{"min_severity": "high", "rules": ["root_token_use"], "tenants": ["acme"], "targets": ["w"]}]}
                """), Map.of());
        assertThat(names(t, Anomalies.of("root_token_use", Severity.HIGH, "acme", "a", "1"))).containsExactly("w");
        assertThat(names(t, Anomalies.of("root_token_use", Severity.CRITICAL, "acme", "a", "1"))).containsExactly("w");
        assertThat(names(t, Anomalies.of("root_token_use", Severity.MEDIUM, "acme", "a", "1"))).isEmpty();
        assertThat(names(t, Anomalies.of("policy_change", Severity.HIGH, "acme", "a", "1"))).isEmpty();
        assertThat(names(t, Anomalies.of("root_token_use", Severity.HIGH, "other", "a", "1"))).isEmpty();
        assertThat(names(t, Anomalies.of("root_token_use", Severity.HIGH, null, "a", "1"))).isEmpty();
    }

    @Test
    void anInlineRoutingKeyIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> AlertTargets.parse(json("""
                {"targets": [{"name": "pd", "type": "pagerduty", "routing_key": "S3CRET"}]}
                """), Map.of()))
                .hasMessageContaining("routing_key must not be written inline")
                .hasMessageNotContaining("S3CRET");
    }

    @Test
    void aRoutingKeyComesFromAFile(@TempDir Path dir) throws IOException {
        Path key = dir.resolve("pd-key");
        Files.writeString(key, "FILEKEY\n");
        AlertTargets t = AlertTargets.parse(json("{\"targets\": [{\"name\": \"pd\", \"type\": \"pagerduty\", "
                + "\"routing_key_file\": \"" + key.toString().replace("\\", "\\\\") + "\"}]}"), Map.of());
        assertThat(t.targets().get("pd").routingKey()).isEqualTo("FILEKEY");
        assertThat(t.targets().get("pd").toString()).doesNotContain("FILEKEY").contains("pd");
    }

    @Test
    void mistakesStopStartUpAndNameThePlace() {
        assertThatThrownBy(() -> AlertTargets.parse(json("""
                {"targets": [{"name": "w", "type": "webhook", "url": "https://h/x", "retries": 3}]}"""), Map.of()))
                .hasMessageContaining("target w: unknown field retries");
        assertThatThrownBy(() -> AlertTargets.parse(json("""
                {"targets": [{"name": "w", "type": "email", "url": "https://h/x"}]}"""), Map.of()))
                .hasMessageContaining("target w: not a target type");
        assertThatThrownBy(() -> AlertTargets.parse(json("""
                {"targets": [{"name": "w", "type": "webhook", "url": "https://h/x"}],
                 "routes": [{"name": "r", "targets": ["nope"]}]}"""), Map.of()))
                .hasMessageContaining("route r: unknown target nope");
        assertThatThrownBy(() -> AlertTargets.parse(json("""
                {"targets": [{"name": "w", "type": "webhook", "url": "https://h/x"}],
                 "routes": [{"name": "r", "min_severity": "loud", "targets": ["w"]}]}"""), Map.of()))
                .hasMessageContaining("route r: not a severity");
        assertThatThrownBy(() -> AlertTargets.parse(json("""
                {"targets": [{"name": "s", "type": "slack", "url_env": "UNSET_VAR"}]}"""), Map.of()))
                .hasMessageContaining("environment variable UNSET_VAR");
        assertThatThrownBy(() -> AlertTargets.parse(json("""
                {"targets": [{"name": "w", "type": "webhook", "url": "ftp://h/x"}]}"""), Map.of()))
                .hasMessageContaining("http or https");
        assertThatThrownBy(() -> AlertTargets.parse(json("""
                {"targets": [{"name": "w", "type": "webhook", "url": "https://h/x"},
                             {"name": "w", "type": "webhook", "url": "https://h/y"}]}"""), Map.of()))
                .hasMessageContaining("defined twice");
        assertThatThrownBy(() -> AlertTargets.parse(json("{\"targets\": ["), Map.of()))
                .hasMessageStartingWith("not JSON");
    }

    @Test
    void plainHttpIsRefusedBeyondLoopbackWithoutEchoingTheUrl() {
        String slack = """
                {"targets": [{"name": "s", "type": "slack", "url_env": "HOOK"}]}""";
        String secret = "http://hooks.example.com/services/T000/B000/S3CRETTOKEN";
        assertThatThrownBy(() -> AlertTargets.parse(json(slack), Map.of("HOOK", secret)))
                .hasMessageContaining("target s: url is plain http")
                .hasMessageContaining(AlertsConfig.ALLOW_PLAIN_HTTP)
                .hasMessageNotContaining("S3CRETTOKEN").hasMessageNotContaining("hooks.example.com");
        assertThatThrownBy(() -> AlertTargets.parse(json(slack), Map.of("HOOK", "http://10.0.0.8/hook")))
                .hasMessageContaining("plain http");
        // 127.0.0.1 spelled as a name that merely resolves there is not loopback by its form
        assertThatThrownBy(() -> AlertTargets.parse(json(slack), Map.of("HOOK", "http://127.0.0.1.nip.io/hook")))
                .hasMessageContaining("plain http");
        for (String loopback : List.of("http://127.0.0.1:8080/h", "http://127.3.4.5/h", "http://localhost:1/h",
                "http://[::1]:9/h")) {
            assertThat(AlertTargets.parse(json(slack), Map.of("HOOK", loopback)).targets().get("s").url())
                    .hasToString(loopback);
        }
        assertThat(AlertTargets.parse(json(slack), Map.of("HOOK", secret), true).targets()).containsKey("s");
        assertThat(AlertTargets.parse(json(slack), Map.of("HOOK", "https://hooks.example.com/x")).targets())
                .containsKey("s");
    }

    @Test
    void theStageRefusesToStartWithAPlainHttpTargetAndNamesTheSetting(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("targets.json");
        Files.writeString(file, """
                {"targets": [{"name": "siem", "type": "webhook", "url": "http://siem.example.com/hook"}],
                 "routes": [{"targets": ["siem"]}]}""");
        AlertsConfig config = new AlertsConfig(Settings.of(Map.of(AlertsConfig.TARGETS_FILE, file.toString())));
        assertThatThrownBy(() -> AlertsStage.start(config, new SimpleMeterRegistry(), Clock.systemUTC(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining(AlertsConfig.TARGETS_FILE)
                .hasMessageContaining("target siem: url is plain http").hasMessageNotContaining("/hook");
    }

    private static List<String> names(AlertTargets t, Anomaly a) {
        return t.route(a).stream().map(Target::name).toList();
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The first ```json block after the "Example targets file" heading of docs/ALERTS.md. */
    static byte[] documentedExample() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "ALERTS.md"));
        int heading = doc.indexOf("### Example targets file");
        assertThat(heading).as("docs/ALERTS.md has its example").isNotNegative();
        int start = doc.indexOf("```json\n", heading) + "```json\n".length();
        int end = doc.indexOf("```", start);
        return json(doc.substring(start, end));
    }
}
