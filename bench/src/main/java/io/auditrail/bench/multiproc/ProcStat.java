package io.auditrail.bench.multiproc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time and resident memory of a process from {@code /proc}: utime + stime of {@code /proc/PID/stat} (all its
 * threads), in clock ticks, and VmRSS of {@code /proc/PID/status}. A process that is gone reads as zero.
 */
record ProcStat(long cpuTicks, long rssBytes) {
    static final ProcStat NONE = new ProcStat(0, 0);

    static ProcStat of(long pid) {
        return read(pid, false);
    }

    /**
     * A process and its children as one (PostgreSQL: the postmaster forks a backend per connection): the root's own
     * time and that of its children already reaped (cutime + cstime), plus every live descendant's own time.
     */
    static ProcStat tree(long pid) {
        ProcStat root = read(pid, true);
        long cpu = root.cpuTicks;
        long rss = root.rssBytes;
        for (ProcessHandle child : ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(List.of())) {
            ProcStat c = read(child.pid(), false);
            cpu += c.cpuTicks;
            rss += c.rssBytes;
        }
        return new ProcStat(cpu, rss);
    }

    private static ProcStat read(long pid, boolean withReapedChildren) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name may hold spaces and parentheses: the fields start after the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            // f[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17
            long cpu = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            if (withReapedChildren) {
                cpu += Long.parseLong(f[13]) + Long.parseLong(f[14]);
            }
            long rss = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            return new ProcStat(cpu, rss);
        } catch (IOException | RuntimeException e) {
            return NONE; // the process ended between listing and reading
        }
    }
}
