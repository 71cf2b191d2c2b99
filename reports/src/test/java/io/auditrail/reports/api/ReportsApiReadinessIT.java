package io.auditrail.reports.api;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import io.auditrail.index.Migrations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedServicesExtension.class)
@Timeout(120)
class ReportsApiReadinessIT {
    @Test
    void notReadyUntilTheSchemaExists(EmbeddedPostgres pg) throws Exception {
        String name = "rdy_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        String url = pg.jdbcUrl().substring(0, pg.jdbcUrl().lastIndexOf('/') + 1) + name;
        Settings settings = Settings.of(Map.of(CoreConfig.POSTGRES_URL, url, CoreConfig.POSTGRES_USER, pg.username()));
        try (ReportsApi api = ReportsApi.open(settings, new SimpleMeterRegistry())) {
            assertThatThrownBy(api::checkReady).isInstanceOf(SQLException.class).hasMessageContaining("api_token");
            Migrations.migrate(api.dataSource());
            assertThatCode(api::checkReady).doesNotThrowAnyException();
        }
    }
}
