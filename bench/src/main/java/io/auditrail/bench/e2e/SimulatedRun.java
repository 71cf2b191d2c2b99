package io.auditrail.bench.e2e;

import io.auditrail.archive.ArchiveVerifier;
import io.auditrail.archive.VerifyReport;
import io.auditrail.core.config.Settings;
import io.auditrail.simulator.SimulationPlan;
import io.auditrail.simulator.SimulationReport;
import io.auditrail.simulator.Simulator;
import io.auditrail.simulator.TenantProfileRecord;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The steps every end-to-end benchmark takes around the simulator, whatever runs the stages (one JVM or one process
 * per stage): the tenant directory first, a phase of simulated traffic measured until all of it is indexed, and the
 * final counts once the pipeline is idle.
 */
public final class SimulatedRun {
    /** What one simulator run gave: its report and the seconds until every line it and the probes sent was indexed. */
    public record Phase(String name, SimulationReport report, long probeLines, double sendSeconds, double indexedSeconds,
                        Map<String, LagWatch.Peak> lag) {
        public long lines() {
            return report.linesSent() + probeLines;
        }

        public double sustained() {
            return lines() / indexedSeconds;
        }
    }

    /**
     * The counts once every line is through: lines sent since {@code base} (ticks included), the pipeline's counts
     * and the archive's, and the same as they stood at the start ({@code base}, {@code baseArchived}).
     */
    public record Settled(long lines, long ticks, PipelineCounts.Reading reading, VerifyReport archive,
                          PipelineCounts.Reading base, long baseArchived) {
        public long archived() {
            return archive == null ? -1 : archive.lines();
        }

        /** Since the base: lines sent = raw records = rows + DLQ = lines in intact, verified digests. */
        public boolean pass() {
            return reading.raw() - base.raw() == lines && reading.events() - base.events() == lines
                    && archive != null && archive.intact() && archive.lines() - baseArchived == lines;
        }
    }

    private SimulatedRun() {
    }

    /** Puts the plans' tenant directory records on the directory topic, as an operator's directory sync would. */
    public static void publishDirectory(String bootstrap, String topic, List<TenantProfileRecord> records)
            throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                "acks", "all", "client.id", "auditrail-bench-directory"), new StringSerializer(),
                new ByteArraySerializer())) {
            for (TenantProfileRecord r : records) {
                producer.send(new ProducerRecord<>(topic, r.tenantId(), r.value())).get();
            }
        }
    }

    /**
     * Runs one simulation with probes going, then waits (at most 180 s) until every line sent so far is an event.
     * {@code marker} hears the phase's name at its start and {@code name + " drain"} when the simulator is done.
     */
    public static Phase phase(String name, SimulationPlan plan, LatencyProbe probe, PipelineCounts counts,
                              Map<String, LagWatch.Source> lags, Consumer<String> marker) throws Exception {
        PipelineCounts.Reading before = counts.read();
        long probesBefore = probe.linesSent();
        marker.accept(name);
        probe.phase(name);
        LagWatch watch = new LagWatch(lags);
        long t0 = System.nanoTime();
        SimulationReport report = new Simulator().run(plan, null);
        double sendSeconds = (System.nanoTime() - t0) / 1e9;
        long probeLines = probe.linesSent() - probesBefore;
        marker.accept(name + " drain");
        probe.phase(name + "-drain");
        long target = before.events() + report.linesSent() + probeLines;
        long deadline = System.nanoTime() + 180_000_000_000L;
        PipelineCounts.Reading r = counts.read();
        while (r.events() < target && System.nanoTime() < deadline) {
            Thread.sleep(200);
            r = counts.read();
        }
        double indexedSeconds = (System.nanoTime() - t0) / 1e9;
        watch.close();
        out("%s: %s", name, report.summary().replace('\n', ' '));
        out("%s: sent %,d simulator + %,d probe lines in %.1f s; events reached %,d of %,d after %.1f s", name,
                report.linesSent(), probeLines, sendSeconds, r.events(), target, indexedSeconds);
        return new Phase(name, report, probeLines, sendSeconds, indexedSeconds, watch.result());
    }

    /**
     * Waits (at most 180 s) until raw records and events both equal the lines sent, writing tick pairs through
     * ingest meanwhile (they move stream time on if a partition went quiet), then (at most 90 s) until the archive's
     * verified digests hold them all. {@code since}: the earliest time the run's lines can carry.
     */
    public static Settled settle(int ingestPort, PipelineCounts counts, Settings settings, long sent, Instant since)
            throws Exception {
        return settle(ingestPort, counts, settings, new PipelineCounts.Reading(0, 0, 0), 0, sent, since);
    }

    /**
     * As {@link #settle(int, PipelineCounts, Settings, long, Instant)}, for {@code sent} lines written after the
     * counts stood at {@code base} and the archive at {@code baseArchived} lines; stops waiting early when nothing but
     * the ticks moved for 30 s (a line that will never come).
     */
    public static Settled settle(int ingestPort, PipelineCounts counts, Settings settings, PipelineCounts.Reading base,
                                 long baseArchived, long sent, Instant since) throws Exception {
        long ticks = 0;
        PipelineCounts.Reading r = counts.read();
        long deadline = System.nanoTime() + 180_000_000_000L;
        long lastMove = System.nanoTime();
        long seen = -1;
        while ((r.events() - base.events() != sent + ticks || r.raw() - base.raw() != sent + ticks)
                && System.nanoTime() < deadline && System.nanoTime() - lastMove < 30_000_000_000L) {
            ticks += tick(ingestPort, ticks);
            Thread.sleep(1000);
            r = counts.read();
            long progress = r.raw() + r.events() - 2 * ticks;
            if (progress != seen) {
                seen = progress;
                lastMove = System.nanoTime();
            }
        }
        // the last tick pair may still be on its way (a commit interval longer than the loop's second): wait for
        // it without writing more, so a mismatch reported below is a line that is really missing
        long settleUntil = System.nanoTime() + 15_000_000_000L;
        while ((r.events() - base.events() != sent + ticks || r.raw() - base.raw() != sent + ticks)
                && System.nanoTime() < settleUntil) {
            Thread.sleep(500);
            r = counts.read();
        }
        long lines = sent + ticks;
        VerifyReport archive = null;
        deadline = System.nanoTime() + 90_000_000_000L;
        lastMove = System.nanoTime();
        seen = -1;
        while (System.nanoTime() < deadline && System.nanoTime() - lastMove < 15_000_000_000L) {
            archive = ArchiveVerifier.verify(settings, since.minus(Duration.ofHours(2)), Instant.now().plusSeconds(60));
            if (archive.intact() && archive.lines() - baseArchived >= Math.min(lines, r.raw() - base.raw())) {
                break;
            }
            if (archive.lines() != seen) {
                seen = archive.lines();
                lastMove = System.nanoTime();
            }
            Thread.sleep(1000);
        }
        return new Settled(lines, ticks, r, archive, base, baseArchived);
    }

    /** Two paired lines, event time a minute further each time, as SimulatedTrafficIT's ticks. */
    private static long tick(int port, long n) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port); OutputStream o = s.getOutputStream()) {
            o.write(LatencyProbe.pair("tick-" + n, Instant.now().plus(Duration.ofMinutes(n / 2))));
        }
        return 2;
    }

    private static void out(String format, Object... args) {
        System.out.println(String.format(format, args));
        System.out.flush();
    }
}
