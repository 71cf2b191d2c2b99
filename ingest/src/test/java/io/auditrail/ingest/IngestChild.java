package io.auditrail.ingest;

import io.auditrail.core.config.Settings;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An ingest process for crash tests and the benchmark: starts the stage with {@code key=value} arguments, prints
 * {@code LISTENING <port>}, then {@code RECEIVED <lines> SENT <lines> SPOOLED <bytes>} every 50 ms. On a
 * {@code STATS} line on stdin it prints latency and heap figures; at the end of stdin it stops the stage
 * gracefully and exits. Crash tests kill it instead. {@code STATS} also reports the heap in use after a full GC (what
 * is live, not garbage), the largest partial-line budget use seen, and every ingest counter that is not zero.
 */
public final class IngestChild {
    /** Largest heap in use seen by the 50 ms status loop (garbage included: it is what the heap must hold). */
    private static volatile long maxUsedHeap;
    /** Largest partial-line budget use seen by the status loop. */
    private static volatile double maxPartialBytes;

    private IngestChild() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            settings.put(a.substring(0, eq), a.substring(eq + 1));
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IngestStage stage = IngestStage.start(Settings.of(settings), registry);
        System.out.println("LISTENING " + stage.tcpAddress().orElseThrow().getPort());
        System.out.flush();
        Thread status = new Thread(() -> {
            var memory = ManagementFactory.getMemoryMXBean();
            while (true) {
                maxUsedHeap = Math.max(maxUsedHeap, memory.getHeapMemoryUsage().getUsed());
                var partial = registry.find("auditrail.ingest.partial.lines.bytes").gauge();
                if (partial != null) {
                    maxPartialBytes = Math.max(maxPartialBytes, partial.value());
                }
                IngestMetrics m = stage.metrics();
                System.out.println("RECEIVED " + m.linesReceived() + " SENT " + m.linesSent() + " SPOOLED "
                        + stage.spooledBytes());
                System.out.flush();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "child-status");
        status.setDaemon(true);
        status.start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.trim().equals("STATS")) {
                    System.out.println(stats(stage, registry));
                    System.out.flush();
                }
            }
        }
        status.interrupt();
        stage.close();
        System.out.println("STOPPED");
        System.out.flush();
    }

    private static String stats(IngestStage stage, SimpleMeterRegistry registry) {
        IngestMetrics m = stage.metrics();
        StringBuilder s = new StringBuilder("STATS sent=" + m.linesSent() + " dlq=" + m.linesToDlq() + " dropped="
                + m.linesDropped() + " latency_count=" + m.latency().count());
        for (ValueAtPercentile p : m.latency().takeSnapshot().percentileValues()) {
            s.append(" latency_p").append(Math.round(p.percentile() * 100)).append("_ms=")
                    .append(String.format("%.1f", p.value(TimeUnit.MILLISECONDS)));
        }
        s.append(String.format(" latency_max_ms=%.1f", m.latency().max(TimeUnit.MILLISECONDS)));
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        s.append(" heap_used_max_mb=").append(maxUsedHeap >> 20).append(" heap_committed_mb=")
                .append(heap.getCommitted() >> 20).append(" heap_max_mb=").append(heap.getMax() >> 20);
        long gcCount = 0;
        long gcMillis = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        s.append(" gc_count=").append(gcCount).append(" gc_ms=").append(gcMillis);
        System.gc();
        s.append(" heap_after_gc_mb=").append(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20);
        s.append(" partial_max_mb=").append(String.format("%.1f", maxPartialBytes / (1 << 20)));
        s.append(" open_connections=").append(m.openConnections());
        for (var c : registry.find("auditrail.ingest.connections.closed").counters()) {
            if (c.count() > 0) {
                s.append(" closed_").append(c.getId().getTag("reason")).append('=').append((long) c.count());
            }
        }
        for (var c : registry.find("auditrail.ingest.fragments.discarded").counters()) {
            if (c.count() > 0) {
                s.append(" fragments_").append(c.getId().getTag("reason")).append('=').append((long) c.count());
            }
        }
        s.append(" refused=").append(m.connectionsRefused()).append(" received=").append(m.linesReceived());
        return s.toString();
    }
}
