package io.auditrail.ingest;

import io.auditrail.embedded.EmbeddedKafka;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 17, item 4: an ingest process with its deployed heap ({@code -Xms256m -Xmx256m -XX:+AlwaysPreTouch}) under
 * a flood, while a well-behaved "Vault" connection keeps writing. The flood: {@code hogs} peers (each from its own
 * loopback address) sending 8 MiB without a newline, again whenever they are cut off, and {@code idle} connections
 * that send nothing, more than {@code ingest.max.connections}. Vault writes prefixed lines at a steady pace from
 * 127.0.0.1 and reconnects twice during the flood, as after a failover. Used by {@link IngestFloodIT} (the bounded
 * defaults) and by {@link #main} (the benchmark: the same flood with and without the partial-line budget).
 */
final class IngestFlood {
    static final String PREFIX = "floodtest-0123456789abcdef";

    /** The flood's shape. */
    record Shape(int hogs, int hogBytes, int idle, Duration length, int vaultLinesPerSecond) {
        static final Shape DEFAULT = new Shape(40, 8 << 20, 1500, Duration.ofSeconds(20), 200);
    }

    /**
     * What came out.
     *
     * @param vaultWritten   lines the Vault client wrote without a failed write (a failure would be a 500 in Vault)
     * @param vaultFailed    lines whose write and one retry both failed
     * @param vaultDelivered of those, records on the raw topic
     * @param underFlood     the child's STATS line while the flood was on (heap after a full GC = what is live)
     * @param after          its STATS line after the flood
     */
    record Result(long vaultWritten, long vaultFailed, long vaultDelivered, long hogBytesSent, long idleOpened,
                  String underFlood, String after, boolean childAlive) {
        long stat(boolean flood, String key) {
            String line = flood ? underFlood : after;
            for (String f : line.split(" ")) {
                if (f.startsWith(key + "=")) {
                    return (long) Double.parseDouble(f.substring(key.length() + 1));
                }
            }
            return -1;
        }
    }

    private IngestFlood() {
    }

    static Result run(EmbeddedKafka kafka, Path work, String name, Map<String, String> extra, Shape shape)
            throws Exception {
        Map<String, String> settings = IngestStageIT.settings(kafka.bootstrapServers(), work.resolve("spool-" + name),
                name);
        settings.put(IngestConfig.AUTH_PREFIXES, "vault=" + PREFIX);
        settings.putAll(extra);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch", "-cp", classPath(),
                IngestChild.class.getName()));
        settings.forEach((k, v) -> command.add(k + "=" + v));
        Files.createDirectories(work);
        Process child = new ProcessBuilder(command).redirectError(work.resolve(name + ".err").toFile()).start();
        ChildLines out = new ChildLines(child);
        try {
            InetSocketAddress at = new InetSocketAddress("127.0.0.1", out.awaitPort(Duration.ofSeconds(60)));
            AtomicBoolean flooding = new AtomicBoolean(true);
            List<Thread> threads = new ArrayList<>();
            AtomicLong hogBytes = new AtomicLong();
            byte[] chunk = new byte[256 << 10];
            Arrays.fill(chunk, (byte) 'h');
            for (int i = 0; i < shape.hogs(); i++) {
                String from = "127.0.1." + (i + 1);
                threads.add(start("hog-" + i, () -> hog(at, from, chunk, shape.hogBytes(), flooding, hogBytes)));
            }
            List<SocketChannel> idle = new ArrayList<>();
            Thread opener = start("idle-opener", () -> openIdle(at, shape.idle(), idle, flooding));
            List<byte[]> lines = AuditLines.pairs(Instant.now().toEpochMilli(),
                    (int) (shape.vaultLinesPerSecond() * shape.length().toSeconds() / 2 + 1));
            AtomicLong written = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            List<byte[]> delivered = new ArrayList<>();
            Thread vault = start("vault", () -> vault(at, lines, shape, written, failed, delivered, flooding));

            Thread.sleep(shape.length().toMillis() * 3 / 4);
            String underFlood = out.stats(Duration.ofSeconds(30));
            Thread.sleep(shape.length().toMillis() / 4);
            flooding.set(false);
            for (Thread t : threads) {
                t.join(30_000);
            }
            opener.join(30_000);
            vault.join(60_000);
            synchronized (idle) {
                for (SocketChannel ch : idle) {
                    ch.close();
                }
            }
            long expected;
            synchronized (delivered) {
                expected = delivered.size();
            }
            out.awaitSent(expected, Duration.ofSeconds(60));
            long onTopic = TopicReader.readAll(kafka.bootstrapServers(), "raw-" + name, expected,
                    Duration.ofSeconds(30)).size();
            String after = out.stats(Duration.ofSeconds(30));
            boolean alive = child.isAlive() && !after.equals("STATS none");
            return new Result(written.get(), failed.get(), onTopic, hogBytes.get(), idle.size(), underFlood, after,
                    alive);
        } finally {
            child.getOutputStream().close();
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    private static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, "flood-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Sends {@code bytes} without a newline, holds the connection, and starts again whenever it is cut off. */
    private static void hog(InetSocketAddress at, String from, byte[] chunk, int bytes, AtomicBoolean flooding,
                            AtomicLong sent) {
        while (flooding.get()) {
            try (SocketChannel ch = SocketChannel.open()) {
                ch.bind(IngestAdmissionIT.from(from));
                ch.connect(at);
                for (int done = 0; done < bytes && flooding.get(); done += chunk.length) {
                    ByteBuffer b = ByteBuffer.wrap(chunk, 0, Math.min(chunk.length, bytes - done));
                    while (b.hasRemaining()) {
                        sent.addAndGet(ch.write(b));
                    }
                }
                while (flooding.get()) {
                    Thread.sleep(200);
                    ch.write(ByteBuffer.wrap(chunk, 0, 1)); // still held? a cut-off connection fails here
                    sent.incrementAndGet();
                }
            } catch (IOException e) {
                sleepQuietly(100); // cut off (budget, line deadline): connect again
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void openIdle(InetSocketAddress at, int count, List<SocketChannel> idle, AtomicBoolean flooding) {
        for (int i = 0; i < count && flooding.get(); i++) {
            try {
                SocketChannel ch = SocketChannel.open();
                ch.bind(IngestAdmissionIT.from("127.0.2." + (1 + i % 250)));
                ch.connect(at);
                synchronized (idle) {
                    idle.add(ch);
                }
            } catch (IOException e) {
                sleepQuietly(10);
            }
        }
    }

    /** Vault: prefixed lines at a steady pace, a reconnect at each third of the flood. */
    private static void vault(InetSocketAddress at, List<byte[]> lines, Shape shape, AtomicLong written,
                              AtomicLong failed, List<byte[]> delivered, AtomicBoolean flooding) {
        long pauseNanos = TimeUnit.SECONDS.toNanos(1) / shape.vaultLinesPerSecond();
        long start = System.nanoTime();
        long reconnectEvery = shape.length().toNanos() / 3;
        int reconnects = 0;
        VaultLikeClient client = new VaultLikeClient(at);
        try {
            for (int i = 0; i < lines.size() && flooding.get(); i++) {
                if ((System.nanoTime() - start) / reconnectEvery > reconnects) {
                    reconnects++;
                    client.close();
                    client = new VaultLikeClient(at); // a failover: the new active node connects afresh
                }
                if (client.send(IngestAdmissionIT.prefixed(PREFIX, lines.get(i)))) {
                    written.incrementAndGet();
                    synchronized (delivered) {
                        delivered.add(lines.get(i));
                    }
                } else {
                    failed.incrementAndGet();
                }
                long next = start + (i + 1) * pauseNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    sleepQuietly(TimeUnit.NANOSECONDS.toMillis(wait));
                }
            }
        } finally {
            client.close();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** The child's stdout: its port, its SENT count and the answers to STATS. */
    private static final class ChildLines {
        private final OutputStream stdin;
        private volatile int port;
        private volatile long sent;
        private volatile String stats;

        ChildLines(Process p) {
            this.stdin = p.getOutputStream();
            start("child-out", () -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        String[] f = line.split(" ");
                        if (f[0].equals("LISTENING")) {
                            port = Integer.parseInt(f[1]);
                        } else if (f[0].equals("RECEIVED")) {
                            sent = Long.parseLong(f[3]);
                        } else if (f[0].equals("STATS")) {
                            stats = line;
                        }
                    }
                } catch (IOException e) {
                    // the child ended
                }
            });
        }

        int awaitPort(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (port == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (port == 0) {
                throw new IllegalStateException("the ingest child did not start listening");
            }
            return port;
        }

        void awaitSent(long lines, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (sent < lines && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }

        String stats(Duration timeout) throws InterruptedException {
            stats = null;
            try {
                stdin.write("STATS\n".getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            } catch (IOException e) {
                return "STATS none";
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (stats == null && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            return stats == null ? "STATS none" : stats;
        }
    }

    /**
     * The benchmark, side by side in one session: Vault alone (the baseline), the flood against the defaults, and the
     * flood against a budget too large to bind. Usage: {@code IngestFlood [hogs idle seconds]}.
     */
    public static void main(String[] args) throws Exception {
        Shape shape = args.length >= 3 ? new Shape(Integer.parseInt(args[0]), 8 << 20, Integer.parseInt(args[1]),
                Duration.ofSeconds(Integer.parseInt(args[2])), 200) : Shape.DEFAULT;
        Path work = Files.createTempDirectory("ingest-flood-");
        try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafka.Config.of(work.resolve("kafka"))).start()) {
            System.out.println("variant\tvault_written\tvault_failed\tvault_delivered\thog_MiB_sent\tidle_opened\t"
                    + "child_alive\tunder_flood\tafter");
            Shape quiet = new Shape(0, shape.hogBytes(), 0, shape.length(), shape.vaultLinesPerSecond());
            for (var variant : List.of(Map.entry("no-flood", Map.<String, String>of()),
                    Map.entry("bounded-defaults", Map.<String, String>of()),
                    Map.entry("budget-off", Map.of(IngestConfig.PARTIAL_LINES_MAX_BYTES, Long.toString(1L << 40))))) {
                Result r = run(kafka, work, variant.getKey(), variant.getValue(),
                        variant.getKey().equals("no-flood") ? quiet : shape);
                System.out.println(variant.getKey() + "\t" + r.vaultWritten() + "\t" + r.vaultFailed() + "\t"
                        + r.vaultDelivered() + "\t" + (r.hogBytesSent() >> 20) + "\t" + r.idleOpened() + "\t"
                        + r.childAlive() + "\t" + r.underFlood() + "\t" + r.after());
            }
        }
        System.out.println("children's logs: " + work);
    }
}
