package io.auditrail.bench.multiproc;

import static io.auditrail.bench.multiproc.Bench.out;

import io.auditrail.bench.e2e.AlertLatency;
import io.auditrail.bench.e2e.PipelineCounts;
import io.auditrail.bench.e2e.SimulatedRun;
import io.auditrail.simulator.SimulationPlan;
import io.auditrail.simulator.SimulationReport;
import io.auditrail.simulator.Simulator;
import io.auditrail.simulator.TenantProfileRecord;
import io.auditrail.simulator.VaultTrafficGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Faults in the deployed shape: for each target in turn, {@code rate} lines/s of simulated Vault traffic for
 * {@code seconds}; a third of the way in, SIGKILL of the target's process, and one second later the same command
 * again, as a supervisor restarts a process. Then, once the pipeline is idle, the counts of that segment must agree
 * exactly (lines Vault wrote = raw records = rows + DLQ = archived lines), and the recovery times are printed: the
 * restarted process ready, its consumer group past what was on its input topic at the kill, and every line Kafka had
 * at the kill indexed. At the end the events topic is read whole: as many records as distinct event ids.
 */
final class FaultPass {
    static final List<String> TARGETS = List.of("ingest", "streams", "index", "archive", "alerts", "serve", "broker");
    private static final Duration RESTART_PAUSE = Duration.ofSeconds(1);

    private record Recovery(double ready, double groupCaughtUp, double indexedAtKill) {
    }

    private FaultPass() {
    }

