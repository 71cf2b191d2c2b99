package io.auditrail.reports.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditrail.core.config.Settings;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ConsoleConfigTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        ConsoleConfig c = new ConsoleConfig(Settings.of(Map.of()));
        assertThat(c.behindTls()).isFalse();
        assertThat(c.packDefaultDays()).isEqualTo(90);
        assertThat(ConsoleConfig.DEFINITION.names()).hasSize(2).allMatch(k -> k.startsWith("reports.console."));
    }

    @Test
    void everyKeyMaps() {
        ConsoleConfig c = new ConsoleConfig(Settings.of(Map.of(ConsoleConfig.BEHIND_TLS, "true",
                ConsoleConfig.PACK_DEFAULT_DAYS, "30")));
        assertThat(c.behindTls()).isTrue();
        assertThat(c.packDefaultDays()).isEqualTo(30);
    }

    @Test
    void outOfRangeValuesStopStartUp() {
        assertThatThrownBy(() -> new ConsoleConfig(Settings.of(Map.of(ConsoleConfig.PACK_DEFAULT_DAYS, "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ConsoleConfig.PACK_DEFAULT_DAYS);
    }
}
