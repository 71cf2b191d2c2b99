package io.auditrail.app.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.auditrail.app.dev.DevStack;
import io.auditrail.archive.ArchiveConfig;
import io.auditrail.archive.ArchiveVerifier;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.simulator.AnomalyMix;
import io.auditrail.simulator.SimulationPlan;
import io.auditrail.simulator.SimulationReport;
import io.auditrail.simulator.Simulator;
import io.auditrail.streams.StreamsStageConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite of issue 10 (matrix and figures in docs/RELIABILITY.md): steady simulated traffic from three Vault
 * nodes into a dev stack, one fault in the middle of it, then the counts must agree exactly: lines sent = raw
 * records = distinct index rows (no loss, no duplicate row) = archived lines in digests that verify, DLQ empty.
 * Each test prints how long the pipeline took, after the fault ended, to have every line indexed.
 */
class FaultSuiteIT {
    private static final double RATE = 1000;
    private static final Duration RUN = Duration.ofSeconds(20);

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void kafkaBrokerStoppedAndRestarted(@TempDir Path dir) throws Exception {
        run(dir, "Kafka broker down 10 s", plan -> plan, stack -> {
            stack.services().kafka().stop();
            Thread.sleep(10_000);
            stack.services().kafka().start();
        });
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void postgresStoppedAndRestarted(@TempDir Path dir) throws Exception {
        run(dir, "PostgreSQL down 10 s", plan -> plan, stack -> {
            stack.services().postgres().stop();
            Thread.sleep(10_000);
            stack.services().postgres().start();
        });
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void s3Unavailable(@TempDir Path dir) throws Exception {
        run(dir, "S3 down 20 s", plan -> plan, stack -> {
            stack.services().s3().stop();
            Thread.sleep(20_000);
            stack.services().s3().start();
        });
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void vaultConnectionsCutMidLine(@TempDir Path dir) throws Exception {
        run(dir, "a connection cut mid-line every 1,000 lines", plan -> plan.withCutMidLineEvery(1000), stack -> { });
    }

    private interface Fault {
        void inject(DevStack stack) throws Exception;
    }

    private interface PlanChange {
        SimulationPlan apply(SimulationPlan plan);
    }

    private static void run(Path dir, String fault, PlanChange change, Fault inject) throws Exception {
        try (DevStack stack = DevStack.start(new DevStack.Options(dir, "127.0.0.1", 0, 0, 0, 0, 0, "auditrail-archive",
                Settings.of(Map.of(ArchiveConfig.OBJECT_MAX_AGE_MS, "1000", ArchiveConfig.DIGEST_INTERVAL_MS, "2000",
                        ArchiveConfig.RETRY_BACKOFF_MAX_MS, "2000",
                        StreamsStageConfig.PAIRING_TIMEOUT_MS, "2000",
                        StreamsStageConfig.DETECT_LATENESS_MS, "1800000"))))) {
            Settings settings = stack.settings();
            Map<String, String> m = settings.asMap();
            int port = Integer.parseInt(stack.endpoints().get("Vault socket device").replaceAll(".*:", ""));
            SimulationPlan plan = change.apply(SimulationPlan.of("127.0.0.1", port, RATE, RUN, 5, 11)
                    .withAnomalies(AnomalyMix.none()));
            CompletableFuture<SimulationReport> traffic = CompletableFuture.supplyAsync(() ->
                    new Simulator().run(plan));
            Thread.sleep(RUN.toMillis() / 4);
            inject.inject(stack);
            Instant faultEnded = Instant.now();
            SimulationReport report = traffic.get(120, TimeUnit.SECONDS);
            Instant trafficEnded = Instant.now();
            assertThat(report.linesFailed()).as("Vault's writes all succeeded").isZero();

            try (Connection c = connect(m)) {
                // no traffic after the run: what still waits in the pairing is released by its own timeout
                long sent = report.linesSent();
                await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                        .until(() -> PipelineProbe.count(c, "SELECT count(*) FROM audit_event") == sent);
                Duration recovery = Duration.between(trafficEnded, Instant.now());
                String bootstrap = m.get(CoreConfig.KAFKA_BOOTSTRAP_SERVERS);
                assertThat(PipelineProbe.endOffsets(bootstrap, "vault.audit.raw")).as("raw records").isEqualTo(sent);
                assertThat(PipelineProbe.count(c, "SELECT count(DISTINCT event_id) FROM audit_event"))
                        .as("distinct rows").isEqualTo(sent);
                assertThat(PipelineProbe.endOffsets(bootstrap, "vault.audit.dlq")).as("DLQ").isZero();
                await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> {
                    var v = ArchiveVerifier.verify(settings, Instant.now().minus(Duration.ofHours(2)),
                            Instant.now().plusSeconds(60));
                    return v.intact() && v.lines() == sent;
                });
                Duration archived = Duration.between(trafficEnded, Instant.now());
                System.out.printf("FAULT %s: %d lines sent (%d reconnects, %d resends, %d cuts), %d raw, %d rows, "
                        + "0 DLQ, %d archived; the fault ended %.1f s before the traffic did; all indexed %.1f s and "
                        + "all archived %.1f s after the traffic ended%n", fault, sent, report.reconnects(),
                        report.resends(), report.cuts(), sent, sent, sent,
                        Duration.between(faultEnded, trafficEnded).toMillis() / 1000.0, recovery.toMillis() / 1000.0,
                        archived.toMillis() / 1000.0);
            }
        }
    }

    private static Connection connect(Map<String, String> m) throws Exception {
        return DriverManager.getConnection(m.get(CoreConfig.POSTGRES_URL), m.get(CoreConfig.POSTGRES_USER),
                m.get(CoreConfig.POSTGRES_PASSWORD));
    }
}
