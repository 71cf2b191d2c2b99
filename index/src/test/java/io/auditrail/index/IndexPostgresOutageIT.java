package io.auditrail.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.auditrail.core.testing.StageBalance;
import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL stopped and restarted under a running stage: no loss, no duplicate, every record accounted for. */
@ExtendWith(EmbeddedServicesExtension.class)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class IndexPostgresOutageIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void postgresDownMidStreamLosesNothingAndDuplicatesNothing(EmbeddedKafka kafka, @TempDir Path dir)
            throws Exception {
        // a private server: stopping the shared one would disturb the other tests of the run
        try (EmbeddedPostgres pg = new EmbeddedPostgres(EmbeddedPostgres.Config.of(dir)).start()) {
            IndexFixture f = IndexFixture.create(kafka, pg, pg.jdbcUrl(), "outage_" + System.nanoTime());
            Instant now = Instant.now();
            try (IndexStage stage = IndexStage.start(f.settings, new SimpleMeterRegistry())) {
                f.produce(f.topics.events(), IndexStageIT.events("before", 3000, now));
                await().atMost(WAIT).until(() -> f.countQuietly("SELECT count(*) FROM audit_event") == 3000);

                pg.stop();
                f.produce(f.topics.events(), IndexStageIT.events("during", 3000, now));
                // the stage notices, keeps the batch, pauses and retries; readiness says why
                await().atMost(WAIT).until(() -> !stage.isReady()
                        && stage.metrics().retries(IndexMetrics.RetryCause.DATABASE) >= 2);
                assertThat(stage.notReadyReason()).startsWith("PostgreSQL");
                f.produce(f.topics.events(), IndexStageIT.events("before", 500, now)); // re-sent: duplicates

                pg.start();
                f.produce(f.topics.events(), IndexStageIT.events("after", 2000, now));
                await().atMost(WAIT).until(() -> stage.metrics().outcomes() == 8500
                        && stage.metrics().received() == 8500);
                await().atMost(WAIT).until(stage::isReady);
                IndexMetrics m = stage.metrics();
                StageBalance.assertBalanced(m.records());
                assertThat(m.written(IndexMetrics.Kind.EVENT)).isEqualTo(8000);
                assertThat(m.duplicates(IndexMetrics.Kind.EVENT)).isEqualTo(500);
                assertThat(m.deadLettered()).isZero();
                assertThat(m.expired()).isZero();
                assertThat(m.returned()).isZero();
            }
            assertThat(f.count("SELECT count(*) FROM audit_event")).isEqualTo(8000);
            assertThat(f.count("SELECT count(DISTINCT event_id) FROM audit_event")).isEqualTo(8000);
            assertThat(f.readAll(f.topics.dlq(), 0, Duration.ofSeconds(2))).isEmpty();
        }
    }
}
