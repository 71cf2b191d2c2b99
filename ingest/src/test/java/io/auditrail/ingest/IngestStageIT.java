package io.auditrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.core.parse.ParseFailure;
import io.auditrail.core.testing.StageBalance;
import io.auditrail.core.testing.VaultSamples;
import io.auditrail.core.topic.RecordHeaders;
import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EmbeddedServicesExtension.class)
class IngestStageIT {
    @TempDir
    Path temp;

    static Map<String, String> settings(String bootstrap, Path spoolDir, String topicSuffix) {
        Map<String, String> s = new HashMap<>();
        s.put(CoreConfig.KAFKA_BOOTSTRAP_SERVERS, bootstrap);
        s.put(CoreConfig.TOPIC_RAW, "raw-" + topicSuffix);
        s.put(CoreConfig.TOPIC_DLQ, "dlq-" + topicSuffix);
        s.put(IngestConfig.LISTEN_ADDRESS, "127.0.0.1:0");
        s.put(IngestConfig.SPOOL_DIR, spoolDir.toString());
        s.put(IngestConfig.SHUTDOWN_DRAIN_TIMEOUT_MS, "5000");
        return s;
    }

    static void assertNothingLost(IngestMetrics m) {
        StageBalance.assertBalanced(m.records());
    }

    /** A stage that restarted on a spool the {@code before} process left: together they lost nothing. */
    static void assertNothingLostAcross(IngestMetrics before, IngestMetrics after) {
        assertThat(after.linesDropped()).as("dropped after restart").isZero();
        assertThat(before.linesReceived() - before.linesDropped() + after.linesReceived())
                .as("accepted by both runs = delivered by both runs")
                .isEqualTo(before.linesSent() + before.linesToDlq() + after.linesSent() + after.linesToDlq());
    }

    static List<String> asText(List<byte[]> lines) {
        return lines.stream().map(b -> new String(b, StandardCharsets.ISO_8859_1)).sorted().toList();
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Sends each share of lines over its own Vault-like connection, all at once. */
    static List<VaultLikeClient> sendConcurrently(List<SocketAddress> targets, List<List<byte[]>> shares)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(shares.size());
        try {
            List<VaultLikeClient> clients = new ArrayList<>();
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < shares.size(); i++) {
                VaultLikeClient c = new VaultLikeClient(targets.get(i % targets.size()));
                clients.add(c);
                List<byte[]> share = shares.get(i);
                done.add(pool.submit(() -> share.forEach(c::send)));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            clients.forEach(VaultLikeClient::close);
            return clients;
        } finally {
            pool.shutdownNow();
        }
    }

