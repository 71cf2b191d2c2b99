package io.auditrail.bench.multiproc;

import static io.auditrail.bench.multiproc.Bench.out;

import io.auditrail.bench.e2e.AlertLatency;
import io.auditrail.bench.e2e.CopyCeiling;
import io.auditrail.bench.e2e.LagWatch;
import io.auditrail.bench.e2e.LatencyProbe;
import io.auditrail.bench.e2e.ProbeLatency;
import io.auditrail.bench.e2e.ProducerCeiling;
import io.auditrail.bench.e2e.SimulatedRun;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.simulator.SimulationPlan;
import io.auditrail.simulator.TenantProfileRecord;
import io.auditrail.simulator.VaultTrafficGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The measured run: the producer ceiling on the deployment's broker, the simulator at a fixed rate and then at the
 * maximum rate with latency probes throughout, the counts, then the raw-COPY ceiling of the run's rows; per process
 * the CPU per line, heap and RSS peaks, and per stage the lag peaks.
 */
final class SteadyRun {
    private SteadyRun() {
    }

    static boolean run(Bench b, ProcessSampler sampler, double rate, int seconds, long maxLines, long ceilingLines,
                       int tenants, long seed, Instant benchStart) throws Exception {
        int port = b.deployment.ingestPort();
        sampler.phase("ceiling");
        List<ProducerCeiling.Pass> passes = ProducerCeiling.run(b.settings, b.topics.partitions(), ceilingLines,
                tenants, seed + 1000, 3);
        passes.forEach(p -> out("ingest ceiling pass: %,d records %.1f MiB in %.2f s = %,.0f records/s", p.records(),
                p.bytes() / 1048576.0, p.seconds(), p.perSecond()));
        List<Double> rates = new ArrayList<>(passes.stream().map(ProducerCeiling.Pass::perSecond).toList());
        Collections.sort(rates);
        double producerCeiling = rates.get(rates.size() / 2);
        System.gc(); // the ceiling's payload is garbage now

        SimulationPlan fixedPlan = SimulationPlan.of("127.0.0.1", port, rate, Duration.ofSeconds(seconds), tenants, seed);
        SimulationPlan maxPlan = SimulationPlan.unpaced("127.0.0.1", port, maxLines, tenants, seed + 1);
        List<TenantProfileRecord> directory = new ArrayList<>();
        directory.addAll(new VaultTrafficGenerator(fixedPlan, Instant.now()).tenantDirectory());
        directory.addAll(new VaultTrafficGenerator(maxPlan, Instant.now()).tenantDirectory());
        SimulatedRun.publishDirectory(b.bootstrap, b.topics.tenants(), directory);
        sampler.phase("idle");
        Thread.sleep(1000); // the directory reaches streams' global table before the traffic that needs it

        LatencyProbe probe = LatencyProbe.start("127.0.0.1", port, 100);
        SimulatedRun.Phase fixed = SimulatedRun.phase("fixed", fixedPlan, probe, b.counts, b.lags(), sampler::phase);
        SimulatedRun.Phase max = SimulatedRun.phase("max", maxPlan, probe, b.counts, b.lags(), sampler::phase);
        sampler.phase("final");
        probe.phase("final");
        Thread.sleep(3000);
        probe.close();
        long sent = fixed.report().linesSent() + max.report().linesSent() + probe.linesSent();
        SimulatedRun.Settled settled = SimulatedRun.settle(port, b.counts, b.settings, sent, benchStart);

        // whole phases: the probes sent while the simulator wrote and while the backlog drained
        Map<String, ProbeLatency.Stats> latency = ProbeLatency.measure(b.db, b.bootstrap, b.topics.raw(),
                phase -> phase.replace("-drain", ""));
        sampler.phase("index ceiling");
        Map<String, String> m = b.settings.asMap();
        CopyCeiling.Result copy = CopyCeiling.run(m.get(CoreConfig.POSTGRES_URL), m.get(CoreConfig.POSTGRES_USER),
                m.get(CoreConfig.POSTGRES_PASSWORD));
        out("index ceiling: raw COPY of %,d rows in %.2f s = %,.0f rows/s", copy.rows(), copy.seconds(),
                copy.perSecond());
        sampler.phase("end");

        out("");
        out("## throughput (sustained = lines of the phase / seconds from its first write until all were indexed)");
        out("| phase | simulator lines | probe lines | simulator send rate (lines/s) | all indexed after (s) | "
                + "sustained (lines/s) | / producer ceiling | / raw COPY ceiling |");
        out("|---|---|---|---|---|---|---|---|");
        for (SimulatedRun.Phase p : List.of(fixed, max)) {
            out("| %s | %,d | %,d | %,.0f | %.1f | %,.0f | %.3f | %.3f |", p.name(), p.report().linesSent(),
                    p.probeLines(), p.report().rate(), p.indexedSeconds(), p.sustained(),
                    p.sustained() / producerCeiling, p.sustained() / copy.perSecond());
        }
        out("producer ceiling (ingest's producer settings, median of %d passes) %,.0f records/s; raw COPY ceiling "
                + "%,.0f rows/s", passes.size(), producerCeiling, copy.perSecond());

        out("");
        out("## per process: CPU per line over each whole phase (sending and draining), peaks");
        perProcess(sampler, fixed, max);

        out("");
        out("## latency, socket write -> row indexed (probe rows, whole phase incl. drain), seconds");
        out("| phase | probe rows | p50 | p95 | p99 | max | p99, 2nd half | write -> ingest receive p99 |");
        out("|---|---|---|---|---|---|---|---|");
        latency.forEach((phase, v) -> out("| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |", phase, v.rows(),
                v.p50(), v.p95(), v.p99(), v.max(), v.lateP99(), v.ingestP99()));

        out("");
        out("## anomaly -> alert (webhook received - planted trigger written), seconds");
        out("| phase | plants | alerted | p50 | p95 | p99 | max |");
        out("|---|---|---|---|---|---|---|");
        for (SimulatedRun.Phase p : List.of(fixed, max)) {
            List<AlertLatency.Plant> a = AlertLatency.match(p.report().plantsSent(), b.hook.received());
            out("| %s | %d | %d | %.3f | %.3f | %.3f | %.3f |", p.name(), a.size(),
                    a.stream().filter(x -> x.seconds().isPresent()).count(), AlertLatency.percentile(a, 0.5),
                    AlertLatency.percentile(a, 0.95), AlertLatency.percentile(a, 0.99), AlertLatency.percentile(a, 1));
            a.stream().filter(x -> x.seconds().isEmpty()).forEach(x -> out("%s: no alert for %s planted at %s",
                    p.name(), x.rule(), x.sentAt()));
        }
        out("webhook deliveries received: %d", b.hook.received().size());

        out("");
        out("## counts");
        var r = settled.reading();
        out("lines sent: simulator %,d + %,d, probes %,d, ticks %d = %,d (probe write failures %d, simulator failed "
                + "%d)", fixed.report().linesSent(), max.report().linesSent(), probe.linesSent(), settled.ticks(),
                settled.lines(), probe.failures(), fixed.report().linesFailed() + max.report().linesFailed());
        out("raw records %,d; events %,d = rows %,d + DLQ %,d; archived lines %,d (intact %s)", r.raw(), r.events(),
                r.rows(), r.dlq(), settled.archived(), settled.archive() != null && settled.archive().intact());
        out("%s: sent = raw = rows + DLQ = archived", settled.pass() ? "PASS" : "FAIL");
        return settled.pass();
    }

