package io.auditrail.reports.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditrail.core.config.Settings;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ConsoleConfigTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        ConsoleConfig c = new ConsoleConfig(Settings.of(Map.of()));
        assertThat(c.behindTls()).isEqualTo("auto");
        assertThat(c.packDefaultDays()).isEqualTo(90);
        assertThat(c.sessionIdle()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.sessionMaxAge()).isEqualTo(Duration.ofHours(12));
        assertThat(ConsoleConfig.DEFINITION.names()).hasSize(4).allMatch(k -> k.startsWith("reports.console."));
    }

    @Test
    void everyKeyMaps() {
        ConsoleConfig c = new ConsoleConfig(Settings.of(Map.of(ConsoleConfig.BEHIND_TLS, "true",
                ConsoleConfig.PACK_DEFAULT_DAYS, "30", ConsoleConfig.SESSION_IDLE_MINUTES, "5",
                ConsoleConfig.SESSION_MAX_HOURS, "2")));
        assertThat(c.behindTls()).isEqualTo("true");
        assertThat(c.packDefaultDays()).isEqualTo(30);
        assertThat(c.sessionIdle()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.sessionMaxAge()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void outOfRangeValuesStopStartUp() {
        assertThatThrownBy(() -> new ConsoleConfig(Settings.of(Map.of(ConsoleConfig.PACK_DEFAULT_DAYS, "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ConsoleConfig.PACK_DEFAULT_DAYS);
        assertThatThrownBy(() -> new ConsoleConfig(Settings.of(Map.of(ConsoleConfig.BEHIND_TLS, "sometimes"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ConsoleConfig.BEHIND_TLS);
    }
}
