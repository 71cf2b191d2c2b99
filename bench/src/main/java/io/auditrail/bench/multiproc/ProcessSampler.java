package io.auditrail.bench.multiproc;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples every process of a {@link Deployment} every 250 ms (CPU time and RSS from /proc; heap in use from each
 * JVM's /metrics every 5 s) and PostgreSQL as one process tree, and keeps per benchmark phase the CPU each used
 * and its peaks. CPU between two samples goes to the phase of the later one; a process restarted between two
 * samples loses the ticks of its last quarter second.
 */
final class ProcessSampler implements AutoCloseable {
    /** CPU seconds one process used in a phase, and its peaks there (bytes; heap -1 when never read). */
    record Usage(double cpuSeconds, long rssPeak, long heapPeak) {
        Usage plus(double cpu, long rss, long heap) {
            return new Usage(cpuSeconds + cpu, Math.max(rssPeak, rss), Math.max(heapPeak, heap));
        }
    }

    static final String POSTGRES = "postgres";
    /** This JVM: the simulator (Vault's three nodes), the probes and the samplers; not part of the pipeline. */
    static final String HARNESS = "harness";
    private static final long TICK_HZ = ticksPerSecond();
    /**
     * Heap is read from /metrics every 20th sample (5 s): a scrape of the streams stage's registry (thousands of Kafka
     * client meters) costs it measurable CPU; a JFR profile showed a scrape a second at a fifth of its samples.
     */
    private static final int HEAP_EVERY = 20;
    private final Deployment deployment;
    private final Map<String, Long> lastPid = new LinkedHashMap<>();
    private final Map<String, Long> lastTicks = new LinkedHashMap<>();
    private final Map<String, Map<String, Usage>> phases = new LinkedHashMap<>();
    private final Map<String, Double> wallSeconds = new LinkedHashMap<>();
    private final Map<String, Double> loadPeak = new LinkedHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private String phase = "start-up";
    private long phaseStart = System.nanoTime();
    private int samples;

    ProcessSampler(Deployment deployment) {
        this.deployment = deployment;
        thread = new Thread(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "multiproc-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** Ends the current phase with a sample and starts the named one. */
    void phase(String name) {
        sample();
        synchronized (this) {
            long now = System.nanoTime();
            wallSeconds.merge(phase, (now - phaseStart) / 1e9, Double::sum);
            phase = name;
            phaseStart = now;
        }
    }

    /** Usage by process (the deployment's names, then {@code postgres}) in each phase, in the order they ran. */
    synchronized Map<String, Map<String, Usage>> phases() {
        Map<String, Map<String, Usage>> out = new LinkedHashMap<>();
        phases.forEach((p, m) -> out.put(p, new LinkedHashMap<>(m)));
        return out;
    }

    /** Usage of the named phases added together (CPU summed, peaks kept). */
    synchronized Map<String, Usage> over(List<String> names) {
        Map<String, Usage> out = new LinkedHashMap<>();
        for (String n : names) {
            phases.getOrDefault(n, Map.of()).forEach((proc, u) -> out.merge(proc, u,
                    (a, b) -> a.plus(b.cpuSeconds(), b.rssPeak(), b.heapPeak())));
        }
        return out;
    }

    synchronized double wallSeconds(List<String> names) {
        return names.stream().mapToDouble(n -> wallSeconds.getOrDefault(n, 0.0)).sum();
    }

    synchronized double loadPeak(List<String> names) {
        return names.stream().mapToDouble(n -> loadPeak.getOrDefault(n, 0.0)).max().orElse(0);
    }

    private void sample() {
        Map<String, long[]> now = new LinkedHashMap<>();
        boolean heapRound;
        synchronized (this) {
            heapRound = samples++ % HEAP_EVERY == 0;
        }
        for (LaunchedProcess p : deployment.processes().values()) {
            long pid = p.pid();
            ProcStat s = pid > 0 ? ProcStat.of(pid) : ProcStat.NONE;
            long heap = heapRound && p.alive() ? p.heapUsed() : -1;
            now.put(p.name(), new long[] {pid, s.cpuTicks(), s.rssBytes(), heap});
        }
        long self = ProcessHandle.current().pid();
        ProcStat own = ProcStat.of(self);
        now.put(HARNESS, new long[] {self, own.cpuTicks(), own.rssBytes(), -1});
        try {
            long pg = deployment.postgresPid();
            ProcStat s = ProcStat.tree(pg);
            now.put(POSTGRES, new long[] {pg, s.cpuTicks(), s.rssBytes(), -1});
        } catch (IOException | RuntimeException e) {
            // PostgreSQL stopping: no sample this round
        }
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        synchronized (this) {
            Map<String, Usage> usage = phases.computeIfAbsent(phase, k -> new LinkedHashMap<>());
            now.forEach((name, v) -> {
                long pid = v[0];
                long ticks = v[1];
                Long prevPid = lastPid.get(name);
                long delta = prevPid != null && prevPid == pid ? Math.max(0, ticks - lastTicks.get(name)) : 0;
                lastPid.put(name, pid);
                lastTicks.put(name, ticks);
                long heap = v[3] >= 0 ? v[3] : -1;
                usage.merge(name, new Usage((double) delta / TICK_HZ, v[2], heap),
                        (a, b) -> a.plus(b.cpuSeconds(), b.rssPeak(), b.heapPeak()));
            });
            loadPeak.merge(phase, load, Math::max);
        }
    }

    private static long ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            return 100; // Linux's USER_HZ everywhere we run
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
