package io.auditrail.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SimulatorTest {
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    private static List<String> sorted(List<byte[]> lines) {
        List<String> out = new ArrayList<>();
        for (byte[] l : lines) {
            out.add(new String(l, StandardCharsets.UTF_8));
        }
        out.sort(null);
        return out;
    }

    /** The lines the simulator should have sent for {@code plan}, given its base time. */
    private static List<String> expectedLines(SimulationPlan plan) {
        Duration send = Duration.ofNanos((long) (plan.totalLines() / plan.rate() * 1e9));
        Instant base = NOW.minus(VaultTrafficGenerator.eventSpan(plan)).plus(plan.paced() ? send : Duration.ZERO);
        List<byte[]> lines = new ArrayList<>();
        VaultTrafficGenerator g = new VaultTrafficGenerator(plan, base);
        for (GeneratedLine l = g.next(); l != null; l = g.next()) {
            lines.add(l.json());
        }
        return sorted(lines);
    }

    @Test
    void atRateNForDSecondsItSendsNTimesDLinesOverEachNodesConnection() throws Exception {
        try (LineCollector server = new LineCollector()) {
            SimulationPlan plan = SimulationPlan.of("127.0.0.1", server.port(), 2_000, Duration.ofSeconds(3), 3, 21);
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            SimulationReport report = new Simulator(clock).run(plan, new PrintStream(progress, true,
                    StandardCharsets.UTF_8));
            assertThat(report.linesSent()).isEqualTo(6_000);
            assertThat(report.linesGenerated()).isEqualTo(6_000);
            assertThat(report.linesFailed()).isZero();
            assertThat(report.requests() + report.responses()).isEqualTo(6_000);
            assertThat(report.byKind().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(report.requests());
            assertThat(report.byTenant().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(6_000);
            assertThat(report.expectedAnomalies()).hasSize(PlantedRule.values().length)
                    .allSatisfy((rule, n) -> assertThat(n).as(rule).isEqualTo(1));
            // event time ends when the run would end by the clock (fixed here): now + 3 s
            assertThat(report.lastEventTime()).isBetween(NOW.plusSeconds(2), NOW.plusSeconds(4));
            assertThat(report.plantsSent()).extracting(PlantedSend::rule)
                    .containsExactlyInAnyOrderElementsOf(report.expectedAnomalies().keySet());
            assertThat(report.summary()).contains("expected anomalies (15)", "cross_tenant_access", "6000 sent");

            await().atMost(Duration.ofSeconds(20)).until(() -> server.lineCount() == 6_000);
            assertThat(server.connections).hasSize(3); // one persistent connection per node
            assertThat(server.fragments.get()).isZero();
            assertThat(sorted(server.lines())).isEqualTo(expectedLines(plan));
        }
    }

    @Test
    void linesCutMidWayAreResentAndEveryLineArrivesOnce() throws Exception {
        try (LineCollector server = new LineCollector()) {
            SimulationPlan plan = SimulationPlan.unpaced("127.0.0.1", server.port(), 5_000, 4, 3)
                    .withCutMidLineEvery(700);
            SimulationReport report = new Simulator(clock).run(plan);
            assertThat(report.linesSent()).isEqualTo(5_000);
            assertThat(report.cuts()).isPositive();
            assertThat(report.resends()).isEqualTo(report.cuts());
            assertThat(report.reconnects()).isEqualTo(report.cuts());
            await().atMost(Duration.ofSeconds(20)).until(() -> server.lineCount() == 5_000 && server.fragments.get()
                    == report.cuts());
            assertThat(sorted(server.lines())).isEqualTo(expectedLines(plan));
        }
    }

    @Test
    void stopEndsARunEarlyWithAnHonestReport() throws Exception {
        try (LineCollector server = new LineCollector()) {
            SimulationPlan plan = SimulationPlan.of("127.0.0.1", server.port(), 1_000, Duration.ofMinutes(10), 2, 4);
            Simulator simulator = new Simulator(clock);
            Thread stopper = new Thread(() -> {
                try {
                    Thread.sleep(700);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                simulator.stop();
            });
            stopper.start();
            SimulationReport report = simulator.run(plan);
            assertThat(report.linesSent()).isBetween(1L, 60_000L);
            assertThat(report.notes()).anyMatch(n -> n.startsWith("stopped early"));
            await().atMost(Duration.ofSeconds(10)).until(() -> server.lineCount() == report.linesSent());
        }
    }
}
