package io.auditrail.app.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.auditrail.app.dev.DevStack;
import io.auditrail.archive.ArchiveConfig;
import io.auditrail.archive.ArchiveVerifier;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.simulator.SimulationPlan;
import io.auditrail.simulator.SimulationReport;
import io.auditrail.simulator.Simulator;
import io.auditrail.simulator.VaultTrafficGenerator;
import io.auditrail.streams.StreamsStageConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product under realistic traffic, the counts issue 10 asks to agree: simulated Vault nodes into a dev
 * stack, then lines sent = raw records = index rows (+ DLQ, which realistic traffic leaves empty) = archived lines in
 * verified digests, and every planted rule raises exactly the anomalies the simulator expects.
 */
class SimulatedTrafficIT {
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void everyLineIsIndexedAndArchivedAndEveryPlantedRuleFires(@TempDir Path dir) throws Exception {
        try (DevStack stack = DevStack.start(new DevStack.Options(dir, "127.0.0.1", 0, 0, 0, 0, 0, "auditrail-archive",
                Settings.of(Map.of(ArchiveConfig.OBJECT_MAX_AGE_MS, "1000", ArchiveConfig.DIGEST_INTERVAL_MS, "2000",
                        StreamsStageConfig.PAIRING_TIMEOUT_MS, "2000",
                        // the simulator packs 45 minutes of event time into 4 s, so partitions a few ms apart in
                        // processing are minutes apart in event time: allow for it as production allows for seconds
                        StreamsStageConfig.DETECT_LATENESS_MS, "1800000",
                        // and one partition per topic, so the order rules see is the order Vault wrote in: with
                        // three, a loaded machine processed them minutes of compressed event time apart
                        CoreConfig.TOPIC_PARTITIONS, "1"))))) {
            Settings settings = stack.settings();
            Map<String, String> m = settings.asMap();
            int port = Integer.parseInt(stack.endpoints().get("Vault socket device").replaceAll(".*:", ""));
            SimulationPlan plan = SimulationPlan.of("127.0.0.1", port, 2000, Duration.ofSeconds(4), 5, 7);
            TenantDirectoryPublisher.publish(m.get(CoreConfig.KAFKA_BOOTSTRAP_SERVERS), "vault.audit.tenants",
                    new VaultTrafficGenerator(plan, Instant.now()).tenantDirectory());
            Thread.sleep(1000); // the directory reaches streams' global table before the traffic that needs it

            SimulationReport report = new Simulator().run(plan);
            assertThat(report.linesFailed()).isZero();
            assertThat(report.linesSent()).isEqualTo(8000);

            try (Connection c = DriverManager.getConnection(m.get(CoreConfig.POSTGRES_URL),
                    m.get(CoreConfig.POSTGRES_USER), m.get(CoreConfig.POSTGRES_PASSWORD))) {
                // no traffic after the run: what still waits in the pairing is released by its own timeout
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() ->
                        PipelineProbe.count(c, "SELECT count(*) FROM audit_event") == report.linesSent());
                long[] ticks = {0};
                final long sent = report.linesSent();
                assertThat(rawRecords(m.get(CoreConfig.KAFKA_BOOTSTRAP_SERVERS))).isEqualTo(sent);
                assertThat(PipelineProbe.count(c, "SELECT count(DISTINCT event_id) FROM audit_event"))
                        .isEqualTo(sent);
                assertThat(PipelineProbe.count(c, "SELECT count(*) FROM audit_event WHERE tenant_id IS NOT NULL"))
                        .as("tenant traffic resolves its tenant").isGreaterThan(sent / 2);

                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    var v = ArchiveVerifier.verify(settings, Instant.now().minus(Duration.ofHours(2)),
                            Instant.now().plusSeconds(60));
                    return v.intact() && v.lines() == sent;
                });

                Map<String, Long> expected = new HashMap<>();
                report.expectedAnomalies().forEach((rule, n) -> {
                    if (n > 0) {
                        expected.put(rule, n.longValue());
                    }
                });
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    if (!anomaliesByRule(c).equals(expected)) {
                        ticks[0] += tick(port, ticks[0]);
                    }
                    assertThat(anomaliesByRule(c)).isEqualTo(expected);
                });
            }
        }
    }

    /**
     * A tick whose event time steps a minute ahead per tick: windowed rules (bursts, enumeration) decide when event
     * time passes the end of their window, which live traffic would do by itself.
     */
    private static long tick(int port, long n) throws Exception {
        return PipelineProbe.tick(port, n, Instant.now().plus(Duration.ofMinutes(n / 2)));
    }

    private static long rawRecords(String bootstrap) throws Exception {
        return PipelineProbe.endOffsets(bootstrap, "vault.audit.raw");
    }

    private static Map<String, Long> anomaliesByRule(Connection c) throws Exception {
        Map<String, Long> out = new HashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT rule, count(*) FROM anomaly GROUP BY rule")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }
}
