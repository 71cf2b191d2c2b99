package io.auditrail.bench.e2e;

import io.auditrail.alerts.AlertsConfig;
import io.auditrail.app.dev.DevStack;
import io.auditrail.archive.ArchiveConfig;
import io.auditrail.archive.VerifyReport;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.core.topic.Topics;
import io.auditrail.simulator.PlantedSend;
import io.auditrail.simulator.SimulationPlan;
import io.auditrail.simulator.TenantProfileRecord;
import io.auditrail.simulator.VaultTrafficGenerator;
import io.auditrail.streams.StreamsStageConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Issue 10's end-to-end benchmark, in one JVM holding every stage of a dev stack (embedded Kafka broker and S3 in
 * this process, PostgreSQL a child process): the producer ceiling, the simulator at a fixed rate then unpaced,
 * latency probes throughout, the counts that must agree, then the raw-COPY index ceiling on the rows indexed.
 * Arguments as key=value: rate (3000 lines/s), seconds (30), maxLines (100000), ceilingLines (100000),
 * tenants (8), seed (42). Exit 1 when the counts disagree.
 */
public final class EndToEndBenchmark {
    private EndToEndBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>(Map.of("rate", "3000", "seconds", "30", "maxLines", "100000",
                "ceilingLines", "100000", "tenants", "8", "seed", "42"));
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length != 2 || !a.containsKey(kv[0])) {
                throw new IllegalArgumentException("unknown argument " + arg + "; known: " + a.keySet());
            }
            a.put(kv[0], kv[1]);
        }
        System.exit(run(Double.parseDouble(a.get("rate")), Integer.parseInt(a.get("seconds")),
                Long.parseLong(a.get("maxLines")), Long.parseLong(a.get("ceilingLines")),
                Integer.parseInt(a.get("tenants")), Long.parseLong(a.get("seed"))) ? 0 : 1);
    }

    private static boolean run(double rate, int seconds, long maxLines, long ceilingLines, int tenants, long seed)
            throws Exception {
        Instant benchStart = Instant.now();
        Path dir = Files.createTempDirectory("auditrail-e2e-bench");
        out("# end-to-end benchmark %s, dir %s, rate %.0f x %d s, max %d lines, ceiling %d lines, %d tenants, seed %d",
                benchStart, dir, rate, seconds, maxLines, ceilingLines, tenants, seed);
        try (WebhookReceiver hook = WebhookReceiver.start(); ResourceSampler sampler = ResourceSampler.start(250, dir.toString())) {
            Path targets = dir.resolve("alert-targets.json");
            Files.writeString(targets, "{\"targets\": [{\"name\": \"bench-webhook\", \"type\": \"webhook\", \"url\": \""
                    + hook.url() + "\"}], \"routes\": [{\"targets\": [\"bench-webhook\"]}]}");
            Settings extra = Settings.of(Map.of(ArchiveConfig.OBJECT_MAX_AGE_MS, "1000",
                    ArchiveConfig.DIGEST_INTERVAL_MS, "2000",
                    // unanswered requests (audit_gap's plant) are emitted at the pairing timeout: 2 s, not 60 s,
                    // so the counts close within the run
                    StreamsStageConfig.PAIRING_TIMEOUT_MS, "2000",
                    // the simulator packs >= 45 min of event time into the run (as SimulatedTrafficIT allows for)
                    StreamsStageConfig.DETECT_LATENESS_MS, "1800000",
                    AlertsConfig.TARGETS_FILE, targets.toString()));
            sampler.phase("start-up");
            long t0 = System.nanoTime();
            try (DevStack stack = DevStack.start(new DevStack.Options(dir.resolve("stack"), "127.0.0.1", 0, 0, 0, 0, 0,
                    "auditrail-archive", extra))) {
                out("stack up in %.1f s", (System.nanoTime() - t0) / 1e9);
                return measure(stack, sampler, hook, rate, seconds, maxLines, ceilingLines, tenants, seed, benchStart);
            }
        } finally {
            // the broker's log, PostgreSQL and the archive take ~1.7 GB per run
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static boolean measure(DevStack stack, ResourceSampler sampler, WebhookReceiver hook, double rate,
                                   int seconds, long maxLines, long ceilingLines, int tenants, long seed,
                                   Instant benchStart) throws Exception {
        Settings settings = stack.settings();
        Map<String, String> m = settings.asMap();
        String bootstrap = m.get(CoreConfig.KAFKA_BOOTSTRAP_SERVERS);
        Topics topics = new CoreConfig(settings).topics();
        int port = Integer.parseInt(stack.endpoints().get("Vault socket device").replaceAll(".*:", ""));

        sampler.phase("ceiling");
        List<ProducerCeiling.Pass> passes = ProducerCeiling.run(settings, topics.partitions(), ceilingLines, tenants,
                seed + 1000, 3);
        passes.forEach(p -> out("ingest ceiling pass: %,d records %.1f MiB in %.2f s = %,.0f records/s", p.records(),
                p.bytes() / 1048576.0, p.seconds(), p.perSecond()));
        List<Double> rates = new ArrayList<>(passes.stream().map(ProducerCeiling.Pass::perSecond).toList());
        Collections.sort(rates);
        double producerCeiling = rates.get(rates.size() / 2);
        System.gc(); // the ceiling's payload is garbage now: keep it out of the pipeline's heap figures

        SimulationPlan fixedPlan = SimulationPlan.of("127.0.0.1", port, rate, Duration.ofSeconds(seconds), tenants, seed);
        SimulationPlan maxPlan = SimulationPlan.unpaced("127.0.0.1", port, maxLines, tenants, seed + 1);
        List<TenantProfileRecord> directory = new ArrayList<>();
        directory.addAll(new VaultTrafficGenerator(fixedPlan, Instant.now()).tenantDirectory());
        directory.addAll(new VaultTrafficGenerator(maxPlan, Instant.now()).tenantDirectory());
        SimulatedRun.publishDirectory(bootstrap, topics.tenants(), directory);
        Thread.sleep(1000); // the directory reaches streams' global table before the traffic that needs it

        try (Connection c = DriverManager.getConnection(m.get(CoreConfig.POSTGRES_URL), m.get(CoreConfig.POSTGRES_USER),
                m.get(CoreConfig.POSTGRES_PASSWORD));
             PipelineCounts counts = new PipelineCounts(bootstrap, c, topics.raw(), topics.dlq())) {
            LatencyProbe probe = LatencyProbe.start("127.0.0.1", port, 100);
            SimulatedRun.Phase fixed = SimulatedRun.phase("fixed", fixedPlan, probe, counts, lags(counts, topics),
                    sampler::phase);
            SimulatedRun.Phase max = SimulatedRun.phase("max", maxPlan, probe, counts, lags(counts, topics),
                    sampler::phase);
            sampler.phase("final");
            probe.phase("final");
            Thread.sleep(3000); // a few idle-load probes, and stream time past the last pairing timeout
            probe.close();

            long sent = fixed.report().linesSent() + max.report().linesSent() + probe.linesSent();
            SimulatedRun.Settled settled = SimulatedRun.settle(port, counts, settings, sent, benchStart);
            long ticks = settled.ticks();
            long lines = settled.lines();
            PipelineCounts.Reading r = settled.reading();
            VerifyReport archive = settled.archive();

            Map<String, ProbeLatency.Stats> latency = ProbeLatency.measure(c, bootstrap, topics.raw());
            Map<String, Long> anomalies = counts.anomaliesByRule();
            Map<String, Long> expected = new TreeMap<>();
            for (SimulatedRun.Phase p : List.of(fixed, max)) {
                p.report().expectedAnomalies().forEach((rule, n) -> expected.merge(rule, n.longValue(), Long::sum));
            }
            sampler.phase("index ceiling");
            CopyCeiling.Result copy = CopyCeiling.run(m.get(CoreConfig.POSTGRES_URL), m.get(CoreConfig.POSTGRES_USER),
                    m.get(CoreConfig.POSTGRES_PASSWORD));
            out("index ceiling: raw COPY of %,d rows in %.2f s = %,.0f rows/s", copy.rows(), copy.seconds(),
                    copy.perSecond());

            out("");
            out("## throughput");
            out("| run | simulator lines | probe lines | simulator send rate (lines/s) | all indexed after (s) | "
                    + "sustained (lines indexed/s) | / ingest ceiling | / index ceiling |");
            out("|---|---|---|---|---|---|---|---|");
            for (SimulatedRun.Phase p : List.of(fixed, max)) {
                out("| %s | %,d | %,d | %,.0f | %.1f | %,.0f | %.2f | %.2f |", p.name(), p.report().linesSent(),
                        p.probeLines(), p.report().rate(), p.indexedSeconds(), p.sustained(),
                        p.sustained() / producerCeiling, p.sustained() / copy.perSecond());
            }
            for (SimulatedRun.Phase p : List.of(fixed, max)) {
                out("%s: backlog peaks (sampled every 250 ms) streams %,d raw records, behind until %.1f s; "
                        + "index %,d events, behind until %.1f s", p.name(), p.lag().get("streams").peak(),
                        p.lag().get("streams").behindUntil(), p.lag().get("index").peak(),
                        p.lag().get("index").behindUntil());
            }
            out("ingest ceiling (median of %d passes) %,.0f records/s; index ceiling %,.0f rows/s", passes.size(),
                    producerCeiling, copy.perSecond());
            out("");
            out("## latency, socket write -> row indexed (indexed_at - event_time of probe rows), seconds");
            out("| phase | probe rows | p50 | p95 | p99 | max | p99, 2nd half of phase | write -> ingest receive p50 / p99 | "
                    + "receive -> indexed (spool, Kafka, streams, index) p50 / p99 |");
            out("|---|---|---|---|---|---|---|---|---|");
            latency.forEach((phase, v) -> out("| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f / %.3f | %.3f / %.3f |",
                    phase, v.rows(), v.p50(), v.p95(), v.p99(), v.max(), v.lateP99(), v.ingestP50(), v.ingestP99(),
                    v.restP50(), v.restP99()));
            out("");
            out("## anomaly -> alert (webhook received - planted trigger written), seconds");
            alertLatency(List.of(fixed, max), hook.received());
            out("anomalies by rule (distinct ids) %s; the plans expected %s", new TreeMap<>(anomalies), expected);
            out("");
            out("## memory peaks per phase (one JVM holds every stage, the broker and S3; PostgreSQL runs apart)");
            out("| phase | heap used MiB (peak sample) | JVM RSS MiB | PostgreSQL PSS MiB (all its processes) | "
                    + "JVM CPU, cores | machine load (1 min, peak) |");
            out("|---|---|---|---|---|---|");
            sampler.peaks().forEach((phase, p) -> out("| %s | %d | %d | %d | %.2f | %.1f |", phase, p.heapUsed() >> 20,
                    p.jvmRss() >> 20, p.otherPss() >> 20, p.cores(), p.load()));
            out("");
            out("## counts");
            long archived = archive == null ? -1 : archive.lines();
            out("lines sent: simulator %,d + %,d, probes %,d, ticks %d = %,d (probe write failures %d, simulator "
                            + "failed %d)", fixed.report().linesSent(), max.report().linesSent(), probe.linesSent(),
                    ticks, lines, probe.failures(), fixed.report().linesFailed() + max.report().linesFailed());
            out("raw records %,d; events %,d = rows %,d + DLQ %,d; archived lines %,d (intact %s, %d digests, "
                            + "%d objects)", r.raw(), r.events(), r.rows(), r.dlq(), archived,
                    archive != null && archive.intact(), archive == null ? 0 : archive.digests(),
                    archive == null ? 0 : archive.objects());
            boolean pass = r.raw() == lines && r.events() == lines && archived == lines && archive.intact();
            out("%s: sent = raw = events = archived%s", pass ? "PASS" : "FAIL", pass ? "" : " does NOT hold");
            return pass;
        }
    }

    private static Map<String, LagWatch.Source> lags(PipelineCounts counts, Topics topics) {
        Map<String, LagWatch.Source> m = new LinkedHashMap<>();
        m.put("streams", () -> counts.lag("auditrail-streams", topics.raw()));
        m.put("index", () -> counts.lag("auditrail-index", topics.events()));
        return m;
    }

    /** For each planted trigger, the first alert of its rule received after it was written (and before the next). */
    private static void alertLatency(List<SimulatedRun.Phase> phases, List<WebhookReceiver.Received> received) {
        List<PlantedSend> plants = new ArrayList<>();
        phases.forEach(p -> plants.addAll(p.report().plantsSent()));
        List<AlertLatency.Plant> matched = AlertLatency.match(plants, received);
        out("| rule | planted at | alert after (s) |");
        out("|---|---|---|");
        for (AlertLatency.Plant p : matched) {
            out("| %s | %s | %s |", p.rule(), p.sentAt(), p.seconds().map(s -> String.format("%.3f", s))
                    .orElse("no alert"));
        }
        out("webhook deliveries received: %d; anomaly -> alert p50 / p95 / p99 / max %.3f / %.3f / %.3f / %.3f s",
                received.size(), AlertLatency.percentile(matched, 0.5), AlertLatency.percentile(matched, 0.95),
                AlertLatency.percentile(matched, 0.99), AlertLatency.percentile(matched, 1.0));
    }

    private static void out(String format, Object... args) {
        System.out.println(String.format(format, args));
        System.out.flush();
    }
}
