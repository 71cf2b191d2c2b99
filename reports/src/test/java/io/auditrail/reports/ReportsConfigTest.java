package io.auditrail.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.reports.limit.WorkKind;
import io.auditrail.reports.limit.WorkLimits;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ReportsConfigTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        ReportsConfig c = new ReportsConfig(Settings.of(Map.of()));
        assertThat(c.tokenDefaultTtl()).isEqualTo(Duration.ofDays(90));
        assertThat(c.tokenMaxTtl()).isEqualTo(Duration.ofDays(365));
        assertThat(c.queryDefaultWindow()).isEqualTo(Duration.ofDays(90));
        assertThat(c.verifyMaxPeriod()).isEqualTo(Duration.ofDays(92));
        assertThat(c.poolSize()).isEqualTo(8);
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.statementTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.postgresUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5433/auditrail");
        assertThat(c.auditPoolSize()).isEqualTo(2);
        assertThat(c.workBounds()).isEqualTo(Map.of(WorkKind.PACK, new WorkLimits.Bound(1, 2),
                WorkKind.SUMMARY, new WorkLimits.Bound(2, 4), WorkKind.SEARCH, new WorkLimits.Bound(4, 16)));
        assertThat(c.unauthenticatedPerMinute()).isEqualTo(30);
        assertThat(c.refusedPerMinute()).isEqualTo(60);
        assertThat(ReportsConfig.DEFINITION.names()).hasSize(18).allMatch(k -> k.startsWith("reports."));
    }

    @Test
    void everyKeyMaps() {
        ReportsConfig c = new ReportsConfig(Settings.of(Map.ofEntries(
                Map.entry(ReportsConfig.TOKEN_DEFAULT_TTL_DAYS, "7"),
                Map.entry(ReportsConfig.TOKEN_MAX_TTL_DAYS, "30"),
                Map.entry(ReportsConfig.QUERY_DEFAULT_WINDOW_DAYS, "30"),
                Map.entry(ReportsConfig.VERIFY_MAX_DAYS, "31"),
                Map.entry(ReportsConfig.POSTGRES_POOL_SIZE, "3"),
                Map.entry(ReportsConfig.POSTGRES_CONNECT_TIMEOUT_MS, "1000"),
                Map.entry(ReportsConfig.POSTGRES_STATEMENT_TIMEOUT_MS, "0"),
                Map.entry(ReportsConfig.POSTGRES_AUDIT_POOL_SIZE, "3"),
                Map.entry(ReportsConfig.LIMIT_PACK_PER_TOKEN, "2"),
                Map.entry(ReportsConfig.LIMIT_PACK_TOTAL, "2"),
                Map.entry(ReportsConfig.LIMIT_SUMMARY_PER_TOKEN, "3"),
                Map.entry(ReportsConfig.LIMIT_SUMMARY_TOTAL, "5"),
                Map.entry(ReportsConfig.LIMIT_SEARCH_PER_TOKEN, "6"),
                Map.entry(ReportsConfig.LIMIT_SEARCH_TOTAL, "7"),
                Map.entry(ReportsConfig.LIMIT_UNAUTHENTICATED_PER_MINUTE, "8"),
                Map.entry(ReportsConfig.LIMIT_REFUSED_PER_MINUTE, "9"),
                Map.entry(ReportsConfig.POSTGRES_USER, "serve_svc"),
                Map.entry(ReportsConfig.POSTGRES_PASSWORD, "serve-secret"),
                Map.entry(CoreConfig.POSTGRES_URL, "jdbc:postgresql://db/x"),
                Map.entry(CoreConfig.POSTGRES_USER, "u"),
                Map.entry(CoreConfig.POSTGRES_PASSWORD, "p"))));
        assertThat(c.tokenDefaultTtl()).isEqualTo(Duration.ofDays(7));
        assertThat(c.tokenMaxTtl()).isEqualTo(Duration.ofDays(30));
        assertThat(c.queryDefaultWindow()).isEqualTo(Duration.ofDays(30));
        assertThat(c.verifyMaxPeriod()).isEqualTo(Duration.ofDays(31));
        assertThat(c.poolSize()).isEqualTo(3);
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.statementTimeout()).isZero();
        assertThat(c.auditPoolSize()).isEqualTo(3);
        assertThat(c.workBounds()).isEqualTo(Map.of(WorkKind.PACK, new WorkLimits.Bound(2, 2),
                WorkKind.SUMMARY, new WorkLimits.Bound(3, 5), WorkKind.SEARCH, new WorkLimits.Bound(6, 7)));
        assertThat(c.unauthenticatedPerMinute()).isEqualTo(8);
        assertThat(c.refusedPerMinute()).isEqualTo(9);
        assertThat(c.postgresUrl()).isEqualTo("jdbc:postgresql://db/x");
        assertThat(c.postgresUser()).isEqualTo("serve_svc");
        assertThat(c.postgresPassword()).isEqualTo("serve-secret");
        ReportsConfig owner = new ReportsConfig(Settings.of(Map.of(CoreConfig.POSTGRES_USER, "u",
                CoreConfig.POSTGRES_PASSWORD, "p")));
        assertThat(owner.postgresUser()).isEqualTo("u");
        assertThat(owner.postgresPassword()).isEqualTo("p");
    }

    @Test
    void outOfRangeValuesStopStartUp() {
        assertThatThrownBy(() -> new ReportsConfig(Settings.of(Map.of(ReportsConfig.TOKEN_DEFAULT_TTL_DAYS, "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ReportsConfig.TOKEN_DEFAULT_TTL_DAYS);
        assertThatThrownBy(() -> new ReportsConfig(Settings.of(Map.of(ReportsConfig.TOKEN_DEFAULT_TTL_DAYS, "400"))))
                .as("a default beyond the longest allowed lifetime").isInstanceOf(ConfigException.class)
                .hasMessageContaining(ReportsConfig.TOKEN_MAX_TTL_DAYS);
        assertThatThrownBy(() -> new ReportsConfig(Settings.of(Map.of(ReportsConfig.LIMIT_PACK_TOTAL, "8"))))
                .as("packs hold a connection each: as many as the pool leaves searches none")
                .isInstanceOf(ConfigException.class).hasMessageContaining(ReportsConfig.POSTGRES_POOL_SIZE);
        assertThatThrownBy(() -> new ReportsConfig(Settings.of(Map.of(ReportsConfig.LIMIT_SEARCH_PER_TOKEN, "17"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ReportsConfig.LIMIT_SEARCH_TOTAL);
    }
}