    static boolean run(Bench b, double rate, int seconds, List<String> targets, int tenants, long seed,
                       Instant benchStart) throws Exception {
        int port = b.deployment.ingestPort();
        List<SimulationPlan> plans = new ArrayList<>();
        for (int i = 0; i <= targets.size(); i++) {
            plans.add(SimulationPlan.of("127.0.0.1", port, rate, Duration.ofSeconds(seconds), tenants, seed + i));
        }
        List<TenantProfileRecord> directory = new ArrayList<>();
        plans.forEach(p -> directory.addAll(new VaultTrafficGenerator(p, Instant.now()).tenantDirectory()));
        SimulatedRun.publishDirectory(b.bootstrap, b.topics.tenants(), directory);
        Thread.sleep(1000);

        List<String> rows = new ArrayList<>();
        boolean all = true;
        long written = 0;
        // segment 0 warms every JVM and shows the no-fault figures beside the faulted ones
        List<String> segments = new ArrayList<>(List.of("none"));
        segments.addAll(targets);
        for (int i = 0; i < segments.size(); i++) {
            String target = segments.get(i);
            awaitIdle(b);
            PipelineCounts.Reading base = b.counts.read();
            long baseArchived = SimulatedRun.settle(port, b.counts, b.settings, base, 0, 0, benchStart).archived();
            base = b.counts.read();
            Simulator sim = new Simulator();
            SimulationPlan plan = plans.get(i);
            CompletableFuture<SimulationReport> traffic = CompletableFuture.supplyAsync(() -> sim.run(plan));
            Thread.sleep(seconds * 1000L / 3);
            Recovery rec = target.equals("none") ? new Recovery(0, 0, indexedAfter(b, System.nanoTime(),
                    b.counts.read().raw())) : inject(b, target);
            SimulationReport report = traffic.get(seconds + 300L, TimeUnit.SECONDS);
            List<String> restarted = restartExited(b);
            SimulatedRun.Settled s = SimulatedRun.settle(port, b.counts, b.settings, base, baseArchived,
                    report.linesSent(), benchStart);
            List<AlertLatency.Plant> alerts = AlertLatency.match(report.plantsSent(), b.hook.received());
            long alerted = alerts.stream().filter(x -> x.seconds().isPresent()).count();
            var r = s.reading();
            written += s.lines();
            all &= s.pass();
            rows.add(String.format("| %s | %,d | %,d | %,d | %,d | %,d | %,d | %s | %s | %s | %s | %d of %d | %s%s |",
                    target, s.lines(), report.linesFailed(), r.raw() - base.raw(), r.rows() - base.rows(),
                    r.dlq() - base.dlq(), s.archived() - baseArchived, seconds(rec.ready()),
                    seconds(rec.groupCaughtUp()), seconds(rec.indexedAtKill()), s.pass() ? "PASS" : "FAIL", alerted,
                    alerts.size(), report.reconnects() + " reconnects, " + report.resends() + " resends",
                    restarted.isEmpty() ? "" : "; exited by itself and restarted: " + restarted));
            out("%s: %s", target, rows.get(rows.size() - 1));
        }
        TopicAudit.Result audit = TopicAudit.events(b.bootstrap, b.topics.events());
        TopicAudit.Result raw = TopicAudit.raw(b.bootstrap, b.topics.raw());
        long totalRows = b.counts.rows();
        out("");
        out("## faults: kill -9 then restart after %d ms, at %.0f lines/s for %d s each (kill at %d s)",
                RESTART_PAUSE.toMillis(), rate, seconds, seconds / 3);
        out("| killed | lines written (simulator + ticks) | simulator writes failed | raw records | rows | DLQ | archived lines | "
                + "restarted and ready (s) | its group past the kill's end offsets (s) | lines on Kafka at the kill "
                + "all indexed (s) | counts | plants alerted | simulator |");
        out("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(Bench::out);
        out("lines written in all segments (ticks included): %,d; raw topic: %,d records, %,d distinct lines (%,d "
                + "re-sent by a restarted ingest); events topic, read_committed: %,d records, %,d distinct event ids "
                + "(%,d duplicates); rows %,d", written, raw.records(), raw.distinct(), raw.duplicates(),
                audit.records(), audit.distinct(), audit.duplicates(), totalRows);
        // a re-sent raw line becomes the same event id twice: the row is one, the topic holds both copies
        boolean exact = audit.duplicates() == raw.duplicates() && audit.distinct() == totalRows
                && raw.distinct() == audit.distinct();
        out("%s: every segment's counts agree and the events topic holds each event once", all && exact ? "PASS"
                : "FAIL");
        return all && exact;
    }

    /** Kills the target, restarts it, and measures how long until it and the pipeline are back. */
    private static Recovery inject(Bench b, String target) throws Exception {
        String group = switch (target) {
            case "streams" -> "auditrail-streams";
            case "index" -> "auditrail-index";
            case "archive" -> "auditrail-archive";
            case "alerts" -> "auditrail-alerts";
            default -> null;
        };
        String topic = switch (target) {
            case "index" -> b.topics.events();
            case "alerts" -> b.topics.anomalies();
            default -> b.topics.raw();
        };
        long endAtKill = group == null ? 0 : b.counts.endOffsets(topic);
        long rawAtKill = b.counts.read().raw();
        long t0 = System.nanoTime();
        b.deployment.killAndRestart(target, RESTART_PAUSE);
        b.deployment.process(target).awaitReady(Duration.ofSeconds(180), !target.equals("broker"));
        double ready = (System.nanoTime() - t0) / 1e9;
        double caught = Double.NaN;
        if (group != null) {
            long deadline = System.nanoTime() + 180_000_000_000L;
            while (System.nanoTime() < deadline) {
                try {
                    if (b.counts.endOffsets(topic) - b.counts.lag(group, topic) >= endAtKill) {
                        caught = (System.nanoTime() - t0) / 1e9;
                        break;
                    }
                } catch (Exception e) {
                    // the group is rebalancing: look again
                }
                Thread.sleep(200);
            }
        }
        double indexed = target.equals("serve") ? Double.NaN : indexedAfter(b, t0, rawAtKill);
        return new Recovery(ready, caught, indexed);
    }

    /** Seconds from {@code t0} until rows + DLQ reach {@code raw} (at most 180 s; NaN if they never do). */
    private static double indexedAfter(Bench b, long t0, long raw) throws Exception {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (b.counts.read().events() >= raw) {
                    return (System.nanoTime() - t0) / 1e9;
                }
            } catch (Exception e) {
                // the broker is restarting: look again
            }
            Thread.sleep(200);
        }
        return Double.NaN;
    }

    /** Waits (at most 180 s) until every raw record is an event: the last segment's tail is not this one's. */
    private static void awaitIdle(Bench b) throws Exception {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (System.nanoTime() < deadline) {
            PipelineCounts.Reading r = b.counts.read();
            if (r.events() >= r.raw()) {
                return;
            }
            Thread.sleep(500);
        }
    }

    /** A supervisor restarts a process that exited on its own too: any that did is named in the results. */
    private static List<String> restartExited(Bench b) throws Exception {
        List<String> out = new ArrayList<>();
        for (LaunchedProcess p : b.deployment.processes().values()) {
            if (!p.alive()) {
                out.add(p.name());
                p.start();
                p.awaitReady(Duration.ofSeconds(180), !p.name().equals("broker") && !p.name().equals("s3"));
            }
        }
        return out;
    }

    private static String seconds(double s) {
        return Double.isNaN(s) ? "-" : String.format("%.1f", s);
    }
}