    static <T> List<List<T>> split(List<T> all, int parts) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            out.add(new ArrayList<>());
        }
        for (int i = 0; i < all.size(); i++) {
            out.get(i % parts).add(all.get(i));
        }
        return out;
    }

    @Test
    @Timeout(90)
    void generatedEntriesFromSeveralConnectionsArriveByteExactWithKeysAndHeaders(EmbeddedKafka kafka) throws Exception {
        String suffix = UUID.randomUUID().toString();
        Map<String, String> s = settings(kafka.bootstrapServers(), temp.resolve("spool"), suffix);
        Path socket = temp.resolve("vault.sock");
        s.put(IngestConfig.UNIX_SOCKET_PATH, socket.toString());
        List<byte[]> lines = AuditLines.pairs(42, 3000);
        var registry = new SimpleMeterRegistry();
        try (IngestStage stage = IngestStage.start(Settings.of(s), registry)) {
            List<SocketAddress> targets = List.of(stage.tcpAddress().orElseThrow(),
                    stage.tcpAddress().orElseThrow(), stage.tcpAddress().orElseThrow(),
                    UnixDomainSocketAddress.of(socket));
            List<VaultLikeClient> clients = sendConcurrently(targets, split(lines, 4));
            assertThat(clients).allSatisfy(c -> assertThat(c.failed()).isZero());
            IngestMetrics m = stage.metrics();
            await().atMost(Duration.ofSeconds(60)).until(() -> m.linesSent() == lines.size());

            List<ConsumerRecord<byte[], byte[]>> raw = TopicReader.readAll(kafka.bootstrapServers(), "raw-" + suffix,
                    lines.size(), Duration.ofSeconds(30));
            assertThat(asText(raw.stream().map(ConsumerRecord::value).toList())).isEqualTo(asText(lines));
            for (ConsumerRecord<byte[], byte[]> r : raw) {
                String value = new String(r.value(), StandardCharsets.UTF_8);
                String key = new String(r.key(), StandardCharsets.UTF_8);
                assertThat(value).contains("\"request\":{\"id\":\"" + key + "\"");
                assertThat(header(r, RecordHeaders.SOURCE_NODE)).isNotBlank();
                assertThat(Instant.parse(header(r, RecordHeaders.RECEIVED_AT))).isBefore(Instant.now());
                assertThat(header(r, RecordHeaders.LISTENER)).matches("(tcp://127\\.0\\.0\\.1:\\d+|unix://.*vault\\.sock)");
            }
            // request and response meet in one partition
            Map<String, Integer> partitionOfKey = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : raw) {
                Integer before = partitionOfKey.putIfAbsent(new String(r.key(), StandardCharsets.UTF_8), r.partition());
                assertThat(before == null || before == r.partition()).isTrue();
            }
            assertThat(raw.stream().map(r -> header(r, RecordHeaders.LISTENER)).distinct()).hasSize(2);
            assertNothingLost(m);
            assertThat(m.linesReceived()).isEqualTo(lines.size());
            assertThat(m.latency().count()).isBetween(1L, (long) lines.size());
            // per Vault node: the three TCP connections are one node (127.0.0.1); the unix socket is its listener
            double tcp = registry.get("auditrail.ingest.node.lines.received").tag("node", "127.0.0.1").counter()
                    .count();
            double total = registry.get("auditrail.ingest.node.lines.received").counters().stream()
                    .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
            assertThat(total).isEqualTo(lines.size());
            assertThat(tcp).isEqualTo(lines.size() - split(lines, 4).get(3).size());
        }
    }

    @Test
    @Timeout(60)
    void theRealVaultSamplesArriveByteExact(EmbeddedKafka kafka) throws Exception {
        List<byte[]> samples = VaultSamples.lines(VaultSamples.require()).stream().map(VaultSamples.Line::bytes)
                .toList();
        String suffix = UUID.randomUUID().toString();
        try (IngestStage stage = IngestStage.start(Settings.of(settings(kafka.bootstrapServers(),
                temp.resolve("spool"), suffix)), new SimpleMeterRegistry())) {
            InetSocketAddress at = stage.tcpAddress().orElseThrow();
            sendConcurrently(List.of(at), split(samples, 3));
            await().atMost(Duration.ofSeconds(30)).until(() -> stage.metrics().linesSent() == samples.size());
            List<ConsumerRecord<byte[], byte[]>> raw = TopicReader.readAll(kafka.bootstrapServers(), "raw-" + suffix,
                    samples.size(), Duration.ofSeconds(20));
            assertThat(asText(raw.stream().map(ConsumerRecord::value).toList())).isEqualTo(asText(samples));
            // the enable-time probe's request id, as captured from a real Vault
            assertThat(raw.stream().filter(r -> r.key() != null)
                    .map(r -> new String(r.key(), StandardCharsets.UTF_8)))
                    .contains("b513fe1e-a8c0-3058-c27b-a471e13b0290");
            assertNothingLost(stage.metrics());
        }
    }

    @Test
    @Timeout(90)
    void badInputIsCountedAndWellBehavedConnectionsKeepBeingServed(EmbeddedKafka kafka) throws Exception {
        String suffix = UUID.randomUUID().toString();
        Map<String, String> s = settings(kafka.bootstrapServers(), temp.resolve("spool"), suffix);
        s.put(IngestConfig.MAX_LINE_BYTES, Integer.toString(4 << 20));
        // this test is about what many quiet connections and a slow one cost (nothing for the others), so its 500
        // idle connections from one address and its 10 s line stay within the limits (tested in IngestAdmissionIT)
        s.put(IngestConfig.MAX_CONNECTIONS_PER_ADDRESS, "1024");
        s.put(IngestConfig.FIRST_LINE_TIMEOUT_MS, "0");
        s.put(IngestConfig.LINE_TIMEOUT_MS, "60000");
        List<byte[]> good = AuditLines.pairs(7, 1000);
        byte[] malformed1 = "{\"type\":\"request\",\"request\":{\"id\":\"x\"".getBytes(StandardCharsets.UTF_8);
        byte[] malformed2 = "not json at all".getBytes(StandardCharsets.UTF_8);
        byte[] garbage = new byte[10_000];
        new Random(3).nextBytes(garbage);
        for (int i = 0; i < garbage.length; i++) {
            if (garbage[i] == '\n') {
                garbage[i] = '?';
            }
        }
        byte[] twoMb = new byte[2 << 20];
        Arrays.fill(twoMb, (byte) 'm');
        byte[] tenMb = new byte[10 << 20];
        Arrays.fill(tenMb, (byte) 't');
        System.arraycopy("HEAD".getBytes(StandardCharsets.UTF_8), 0, tenMb, 0, 4);
        byte[] slow = "{\"slow\":1}".getBytes(StandardCharsets.UTF_8);

        try (IngestStage stage = IngestStage.start(Settings.of(s), new SimpleMeterRegistry())) {
            InetSocketAddress at = stage.tcpAddress().orElseThrow();
            IngestMetrics m = stage.metrics();
            List<SocketChannel> idle = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                for (int i = 0; i < 500; i++) {
                    idle.add(SocketChannel.open(at));
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> m.openConnections() >= 500);
                long heapBefore = usedHeap();

                Future<?> slowSender = pool.submit(() -> {
                    try (SocketChannel ch = SocketChannel.open(at)) {
                        for (byte b : slow) {
                            ch.write(ByteBuffer.wrap(new byte[] {b}));
                            Thread.sleep(1000);
                        }
                        ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
                        return null;
                    }
                });
                Future<?> badSender = pool.submit(() -> {
                    try (VaultLikeClient c = new VaultLikeClient(at, Duration.ofSeconds(10))) {
                        for (byte[] line : List.of(malformed1, malformed2, garbage, twoMb, tenMb)) {
                            assertThat(c.send(line)).isTrue();
                        }
                        c.writeRaw("{\"half\":\"a line cut by a failed write".getBytes(StandardCharsets.UTF_8));
                    }
                    return null;
                });
                long goodStart = System.nanoTime();
                VaultLikeClient wellBehaved = sendConcurrently(List.of(at), List.of(good)).get(0);
                Duration goodTook = Duration.ofNanos(System.nanoTime() - goodStart);
                badSender.get(30, TimeUnit.SECONDS);
                slowSender.get(30, TimeUnit.SECONDS);
                // the slow client did not hold the others up: they finished while it was still typing
                assertThat(goodTook).isLessThan(Duration.ofSeconds(8));
                assertThat(wellBehaved.longestWrite()).isLessThan(Duration.ofSeconds(2));
                assertThat(usedHeap() - heapBefore).as("heap growth").isLessThan(200L << 20);

                int rawExpected = good.size() + 4; // + two malformed, the garbage, the slow line
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> m.linesSent() == rawExpected && m.linesToDlq() == 2 && m.fragmentsDiscarded() == 1);
                List<ConsumerRecord<byte[], byte[]>> raw = TopicReader.readAll(kafka.bootstrapServers(),
                        "raw-" + suffix, rawExpected, Duration.ofSeconds(20));
                List<byte[]> expectedRaw = new ArrayList<>(good);
                expectedRaw.addAll(List.of(malformed1, malformed2, garbage, slow));
                assertThat(asText(raw.stream().map(ConsumerRecord::value).toList())).isEqualTo(asText(expectedRaw));
                assertThat(raw.stream().filter(r -> Arrays.equals(r.value(), malformed2)).findFirst().orElseThrow()
                        .key()).isNull();

                List<ConsumerRecord<byte[], byte[]>> dlq = TopicReader.readAll(kafka.bootstrapServers(),
                        "dlq-" + suffix, 2, Duration.ofSeconds(20));
                assertThat(dlq).hasSize(2);
                ConsumerRecord<byte[], byte[]> whole = dlq.stream().filter(r -> r.value().length == twoMb.length)
                        .findFirst().orElseThrow();
                assertThat(whole.value()).isEqualTo(twoMb);
                ConsumerRecord<byte[], byte[]> truncated = dlq.stream().filter(r -> r.value().length == 1 << 20)
                        .findFirst().orElseThrow();
                assertThat(Arrays.equals(truncated.value(), 0, 1 << 20, tenMb, 0, 1 << 20)).isTrue();
                assertThat(dlq).allSatisfy(r -> {
                    assertThat(header(r, RecordHeaders.DLQ_FAILURE)).isEqualTo(ParseFailure.OVERSIZE.name());
                    assertThat(header(r, RecordHeaders.DLQ_STAGE)).isEqualTo("ingest");
                    assertThat(header(r, RecordHeaders.SOURCE_NODE)).isNotBlank();
                });
                assertThat(header(truncated, RecordHeaders.DLQ_REASON)).contains("truncated", "10485760");
                assertThat(m.linesToDlq(LineKind.OVERSIZE)).isEqualTo(1);
                assertThat(m.linesToDlq(LineKind.OVERSIZE_TRUNCATED)).isEqualTo(1);
                assertThat(m.openConnections()).isGreaterThanOrEqualTo(500);
                assertNothingLost(m);
            } finally {
                pool.shutdownNow();
                for (SocketChannel ch : idle) {
                    ch.close();
                }
            }
        }
    }

    @Test
    @Timeout(30)
    void connectionsBeyondTheLimitAreRefusedAndCountedOnceEveryOpenOneIsTrusted(EmbeddedKafka kafka) throws Exception {
        Map<String, String> s = settings(kafka.bootstrapServers(), temp.resolve("spool"), UUID.randomUUID().toString());
        s.put(IngestConfig.MAX_CONNECTIONS, "2");
        List<byte[]> lines = AuditLines.pairs(11, 1);
        try (IngestStage stage = IngestStage.start(Settings.of(s), new SimpleMeterRegistry());
             VaultLikeClient a = new VaultLikeClient(stage.tcpAddress().orElseThrow());
             VaultLikeClient b = new VaultLikeClient(stage.tcpAddress().orElseThrow())) {
            assertThat(a.send(lines.get(0))).isTrue();
            assertThat(b.send(lines.get(1))).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> stage.metrics().linesSent() == 2);
            try (SocketChannel c = SocketChannel.open(stage.tcpAddress().orElseThrow())) {
                assertThat(c.read(ByteBuffer.allocate(1))).isEqualTo(-1);
            }
            assertThat(stage.metrics().connectionsRefused()).isEqualTo(1);
            assertThat(stage.metrics().openConnections()).isEqualTo(2);
        }
    }

    @Test
    @Timeout(60)
    void aStageWhoseReceiverThreadStoppedIsNotReady(EmbeddedKafka kafka) throws Exception {
        Map<String, String> s = settings(kafka.bootstrapServers(), temp.resolve("spool"), UUID.randomUUID().toString());
        try (IngestStage stage = IngestStage.start(Settings.of(s), new SimpleMeterRegistry())) {
            await().atMost(Duration.ofSeconds(10)).until(stage::isReady);
            // the sender and the rest still run: only the thread reading Vault's connections is gone
            stage.receiver().close();
            assertThat(stage.receiver().isReading()).isFalse();
            assertThat(stage.notReadyReason()).contains("receiver", "no longer reading from Vault");
            assertThat(stage.isReady()).isFalse();
        }
    }

    @Test
    @Timeout(60)
    void aPortInUseFailsStartUpAndLeavesTheSpoolFree(EmbeddedKafka kafka) throws Exception {
        Map<String, String> first = settings(kafka.bootstrapServers(), temp.resolve("a"), UUID.randomUUID().toString());
        try (IngestStage running = IngestStage.start(Settings.of(first), new SimpleMeterRegistry())) {
            Map<String, String> clash = settings(kafka.bootstrapServers(), temp.resolve("b"), "clash");
            clash.put(IngestConfig.LISTEN_ADDRESS, "127.0.0.1:" + running.tcpAddress().orElseThrow().getPort());
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> IngestStage.start(Settings.of(clash), new SimpleMeterRegistry()))
                    .isInstanceOf(java.net.BindException.class);
            // the failed start released its spool: the same directory opens again
            clash.put(IngestConfig.LISTEN_ADDRESS, "127.0.0.1:0");
            try (IngestStage again = IngestStage.start(Settings.of(clash), new SimpleMeterRegistry())) {
                assertThat(again.isReady()).isTrue();
            }
            // and a second process on a spool in use is refused
            first.put(IngestConfig.LISTEN_ADDRESS, "127.0.0.1:0");
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> IngestStage.start(Settings.of(first), new SimpleMeterRegistry()))
                    .isInstanceOf(IOException.class).hasMessageContaining("in use");
        }
    }

    private static long usedHeap() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
