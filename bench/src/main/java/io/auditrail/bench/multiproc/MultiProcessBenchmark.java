package io.auditrail.bench.multiproc;

import static io.auditrail.bench.multiproc.Bench.out;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 19's multi-process benchmark: every stage in its own JVM as {@code auditrail <stage>} runs it, the broker
 * and S3 in JVMs of their own, PostgreSQL as dev mode starts it ({@link Deployment}). Modes:
 * <ul>
 *   <li>{@code mode=run} (default): producer ceiling, {@code rate} lines/s for {@code seconds}, then
 *       {@code maxLines} unpaced, then the raw-COPY ceiling; per process CPU per line, heap, RSS, lag
 *       ({@link SteadyRun});</li>
 *   <li>{@code mode=faults}: kill -9 of each stage process in turn and of the broker, under {@code rate} lines/s,
 *       each restarted; counts and recovery per fault ({@link FaultPass});</li>
 *   <li>{@code mode=scaleout}: one and then two streams instances draining the same backlog ({@link ScaleOut}).</li>
 * </ul>
 * Arguments as key=value. Exit 1 when the counts disagree.
 */
public final class MultiProcessBenchmark {
    private MultiProcessBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("mode", "run");
        a.put("rate", "6000");
        a.put("seconds", "30");
        a.put("maxLines", "200000");
        a.put("ceilingLines", "100000");
        a.put("tenants", "8");
        a.put("seed", "42");
        a.put("faultSeconds", "20");
        a.put("faults", String.join(",", FaultPass.TARGETS));
        a.put("scaleLines", "200000");
        a.put("sessionTimeoutMs", "10000");
        a.put("app", "app/target/auditrail.jar");
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length != 2 || !a.containsKey(kv[0])) {
                throw new IllegalArgumentException("unknown argument " + arg + "; known: " + a.keySet());
            }
            a.put(kv[0], kv[1]);
        }
        System.exit(run(a) ? 0 : 1);
    }

    private static boolean run(Map<String, String> a) throws Exception {
        Instant benchStart = Instant.now();
        String work = System.getenv().getOrDefault("WORK", System.getProperty("java.io.tmpdir"));
        Files.createDirectories(Path.of(work));
        Path dir = Files.createTempDirectory(Path.of(work), "multiproc-");
        Path app = Path.of(a.get("app")).toAbsolutePath();
        String mode = a.get("mode");
        out("# multi-process benchmark %s, %s, dir %s, nproc %d, load at start %.2f", benchStart, a, dir,
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        // a stage killed -9 leaves the group only at its session timeout; Kafka's default is 45 s
        Map<String, String> extra = Map.of("kafka.session.timeout.ms", a.get("sessionTimeoutMs"));
        List<String> stages = mode.equals("scaleout") ? List.of("ingest", "index", "archive", "alerts", "serve")
                : Deployment.STAGES;
        int streamsInstances = mode.equals("scaleout") ? 2 : 1;
        long t0 = System.nanoTime();
        try (Bench b = Bench.start(dir, app, stages, streamsInstances, extra)) {
            out("deployment up in %.1f s: %s", (System.nanoTime() - t0) / 1e9, b.deployment.processes().keySet());
            double rate = Double.parseDouble(a.get("rate"));
            int tenants = Integer.parseInt(a.get("tenants"));
            long seed = Long.parseLong(a.get("seed"));
            return switch (mode) {
                case "run" -> {
                    try (ProcessSampler sampler = new ProcessSampler(b.deployment)) {
                        yield SteadyRun.run(b, sampler, rate, Integer.parseInt(a.get("seconds")),
                                Long.parseLong(a.get("maxLines")), Long.parseLong(a.get("ceilingLines")), tenants,
                                seed, benchStart);
                    }
                }
                case "faults" -> FaultPass.run(b, rate, Integer.parseInt(a.get("faultSeconds")),
                        List.of(a.get("faults").split(",")), tenants, seed, benchStart);
                case "scaleout" -> {
                    try (ProcessSampler sampler = new ProcessSampler(b.deployment)) {
                        yield ScaleOut.run(b, sampler, Long.parseLong(a.get("scaleLines")), tenants, seed);
                    }
                }
                default -> throw new IllegalArgumentException("mode must be run, faults or scaleout: " + mode);
            };
        } finally {
            out("logs were in %s (removed with the run's data)", dir.resolve("logs"));
            if (System.getenv("KEEP_WORK") == null) {
                try (var paths = Files.walk(dir)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }
}
