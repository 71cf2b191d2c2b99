package io.auditrail.bench.e2e;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Samples this JVM's heap in use and resident set, and the proportional set size (PSS: shared memory such as
 * shared_buffers counted once across the processes) of the processes whose command line names a marker (the
 * embedded PostgreSQL's data directory: pg_ctl detaches the server, so it is no descendant of this JVM) and of
 * their children, every few
 * hundred milliseconds, keeping the peak of each per benchmark phase.
 */
final class ResourceSampler implements AutoCloseable {
    /**
     * Peaks of one phase, in bytes, and this JVM's CPU time and the wall time between the phase's first and last
     * samples (so cores used = cpuNanos / wallNanos), and the peak 1-minute load average of the machine.
     */
    record Peak(long heapUsed, long jvmRss, long otherPss, long cpuNanos, long wallNanos, double load) {
        Peak max(Peak o) {
            return new Peak(Math.max(heapUsed, o.heapUsed), Math.max(jvmRss, o.jvmRss), Math.max(otherPss, o.otherPss),
                    cpuNanos + o.cpuNanos, wallNanos + o.wallNanos, Math.max(load, o.load));
        }

        double cores() {
            return wallNanos == 0 ? Double.NaN : (double) cpuNanos / wallNanos;
        }
    }

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long lastCpu = -1;
    private long lastWall;
    private final Map<String, Peak> peaks = new LinkedHashMap<>();
    private final Thread thread;
    private volatile String phase = "start";
    private volatile boolean running = true;

    private final String marker;

    private ResourceSampler(long intervalMs, String marker) {
        this.marker = marker;
        thread = new Thread(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(intervalMs);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "e2e-resource-sampler");
        thread.setDaemon(true);
    }

    static ResourceSampler start(long intervalMs, String marker) {
        ResourceSampler s = new ResourceSampler(intervalMs, marker);
        s.thread.start();
        return s;
    }

    void phase(String name) {
        phase = name;
    }

    synchronized Map<String, Peak> peaks() {
        return new LinkedHashMap<>(peaks);
    }

    private void sample() {
        long self = ProcessHandle.current().pid();
        // the postmaster names the data directory; its backends ("postgres: writer" ...) are its children
        long others = ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self && p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .flatMap(p -> Stream.concat(Stream.of(p), p.descendants()))
                .mapToLong(ProcessHandle::pid).distinct().map(ResourceSampler::pss).sum();
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        // CPU between two samples goes to the phase of the later one
        Peak now = new Peak(memory.getHeapMemoryUsage().getUsed(), rss(self), others,
                lastCpu < 0 ? 0 : cpu - lastCpu, lastCpu < 0 ? 0 : wall - lastWall, os.getSystemLoadAverage());
        lastCpu = cpu;
        lastWall = wall;
        synchronized (this) {
            peaks.merge(phase, now, Peak::max);
        }
    }

    /** VmRSS of a process from /proc, 0 when it is gone or unreadable. */
    private static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended between listing and reading: it holds no memory any more
        }
        return 0;
    }

    /** Pss of a process from /proc/PID/smaps_rollup, 0 when it is gone or unreadable. */
    private static long pss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended between listing and reading: it holds no memory any more
        }
        return 0;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
