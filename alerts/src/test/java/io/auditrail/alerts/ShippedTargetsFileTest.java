package io.auditrail.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The targets file docker-compose.yml mounts is one the stage accepts (a broken one would stop alerts at start). */
class ShippedTargetsFileTest {
    @Test
    void theComposeTargetsFileLoads() throws Exception {
        Path file = Path.of("..", "infra", "compose", "alert-targets.json");
        AlertTargets targets = AlertTargets.parse(Files.readAllBytes(file),
                Map.of("ALERT_WEBHOOK_URL", "https://alert-sink.invalid/auditrail"));
        assertThat(targets.targets()).containsOnlyKeys("security-webhook");
        assertThat(targets.routes()).hasSize(1);
    }
}
