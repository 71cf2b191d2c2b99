package io.auditrail.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.simulator.PlantedSend;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlertLatencyTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void eachAlertGoesToTheLatestPlantOfItsRuleBeforeIt() {
        List<PlantedSend> plants = List.of(plant("root_token_use", 0), plant("root_token_use", 10),
                plant("audit_gap", 1));
        List<WebhookReceiver.Received> alerts = List.of(alert("root_token_use", 2.5), alert("root_token_use", 11),
                alert("root_token_use", 12), alert("policy_change", 3));

        List<AlertLatency.Plant> matched = AlertLatency.match(plants, alerts);

        assertThat(matched).extracting(AlertLatency.Plant::rule, AlertLatency.Plant::seconds).containsExactly(
                org.assertj.core.groups.Tuple.tuple("root_token_use", Optional.of(2.5)),
                org.assertj.core.groups.Tuple.tuple("audit_gap", Optional.empty()),
                org.assertj.core.groups.Tuple.tuple("root_token_use", Optional.of(1.0)));
    }

    @Test
    void percentilesAreNearestRankOverThePlantsThatAlerted() {
        List<AlertLatency.Plant> plants = List.of(new AlertLatency.Plant("a", T0, Optional.of(3.0)),
                new AlertLatency.Plant("b", T0, Optional.of(1.0)), new AlertLatency.Plant("c", T0, Optional.empty()),
                new AlertLatency.Plant("d", T0, Optional.of(2.0)));

        assertThat(AlertLatency.percentile(plants, 0.5)).isEqualTo(2.0);
        assertThat(AlertLatency.percentile(plants, 0.99)).isEqualTo(3.0);
        assertThat(AlertLatency.percentile(plants, 1.0)).isEqualTo(3.0);
        assertThat(AlertLatency.percentile(List.of(), 0.5)).isNaN();
    }

    private static PlantedSend plant(String rule, double atSeconds) {
        return new PlantedSend(rule, "req-" + atSeconds, 0, T0.plusMillis((long) (atSeconds * 1000)));
    }

    private static WebhookReceiver.Received alert(String rule, double atSeconds) {
        return new WebhookReceiver.Received(rule, "anomaly", 1, T0.plusMillis((long) (atSeconds * 1000)));
    }
}
