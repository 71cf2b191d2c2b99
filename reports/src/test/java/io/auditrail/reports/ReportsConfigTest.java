package io.auditrail.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ReportsConfigTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        ReportsConfig c = new ReportsConfig(Settings.of(Map.of()));
        assertThat(c.tokenDefaultTtl()).isEqualTo(Duration.ofDays(90));
        assertThat(c.queryDefaultWindow()).isEqualTo(Duration.ofDays(90));
        assertThat(c.verifyMaxPeriod()).isEqualTo(Duration.ofDays(92));
        assertThat(c.poolSize()).isEqualTo(8);
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.statementTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.postgresUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5433/auditrail");
        assertThat(ReportsConfig.DEFINITION.names()).hasSize(6).allMatch(k -> k.startsWith("reports."));
    }

    @Test
    void everyKeyMaps() {
        ReportsConfig c = new ReportsConfig(Settings.of(Map.of(
                ReportsConfig.TOKEN_DEFAULT_TTL_DAYS, "7",
                ReportsConfig.QUERY_DEFAULT_WINDOW_DAYS, "30",
                ReportsConfig.VERIFY_MAX_DAYS, "31",
                ReportsConfig.POSTGRES_POOL_SIZE, "3",
                ReportsConfig.POSTGRES_CONNECT_TIMEOUT_MS, "1000",
                ReportsConfig.POSTGRES_STATEMENT_TIMEOUT_MS, "0",
                CoreConfig.POSTGRES_URL, "jdbc:postgresql://db/x",
                CoreConfig.POSTGRES_USER, "u",
                CoreConfig.POSTGRES_PASSWORD, "p")));
        assertThat(c.tokenDefaultTtl()).isEqualTo(Duration.ofDays(7));
        assertThat(c.queryDefaultWindow()).isEqualTo(Duration.ofDays(30));
        assertThat(c.verifyMaxPeriod()).isEqualTo(Duration.ofDays(31));
        assertThat(c.poolSize()).isEqualTo(3);
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.statementTimeout()).isZero();
        assertThat(c.postgresUrl()).isEqualTo("jdbc:postgresql://db/x");
        assertThat(c.postgresUser()).isEqualTo("u");
        assertThat(c.postgresPassword()).isEqualTo("p");
    }

    @Test
    void outOfRangeValuesStopStartUp() {
        assertThatThrownBy(() -> new ReportsConfig(Settings.of(Map.of(ReportsConfig.TOKEN_DEFAULT_TTL_DAYS, "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ReportsConfig.TOKEN_DEFAULT_TTL_DAYS);
    }
}
