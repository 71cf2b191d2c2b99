package io.auditrail.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time (user, and system as {@code _sys}) of a process's threads, grouped by what they do (ingest's receiver and sender, Kafka's network
 * thread, GC, JIT), from {@code /proc/PID/task/*}: tells which thread a change relieved, which the process total
 * cannot. Linux only; elsewhere the groups are empty. Benchmark support, not a test.
 */
final class ThreadCpu {
    private static final double TICK_SECONDS = 0.01; // USER_HZ is 100 on every Linux this runs on

    private ThreadCpu() {
    }

    /** CPU seconds per thread group, so far. */
    static Map<String, Double> sample(long pid) {
        Map<String, Double> groups = new TreeMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (Stream<Path> threads = Files.list(tasks)) {
            threads.forEach(t -> {
                try {
                    String stat = Files.readString(t.resolve("stat"), StandardCharsets.US_ASCII);
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(stat.indexOf('(') + 1, close);
                    String[] f = stat.substring(close + 2).split(" ");
                    // fields 14 and 15 (utime, stime), counted from 1 with pid and comm as 1 and 2
                    groups.merge(group(name), Long.parseLong(f[11]) * TICK_SECONDS, Double::sum);
                    groups.merge(group(name) + "_sys", Long.parseLong(f[12]) * TICK_SECONDS, Double::sum);
                } catch (IOException | RuntimeException e) {
                    // a thread that ended between the listing and the read
                }
            });
        } catch (IOException e) {
            return groups;
        }
        return groups;
    }

    /** The CPU seconds per group between two samples, as {@code group=seconds ...}. */
    static String between(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> diff = new LinkedHashMap<>();
        after.forEach((k, v) -> {
            double d = v - before.getOrDefault(k, 0.0);
            if (d >= 0.005) {
                diff.put(k, d);
            }
        });
        StringBuilder s = new StringBuilder();
        diff.forEach((k, v) -> s.append(s.length() == 0 ? "" : " ").append(k).append('=')
                .append(String.format("%.2f", v)));
        return s.toString();
    }

    /** All CPU seconds between two samples. */
    static double total(Map<String, Double> before, Map<String, Double> after) {
        double sum = 0;
        for (Map.Entry<String, Double> e : after.entrySet()) {
            sum += e.getValue() - before.getOrDefault(e.getKey(), 0.0);
        }
        return sum;
    }

    private static String group(String thread) {
        if (thread.startsWith("ingest-receiver")) {
            return "receiver";
        }
        if (thread.startsWith("ingest-sender")) {
            return "sender";
        }
        if (thread.startsWith("kafka-producer")) {
            return "kafka_net";
        }
        if (thread.startsWith("GC Thread") || thread.startsWith("G1 ")) {
            return "gc";
        }
        if (thread.startsWith("C1 Compiler") || thread.startsWith("C2 Compiler")) {
            return "jit";
        }
        return "other";
    }
}
