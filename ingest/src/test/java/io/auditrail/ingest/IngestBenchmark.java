package io.auditrail.ingest;

import io.auditrail.core.config.CoreConfig;
import io.auditrail.embedded.EmbeddedKafka;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The ingest throughput benchmark, measured the way {@code shared/bench-peers} measures rsyslog and syslog-ng: a
 * Kafka broker in this JVM, ingest in a child JVM (the deployed heap: {@code -Xms256m -Xmx256m
 * -XX:+AlwaysPreTouch}, fresh per run), {@code sender.py} writing
 * the payload over 3 connections, end offsets polled every 20 ms; throughput = lines / (end offsets complete -
 * sender start). Every record is then checked byte for byte (MD5) against the payload.
 *
 * <p>Usage: {@code IngestBenchmark PAYLOAD SENDER_PY RUNS LABEL [key=value ...]} (settings for the ingest child).
 */
public final class IngestBenchmark {
    private static final int PARTITIONS = 3;

    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path payload = Path.of(args[0]);
        Path sender = Path.of(args[1]);
        int runs = Integer.parseInt(args[2]);
        String label = args[3];
        Map<String, String> extra = new HashMap<>();
        for (int i = 4; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            extra.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Payload expected = Payload.read(payload);
        System.out.printf("payload: %d lines, %d value bytes (mean %.0f B)%n", expected.lines, expected.valueBytes,
                (double) expected.valueBytes / expected.lines);
        Path work = Files.createTempDirectory("ingest-bench-");
        boolean reuse = Boolean.getBoolean("bench.child.reuse");
        try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafka.Config.of(work.resolve("kafka"))).start()) {
            System.out.println("run\tlines_per_s\tMiB_per_s\te2e_s\tsend_s\tingest_cpu_s\tcpu_us_per_line\t"
                    + "records\texact\tmissing\tduplicates\tmismatched\tthread_cpu_s\tstats");
            Child shared = reuse ? Child.start(kafka, work, label, extra) : null;
            try {
                for (int r = 0; r <= runs; r++) {
                    // run 0 warms the broker (and, reusing one ingest process, its JIT) and is not recorded
                    String name = label + "-r" + r;
                    Child child = reuse ? shared : Child.start(kafka, work, name, extra);
                    try {
                        String row = run(kafka, child, payload, sender, expected);
                        System.out.println((r == 0 ? "warmup" : name) + "\t" + row);
                    } finally {
                        if (!reuse) {
                            child.stop();
                        }
                    }
                }
            } finally {
                if (shared != null) {
                    shared.stop();
                }
            }
        } finally {
            deleteBulk(work);
        }
    }

    /** Removes the broker's log and the spools (gigabytes a session); the children's {@code *.err} logs stay. */
    private static void deleteBulk(Path work) throws IOException {
        try (java.util.stream.Stream<Path> all = Files.walk(work)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(work) && !p.getFileName().toString().endsWith(".err")) {
                    Files.deleteIfExists(p);
                }
            }
        }
        System.out.println("ingest children's logs: " + work);
    }

    /** One ingest process ({@code -Xmx256m}) writing to its own raw topic. */
    private record Child(Process process, ChildOutput out, int port, String topic) {
        static Child start(EmbeddedKafka kafka, Path work, String name, Map<String, String> extra) throws Exception {
            String raw = "raw-" + name;
            // bench.spool.kept: every process of the session uses one spool directory, as a restarted service does
            Path spool = work.resolve(Boolean.getBoolean("bench.spool.kept") ? "spool" : "spool-" + name);
            Map<String, String> settings = IngestStageIT.settings(kafka.bootstrapServers(), spool, name);
            settings.put(CoreConfig.TOPIC_RAW, raw);
            settings.putAll(extra);
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch", "-XX:+UseG1GC"));
            String childJvmArgs = System.getProperty("bench.child.jvm.args", "").trim();
            if (!childJvmArgs.isEmpty()) {
                command.addAll(List.of(childJvmArgs.replace("{run}", name).split("\\s+")));
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), IngestChild.class.getName()));
            settings.forEach((k, v) -> command.add(k + "=" + v));
            Process p = new ProcessBuilder(command).redirectError(work.resolve(name + ".err").toFile()).start();
            try {
                ChildOutput out = new ChildOutput(p.getInputStream());
                int port = out.awaitPort(Duration.ofSeconds(60));
                awaitTopic(kafka.bootstrapServers(), raw);
                return new Child(p, out, port, raw);
            } catch (Exception | Error e) {
                p.destroyForcibly();
                throw e;
            }
        }

        void stop() throws Exception {
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static String run(EmbeddedKafka kafka, Child child, Path payload, Path sender, Payload expected)
            throws Exception {
        Thread.sleep(1000); // as bench-peers: let the Kafka client fetch metadata
        Map<TopicPartition, Long> base = endOffsets(kafka.bootstrapServers(), child.topic());
        long baseSum = base.values().stream().mapToLong(Long::longValue).sum();
        AtomicLong doneAtMillis = new AtomicLong();
        Thread watcher = new Thread(() -> doneAtMillis.set(watch(kafka.bootstrapServers(), child.topic(),
                baseSum + expected.lines)));
        watcher.start();
        Duration cpu0 = child.process().info().totalCpuDuration().orElse(Duration.ZERO);
        Map<String, Double> threads0 = ThreadCpu.sample(child.process().pid());
        Map<String, Double> broker0 = ThreadCpu.sample(ProcessHandle.current().pid());
        String senderOut;
        if (sender.toString().startsWith("paced:")) {
            senderOut = paced(payload, child.port(), Integer.parseInt(sender.toString().substring("paced:".length())),
                    expected.lines);
        } else {
            Process py = new ProcessBuilder("timeout", "300", "python3", sender.toString(), payload.toString(),
                    Integer.toString(child.port()), "3", Long.toString(expected.lines)).redirectErrorStream(true)
                    .start();
            senderOut = new String(py.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            py.waitFor();
        }
        watcher.join(TimeUnit.SECONDS.toMillis(240));
        Duration cpu1 = child.process().info().totalCpuDuration().orElse(Duration.ZERO);
        String threads = ThreadCpu.between(threads0, ThreadCpu.sample(child.process().pid()));
        double brokerCpu = ThreadCpu.total(broker0, ThreadCpu.sample(ProcessHandle.current().pid()));
        long start = Long.parseLong(field(senderOut, "t_start_ms"));
        double sendSeconds = Double.parseDouble(field(senderOut, "send_s"));
        double e2e = (doneAtMillis.get() - start) / 1000.0;
        double cpu = (cpu1.toMillis() - cpu0.toMillis()) / 1000.0;
        String stats = child.out().request(child.process().getOutputStream(), Duration.ofSeconds(10));
        Verdict v = verify(kafka.bootstrapServers(), child.topic(), base, expected);
        return String.format("%.0f\t%.1f\t%.2f\t%.2f\t%.1f\t%.1f\t%d\t%d\t%d\t%d\t%d\t%s\t%s",
                expected.lines / e2e, expected.valueBytes / e2e / (1 << 20), e2e, sendSeconds, cpu,
                cpu * 1e6 / expected.lines, v.records, v.exact, v.missing, v.duplicates, v.mismatched,
                threads + String.format(" broker_jvm=%.2f", brokerCpu),
                stats.replace("STATS ", ""));
    }

    /**
     * Sends the payload over 3 Vault-like connections (one write per line, 2 s write timeout) at {@code rate}
     * lines/s in total, for latency under a steady load rather than a flood; prints like sender.py.
     */
    private static String paced(Path payload, int port, int rate, long lines) throws Exception {
        List<byte[]> all = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(payload, StandardCharsets.ISO_8859_1)) {
            for (String l = r.readLine(); l != null && all.size() < lines; l = r.readLine()) {
                all.add(l.getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        int conns = 3;
        long start = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        AtomicLong failed = new AtomicLong();
        for (int c = 0; c < conns; c++) {
            int first = c;
            Thread t = new Thread(() -> {
                try (VaultLikeClient v = new VaultLikeClient(new java.net.InetSocketAddress("127.0.0.1", port))) {
                    double perConnNanos = 1e9 * conns / rate;
                    long n = 0;
                    for (int i = first; i < all.size(); i += conns, n++) {
                        long due = startNanos + (long) (n * perConnNanos);
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                        if (!v.send(all.get(i))) {
                            failed.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        long end = System.currentTimeMillis();
        return "lines=" + all.size() + " t_start_ms=" + start + " t_end_ms=" + end + " send_s="
                + String.format("%.3f", (end - start) / 1000.0) + " failed=" + failed.get();
    }

    private static Map<TopicPartition, Long> endOffsets(String bootstrap, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> q = new HashMap<>();
        for (int i = 0; i < PARTITIONS; i++) {
            q.put(new TopicPartition(topic, i), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> out = new HashMap<>();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.listOffsets(q).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
        }
        return out;
    }

    private static String field(String text, String name) {
        Matcher m = Pattern.compile(name + "=(\\S+)").matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in sender output: " + text);
        }
        return m.group(1);
    }

    private static void awaitTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!admin.listTopics().names().get().contains(topic)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + topic + " not created");
                }
                Thread.sleep(100);
            }
        }
    }

    /** Epoch millis when the topic's end offsets first summed to {@code expected} (polled every 20 ms). */
    private static long watch(String bootstrap, String topic, long expected) {
        Map<TopicPartition, OffsetSpec> q = new HashMap<>();
        for (int i = 0; i < PARTITIONS; i++) {
            q.put(new TopicPartition(topic, i), OffsetSpec.latest());
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            long deadline = System.currentTimeMillis() + 240_000;
            while (System.currentTimeMillis() < deadline) {
                long sum = 0;
                for (var e : admin.listOffsets(q).all().get().values()) {
                    sum += e.offset();
                }
                long now = System.currentTimeMillis();
                if (sum >= expected) {
                    return now;
                }
                Thread.sleep(20);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("topic " + topic + " did not reach " + expected + " records in 240 s");
    }

    record Verdict(long records, long exact, long missing, long duplicates, long mismatched) {
    }

    private static Verdict verify(String bootstrap, String topic, Map<TopicPartition, Long> from, Payload expected)
            throws Exception {
        Map<ByteBuffer, Integer> seen = new HashMap<>();
        long records = 0;
        long mismatched = 0;
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (int i = 0; i < PARTITIONS; i++) {
                parts.add(new TopicPartition(topic, i));
            }
            consumer.assign(parts);
            parts.forEach(p -> consumer.seek(p, from.get(p)));
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    records++;
                    ByteBuffer digest = ByteBuffer.wrap(md5.digest(r.value()));
                    if (expected.digests.containsKey(digest)) {
                        seen.merge(digest, 1, Integer::sum);
                    } else {
                        mismatched++;
                    }
                }
            }
        }
        long exact = 0;
        long duplicates = 0;
        for (var e : expected.digests.entrySet()) {
            int got = seen.getOrDefault(e.getKey(), 0);
            exact += Math.min(got, e.getValue());
            duplicates += Math.max(0, got - e.getValue());
        }
        return new Verdict(records, exact, expected.lines - exact, duplicates, mismatched);
    }

    /** MD5 of every payload line (without its newline), with multiplicity. */
    record Payload(long lines, long valueBytes, Map<ByteBuffer, Integer> digests) {
        static Payload read(Path file) throws IOException, NoSuchAlgorithmException {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            Map<ByteBuffer, Integer> digests = new HashMap<>();
            long lines = 0;
            long bytes = 0;
            // streamed: a million-line payload is 1.5 GB, more than this JVM's heap
            try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
                byte[] buf = new byte[1 << 20];
                int n;
                long lineBytes = 0;
                while ((n = in.read(buf)) > 0) {
                    int start = 0;
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n') {
                            md5.update(buf, start, i - start);
                            digests.merge(ByteBuffer.wrap(md5.digest()), 1, Integer::sum);
                            lines++;
                            bytes += lineBytes + i - start;
                            lineBytes = 0;
                            start = i + 1;
                        }
                    }
                    md5.update(buf, start, n - start);
                    lineBytes += n - start;
                }
            }
            return new Payload(lines, bytes, digests);
        }
    }

    /** Reads the child's stdout on a thread: its port, status lines, and the answer to STATS. */
    private static final class ChildOutput {
        private volatile int port;
        private volatile String stats;

        ChildOutput(InputStream in) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        if (line.startsWith("LISTENING ")) {
                            port = Integer.parseInt(line.substring("LISTENING ".length()));
                        } else if (line.startsWith("STATS ")) {
                            stats = line;
                        }
                    }
                } catch (IOException e) {
                    // the child ended
                }
            }, "bench-child-out");
            t.setDaemon(true);
            t.start();
        }

        int awaitPort(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (port == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("ingest child did not start listening");
                }
                Thread.sleep(20);
            }
            return port;
        }

        String request(OutputStream stdin, Duration timeout) throws IOException, InterruptedException {
            stats = null;
            stdin.write("STATS\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (stats == null && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            return stats == null ? "STATS none" : stats;
        }
    }
}
