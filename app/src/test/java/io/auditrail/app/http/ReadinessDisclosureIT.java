package io.auditrail.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.app.health.Readiness;
import io.auditrail.app.stage.RunningStage;
import io.auditrail.app.stage.ServeCommand;
import io.auditrail.app.stage.StageRunner;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 17, item 16: {@code /readyz} needs no token and serve's port faces the internet, so it must not echo a
 * database's error text (user, database and host names, server versions). The reason stays for operators, in the log.
 */
@ExtendWith(EmbeddedServicesExtension.class)
@Timeout(120)
class ReadinessDisclosureIT {
    @Test
    void readyzNamesTheFailingCheckButNotTheDatabasesErrorText(EmbeddedPostgres pg) throws Exception {
        // a database that exists but was never migrated: the API's check meets "relation ... does not exist"
        String database = "readyz_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        }
        String url = pg.jdbcUrl().substring(0, pg.jdbcUrl().lastIndexOf('/') + 1) + database;
        Settings settings = Settings.of(Map.of(CoreConfig.POSTGRES_URL, url, CoreConfig.POSTGRES_USER, pg.username()));
        PrometheusMeterRegistry metrics = StageRunner.registry();
        RunningStage api = ServeCommand.start(settings, metrics);
        Readiness readiness = new Readiness();
        api.readiness().forEach(readiness::add);
        OpsHttpServer http = OpsHttpServer.start("127.0.0.1", 0, readiness, metrics, api.routes());
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + http.port() + "/readyz")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("\"api\":\"not ready\"")
                    .doesNotContain("api_token").doesNotContain("relation").doesNotContain("ERROR")
                    .doesNotContain("does not exist");
            // the operator still learns why: the check's reason, as the log line states it
            assertThat(readiness.evaluate().get("api")).contains("api_token").contains("does not exist");
        } finally {
            http.close();
            api.close();
            metrics.close();
        }
    }
}