    /** One row per process: CPU µs per line and cores used in each phase, heap and RSS peaks, lag peaks. */
    static void perProcess(ProcessSampler sampler, SimulatedRun.Phase fixed, SimulatedRun.Phase max) {
        List<String> f = List.of(fixed.name(), fixed.name() + " drain");
        List<String> x = List.of(max.name(), max.name() + " drain");
        Map<String, ProcessSampler.Usage> uf = sampler.over(f);
        Map<String, ProcessSampler.Usage> ux = sampler.over(x);
        double wf = sampler.wallSeconds(f);
        double wx = sampler.wallSeconds(x);
        out("fixed: %,d lines over %.1f s (load peak %.1f); max: %,d lines over %.1f s (load peak %.1f)",
                fixed.lines(), wf, sampler.loadPeak(f), max.lines(), wx, sampler.loadPeak(x));
        out("| process | fixed: CPU µs/line | fixed: cores | max: CPU µs/line | max: cores | heap peak MiB | "
                + "RSS peak MiB | lag peak fixed / max |");
        out("|---|---|---|---|---|---|---|---|");
        double[] stages = new double[4];
        double[] all = new double[4];
        for (String proc : uf.keySet()) {
            ProcessSampler.Usage a = uf.get(proc);
            ProcessSampler.Usage c = ux.getOrDefault(proc, new ProcessSampler.Usage(0, 0, -1));
            String stage = proc.replaceAll("-[0-9]+$", "");
            LagWatch.Peak lf = fixed.lag().get(proc);
            LagWatch.Peak lx = max.lag().get(proc);
            out("| %s | %.1f | %.2f | %.1f | %.2f | %s | %d | %s |", proc, a.cpuSeconds() * 1e6 / fixed.lines(),
                    a.cpuSeconds() / wf, c.cpuSeconds() * 1e6 / max.lines(), c.cpuSeconds() / wx,
                    Math.max(a.heapPeak(), c.heapPeak()) < 0 ? "-" : Long.toString(Math.max(a.heapPeak(),
                            c.heapPeak()) >> 20), Math.max(a.rssPeak(), c.rssPeak()) >> 20,
                    lf == null ? "-" : String.format("%,d / %,d", lf.peak(), lx.peak()));
            double[] v = {a.cpuSeconds(), c.cpuSeconds(), 0, 0};
            for (int i = 0; i < 2 && !proc.equals(ProcessSampler.HARNESS); i++) {
                all[i] += v[i];
                if (Deployment.STAGES.contains(stage)) {
                    stages[i] += v[i];
                }
            }
        }
        out("| **auditrail stages** | **%.1f** | %.2f | **%.1f** | %.2f | | | |", stages[0] * 1e6 / fixed.lines(),
                stages[0] / wf, stages[1] * 1e6 / max.lines(), stages[1] / wx);
        out("| **all, with broker, S3, PostgreSQL** | **%.1f** | %.2f | **%.1f** | %.2f | | | |",
                all[0] * 1e6 / fixed.lines(), all[0] / wf, all[1] * 1e6 / max.lines(), all[1] / wx);
    }
}
