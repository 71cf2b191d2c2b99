package io.auditrail.ingest;

import static io.auditrail.ingest.IngestStageIT.asText;
import static io.auditrail.ingest.IngestStageIT.header;
import static io.auditrail.ingest.IngestStageIT.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.auditrail.core.testing.StageBalance;
import io.auditrail.core.config.Settings;
import io.auditrail.core.topic.RecordHeaders;
import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, items 4 and 5, from the outside: who may put lines into {@code vault.audit.raw}, and what a peer can make
 * ingest hold. Peers at other addresses are played by connections from other loopback addresses (127.0.0.0/8 all
 * reach this host), so the allowlist and the per-address rules see distinct hosts.
 */
@ExtendWith(EmbeddedServicesExtension.class)
class IngestAdmissionIT {
    private static final String PREFIX_A = "pA7f3c9e1d5b8a2064f1e3";
    private static final String PREFIX_B = "pB0c4d8e2f6a1b5c9d3e7f";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    static InetSocketAddress from(String host) {
        return new InetSocketAddress(host, 0);
    }

    static byte[] prefixed(String prefix, byte[] line) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(p, p.length + line.length);
        System.arraycopy(line, 0, out, p.length, line.length);
        return out;
    }

    private static byte[] spoof(String tenant) {
        return ("{\"time\":\"2026-11-28T12:00:00Z\",\"type\":\"request\",\"auth\":{\"display_name\":\"ghost\","
                + "\"metadata\":{\"tenant_id\":\"" + tenant + "\"}},\"request\":{\"id\":\"" + UUID.randomUUID()
                + "\",\"operation\":\"read\",\"path\":\"secret/data/tenants/" + tenant + "/db\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A connection from {@code host} that writes {@code bytes} and returns; the caller closes it. */
    private static SocketChannel raw(InetSocketAddress at, String host, byte[] bytes) throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.bind(from(host));
        ch.connect(at);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            ch.write(b);
        }
        return ch;
    }

    /** Like {@link #raw}, for a peer that may be shed while it writes (its write then fails: it is the point). */
    static SocketChannel hog(InetSocketAddress at, String host, byte[] bytes) throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.bind(from(host));
        ch.connect(at);
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        } catch (IOException e) {
            // closed by ingest before all of it was sent
        }
        return ch;
    }

    /** Whether the server closed the connection (a read sees the end), within {@code within}. */
    private static boolean closedByServer(SocketChannel ch, Duration within) throws IOException {
        ch.socket().setSoTimeout((int) within.toMillis());
        try {
            return ch.socket().getInputStream().read() == -1;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset: closed as well
        }
    }

    private static void assertBalanced(IngestMetrics m) {
        StageBalance.assertBalancedWithDrops(m.records());
    }

    @Test
    @Timeout(90)
    void linesWithoutAValidPrefixAreKeptAsideAndGoodOnesArriveWithoutIt(EmbeddedKafka kafka) throws Exception {
        String suffix = UUID.randomUUID().toString();
        Map<String, String> s = settings(kafka.bootstrapServers(), temp.resolve("spool"), suffix);
        s.put(IngestConfig.AUTH_PREFIXES, "vault-a=" + PREFIX_A + ",vault-b=" + PREFIX_B);
        List<byte[]> lines = AuditLines.pairs(21, 50);
        List<List<byte[]>> halves = IngestStageIT.split(lines, 2);
        byte[] bare = spoof("victim");
        byte[] wrong = prefixed(PREFIX_A.substring(0, PREFIX_A.length() - 1) + "X", spoof("victim"));
        byte[] otherSecret = prefixed("pZZZZZZZZZZZZZZZZZZZZZ", spoof("victim"));
        try (IngestStage stage = IngestStage.start(Settings.of(s), new SimpleMeterRegistry());
             VaultLikeClient a = new VaultLikeClient(stage.tcpAddress().orElseThrow());
             VaultLikeClient b = new VaultLikeClient(stage.tcpAddress().orElseThrow(), Duration.ofSeconds(2),
                     from("127.0.0.2"));
             VaultLikeClient attacker = new VaultLikeClient(stage.tcpAddress().orElseThrow(), Duration.ofSeconds(2),
                     from("127.0.0.3"))) {
            for (int i = 0; i < halves.get(0).size(); i++) {
                assertThat(a.send(prefixed(PREFIX_A, halves.get(0).get(i)))).isTrue();
                assertThat(b.send(prefixed(PREFIX_B, halves.get(1).get(i)))).isTrue();
                if (i == 10) {
                    assertThat(attacker.send(bare)).isTrue();
                    assertThat(attacker.send(wrong)).isTrue();
                    // on Vault's own, already trusted connection: still checked line by line
                    assertThat(a.send(otherSecret)).isTrue();
                }
            }
            IngestMetrics m = stage.metrics();
            await().atMost(WAIT).until(() -> m.linesSent() == lines.size() && m.linesToDlq() == 3);

            List<ConsumerRecord<byte[], byte[]>> raw = TopicReader.readAll(kafka.bootstrapServers(), "raw-" + suffix,
                    lines.size(), WAIT);
            assertThat(asText(raw.stream().map(ConsumerRecord::value).toList()))
                    .as("exactly Vault's lines, without their prefixes").isEqualTo(asText(lines));
            for (ConsumerRecord<byte[], byte[]> r : raw) {
                String name = header(r, RecordHeaders.SOURCE_NAME);
                assertThat(name).isIn("vault-a", "vault-b");
                assertThat(header(r, RecordHeaders.SOURCE_NODE))
                        .startsWith(name.equals("vault-a") ? "127.0.0.1:" : "127.0.0.2:");
                assertThat(new String(r.value(), StandardCharsets.UTF_8)).doesNotContain("victim")
                        .doesNotContain(PREFIX_A).doesNotContain(PREFIX_B).startsWith("{");
            }
            List<ConsumerRecord<byte[], byte[]>> dlq = TopicReader.readAll(kafka.bootstrapServers(), "dlq-" + suffix,
                    3, WAIT);
            assertThat(dlq).hasSize(3).allSatisfy(r -> {
                assertThat(header(r, RecordHeaders.DLQ_FAILURE)).isEqualTo("PREFIX_REFUSED");
                assertThat(header(r, RecordHeaders.DLQ_REASON)).contains(IngestConfig.AUTH_PREFIXES);
                assertThat(header(r, RecordHeaders.DLQ_STAGE)).isEqualTo("ingest");
                assertThat(r.headers().lastHeader(RecordHeaders.SOURCE_NAME)).isNull();
            });
            assertThat(asText(dlq.stream().map(ConsumerRecord::value).toList()))
                    .isEqualTo(asText(List.of(bare, wrong, otherSecret)));
            assertThat(dlq.stream().map(r -> header(r, RecordHeaders.SOURCE_NODE)))
                    .anySatisfy(src -> assertThat(src).startsWith("127.0.0.3:"))
                    .anySatisfy(src -> assertThat(src).startsWith("127.0.0.1:"));
            assertThat(m.linesToDlq(LineKind.PREFIX_REFUSED)).isEqualTo(3);
            assertThat(m.linesReceived()).isEqualTo(lines.size() + 3);
            assertBalanced(m);
            assertThat(m.linesDropped()).isZero();
        }
    }

    @Test
    @Timeout(90)
    void aPeerOutsideTheAllowlistHasItsFirstLineKeptAsideAndIsClosed(EmbeddedKafka kafka) throws Exception {
        String suffix = UUID.randomUUID().toString();
        Map<String, String> s = settings(kafka.bootstrapServers(), temp.resolve("spool"), suffix);
        s.put(IngestConfig.ALLOWED_CIDRS, "127.0.0.2/32");
        List<byte[]> lines = AuditLines.pairs(22, 10);
        byte[] first = spoof("victim");
        byte[] second = spoof("victim-2");
        byte[] endless = new byte[10_000];
        Arrays.fill(endless, (byte) 'e');
        try (IngestStage stage = IngestStage.start(Settings.of(s), new SimpleMeterRegistry());
             VaultLikeClient vault = new VaultLikeClient(stage.tcpAddress().orElseThrow(), Duration.ofSeconds(2),
                     from("127.0.0.2"))) {
            InetSocketAddress at = stage.tcpAddress().orElseThrow();
            IngestMetrics m = stage.metrics();
            byte[] both = new byte[first.length + second.length + 2];
            System.arraycopy(first, 0, both, 0, first.length);
            both[first.length] = '\n';
            System.arraycopy(second, 0, both, first.length + 1, second.length);
            both[both.length - 1] = '\n';
            try (SocketChannel stranger = raw(at, "127.0.0.1", both);
                 SocketChannel flooder = raw(at, "127.0.0.4", endless)) {
                lines.forEach(l -> assertThat(vault.send(l)).isTrue());
                assertThat(closedByServer(stranger, Duration.ofSeconds(10))).isTrue();
                assertThat(closedByServer(flooder, Duration.ofSeconds(10))).isTrue();
            }
            await().atMost(WAIT).until(() -> m.linesSent() == lines.size() && m.linesToDlq() == 2);

            List<ConsumerRecord<byte[], byte[]>> raw = TopicReader.readAll(kafka.bootstrapServers(), "raw-" + suffix,
                    lines.size(), WAIT);
            assertThat(asText(raw.stream().map(ConsumerRecord::value).toList())).isEqualTo(asText(lines));
            List<ConsumerRecord<byte[], byte[]>> dlq = TopicReader.readAll(kafka.bootstrapServers(), "dlq-" + suffix,
                    2, WAIT);
            assertThat(dlq).hasSize(2).allSatisfy(r -> {
                assertThat(header(r, RecordHeaders.DLQ_FAILURE)).isEqualTo("PEER_REFUSED");
                assertThat(header(r, RecordHeaders.DLQ_REASON)).contains(IngestConfig.ALLOWED_CIDRS);
            });
            ConsumerRecord<byte[], byte[]> kept = dlq.stream()
                    .filter(r -> header(r, RecordHeaders.SOURCE_NODE).startsWith("127.0.0.1:")).findFirst().orElseThrow();
            assertThat(kept.value()).as("the first line only").isEqualTo(first);
            ConsumerRecord<byte[], byte[]> head = dlq.stream()
                    .filter(r -> header(r, RecordHeaders.SOURCE_NODE).startsWith("127.0.0.4:")).findFirst().orElseThrow();
            assertThat(head.value()).hasSize(SocketAuditReceiver.REFUSED_HEAD_BYTES);
            assertThat(m.connectionsClosed(CloseReason.PEER_REFUSED)).isEqualTo(2);
            assertThat(m.linesToDlq(LineKind.PEER_REFUSED)).isEqualTo(2);
            assertBalanced(m);
        }
    }

    @Test
    @Timeout(60)
    void refusedLinesBeyondTheirRateAreCountedAsDroppedNotSpooled(EmbeddedKafka kafka) throws Exception {
        String suffix = UUID.randomUUID().toString();
        Map<String, String> s = settings(kafka.bootstrapServers(), temp.resolve("spool"), suffix);
        s.put(IngestConfig.AUTH_PREFIXES, "vault=" + PREFIX_A);
        s.put(IngestConfig.REFUSED_MAX_BYTES_PER_SECOND, "4096");
        byte[] junk = new byte[99];
        Arrays.fill(junk, (byte) 'j');
        ByteBuffer flood = ByteBuffer.allocate(500 * 100);
        for (int i = 0; i < 500; i++) {
            flood.put(junk).put((byte) '\n');
        }
        try (IngestStage stage = IngestStage.start(Settings.of(s), new SimpleMeterRegistry());
             SocketChannel ch = raw(stage.tcpAddress().orElseThrow(), "127.0.0.5", flood.array())) {
            IngestMetrics m = stage.metrics();
            await().atMost(WAIT).until(() -> m.linesReceived() == 500
                    && m.linesToDlq() + m.linesDropped() == 500);
            long kept = m.linesToDlq(LineKind.PREFIX_REFUSED);
            long dropped = m.linesDropped(DropReason.REFUSED_OVER_RATE);
            // one second's burst (4096 bytes: 41 lines of 99) plus what refilled while the flood was read
            assertThat(kept).isBetween(41L, 200L);
            assertThat(dropped).isEqualTo(500 - kept);
            assertThat(TopicReader.readAll(kafka.bootstrapServers(), "dlq-" + suffix, kept, WAIT)).hasSize((int) kept);
            assertBalanced(m);
        }
    }

    @Test
    @Timeout(90)
    void idleJunkAtTheConnectionLimitGivesWayToVaultsReconnect(EmbeddedKafka kafka) throws Exception {
        String suffix = UUID.randomUUID().toString();
        Map<String, String> s = settings(kafka.bootstrapServers(), temp.resolve("spool"), suffix);
        s.put(IngestConfig.AUTH_PREFIXES, "vault=" + PREFIX_A);
        s.put(IngestConfig.MAX_CONNECTIONS, "64");
        s.put(IngestConfig.MAX_CONNECTIONS_PER_ADDRESS, "4");
        List<byte[]> lines = AuditLines.pairs(23, 15);
        List<SocketChannel> junk = new ArrayList<>();
        try (IngestStage stage = IngestStage.start(Settings.of(s), new SimpleMeterRegistry())) {
            InetSocketAddress at = stage.tcpAddress().orElseThrow();
            IngestMetrics m = stage.metrics();
            try (VaultLikeClient vault = new VaultLikeClient(at)) {
                for (int i = 0; i < 10; i++) {
                    assertThat(vault.send(prefixed(PREFIX_A, lines.get(i)))).isTrue();
                }
                await().atMost(WAIT).until(() -> m.linesSent() == 10);
                // 200 idle connections from 50 addresses, then 10 more from one address over its cap of 4
                for (int i = 0; i < 200; i++) {
                    junk.add(raw(at, "127.0.5." + (1 + i % 50), new byte[0]));
                }
                for (int i = 0; i < 10; i++) {
                    junk.add(raw(at, "127.0.6.1", new byte[0]));
                }
                await().atMost(WAIT).until(() -> m.connectionsClosed(CloseReason.EVICTED)
                        + m.connectionsClosed(CloseReason.ADDRESS_CAP) >= 210 + 1 - 64);
                assertThat(m.openConnections()).isLessThanOrEqualTo(64);
                // Vault's own connection, trusted, was never shed and still delivers
                assertThat(vault.send(prefixed(PREFIX_A, lines.get(10)))).isTrue();
            }
            // Vault's node reconnects (failover, restart) while the junk holds every slot
            try (VaultLikeClient again = new VaultLikeClient(at);
                 VaultLikeClient newNode = new VaultLikeClient(at, Duration.ofSeconds(2), from("127.0.0.9"))) {
                for (int i = 11; i < 15; i++) {
                    assertThat(again.send(prefixed(PREFIX_A, lines.get(i)))).isTrue();
                }
                // a node never seen before gets in as well, in place of the longest quiet junk
                assertThat(newNode.send(prefixed(PREFIX_A, lines.get(0)))).isTrue();
                await().atMost(WAIT).until(() -> m.linesSent() == 16);
                assertThat(again.resent() + newNode.resent()).as("no write failed").isZero();
            }
            assertThat(m.connectionsClosed(CloseReason.ADDRESS_CAP)).isGreaterThanOrEqualTo(6);
            assertThat(m.connectionsClosed(CloseReason.EVICTED)).isPositive();
            assertThat(m.connectionsRefused()).isZero();
            assertThat(m.openConnections()).isLessThanOrEqualTo(64);
            long junkClosed = 0;
            for (SocketChannel ch : junk) {
                if (closedByServer(ch, Duration.ofMillis(20))) {
                    junkClosed++;
                }
            }
            assertThat(junkClosed).as("the junk the counters say was shed was really closed")
                    .isGreaterThanOrEqualTo(210 + 2 - 64);
            assertBalanced(m);
            assertThat(m.linesDropped()).isZero();
        } finally {
            for (SocketChannel ch : junk) {
                ch.close();
            }
        }
    }

    @Test
    @Timeout(60)
    void untrustedQuietConnectionsAndSlowLinesMeetTheirDeadlinesButVaultsQuietReconnectDoesNot(EmbeddedKafka kafka)
            throws Exception {
        Map<String, String> s = settings(kafka.bootstrapServers(), temp.resolve("spool"), UUID.randomUUID().toString());
        s.put(IngestConfig.FIRST_LINE_TIMEOUT_MS, "500");
        s.put(IngestConfig.LINE_TIMEOUT_MS, "800");
        List<byte[]> lines = AuditLines.pairs(24, 2);
        try (IngestStage stage = IngestStage.start(Settings.of(s), new SimpleMeterRegistry())) {
            InetSocketAddress at = stage.tcpAddress().orElseThrow();
            IngestMetrics m = stage.metrics();
            try (VaultLikeClient vault = new VaultLikeClient(at, Duration.ofSeconds(2), from("127.0.0.2"))) {
                assertThat(vault.send(lines.get(0))).isTrue();
                await().atMost(WAIT).until(() -> m.linesSent() == 1);
            }
            try (SocketChannel idle = raw(at, "127.0.0.3", new byte[0]);
                 SocketChannel reopened = raw(at, "127.0.0.2", new byte[0]);
                 SocketChannel slow = raw(at, "127.0.0.2", "{\"slow\":\"".getBytes(StandardCharsets.UTF_8))) {
                assertThat(closedByServer(idle, Duration.ofSeconds(5))).isTrue();
                assertThat(closedByServer(slow, Duration.ofSeconds(5))).isTrue();
                // the node that delivered before keeps its quiet reconnection (Vault reopens its socket on SIGHUP)
                assertThat(closedByServer(reopened, Duration.ofMillis(1500))).isFalse();
                ByteBuffer line = ByteBuffer.allocate(lines.get(1).length + 1).put(lines.get(1)).put((byte) '\n');
                reopened.write(line.flip());
                await().atMost(WAIT).until(() -> m.linesSent() == 2);
            }
            assertThat(m.connectionsClosed(CloseReason.FIRST_LINE_TIMEOUT)).isEqualTo(1);
            assertThat(m.connectionsClosed(CloseReason.LINE_TIMEOUT)).isEqualTo(1);
            assertThat(m.fragmentsDiscarded(CloseReason.LINE_TIMEOUT)).as("the slow line's bytes").isEqualTo(1);
            assertBalanced(m);
        }
    }

    @Test
    @Timeout(90)
    void thePartialLineBudgetShedsHogsFirstAndVaultsLongLinesStillArrive(EmbeddedKafka kafka) throws Exception {
        String suffix = UUID.randomUUID().toString();
        Map<String, String> s = settings(kafka.bootstrapServers(), temp.resolve("spool"), suffix);
        s.put(IngestConfig.MAX_LINE_BYTES, Integer.toString(1 << 20));
        s.put(IngestConfig.PARTIAL_LINES_MAX_BYTES, Integer.toString(2 << 20));
        s.put(IngestConfig.LINE_TIMEOUT_MS, "0");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        byte[] hog = new byte[900_000];
        Arrays.fill(hog, (byte) 'h');
        List<byte[]> vaultLines = new ArrayList<>(AuditLines.pairs(25, 3));
        for (int i = 0; i < 4; i++) {
            byte[] pad = new byte[700_000];
            Arrays.fill(pad, (byte) 'v');
            vaultLines.add(("{\"type\":\"request\",\"request\":{\"id\":\"long-" + i + "\"},\"pad\":\""
                    + new String(pad, StandardCharsets.US_ASCII) + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        List<SocketChannel> hogs = new ArrayList<>();
        try (IngestStage stage = IngestStage.start(Settings.of(s), registry);
             VaultLikeClient vault = new VaultLikeClient(stage.tcpAddress().orElseThrow())) {
            InetSocketAddress at = stage.tcpAddress().orElseThrow();
            IngestMetrics m = stage.metrics();
            assertThat(vault.send(vaultLines.get(0))).isTrue(); // Vault's connection proves itself
            await().atMost(WAIT).until(() -> m.linesSent() == 1);
            for (int i = 0; i < 6; i++) {
                hogs.add(hog(at, "127.0.7." + (i + 1), hog));
            }
            await().atMost(WAIT).until(() -> m.connectionsClosed(CloseReason.PARTIAL_BUDGET) >= 4);
            double held = registry.get("auditrail.ingest.partial.lines.bytes").gauge().value();
            assertThat(held).isLessThanOrEqualTo(2 << 20);
            for (byte[] l : vaultLines.subList(1, vaultLines.size())) {
                assertThat(vault.send(l)).isTrue();
            }
            await().atMost(WAIT).until(() -> m.linesSent() == vaultLines.size());
            assertThat(vault.resent()).as("Vault's connection was never the one shed").isZero();
            List<ConsumerRecord<byte[], byte[]>> raw = TopicReader.readAll(kafka.bootstrapServers(), "raw-" + suffix,
                    vaultLines.size(), WAIT);
            assertThat(asText(raw.stream().map(ConsumerRecord::value).toList())).isEqualTo(asText(vaultLines));
            assertThat(m.fragmentsDiscarded(CloseReason.PARTIAL_BUDGET)).isGreaterThanOrEqualTo(4);
            assertThat(registry.get("auditrail.ingest.partial.lines.bytes").gauge().value())
                    .isLessThanOrEqualTo(2 << 20);
            assertBalanced(m);
        } finally {
            for (SocketChannel ch : hogs) {
                ch.close();
            }
        }
    }

    @Test
    @Timeout(60)
    void nodeSeriesStayBoundedWhateverTheNumberOfAddresses(EmbeddedKafka kafka) throws Exception {
        Map<String, String> s = settings(kafka.bootstrapServers(), temp.resolve("spool"), UUID.randomUUID().toString());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<byte[]> lines = AuditLines.pairs(26, 15);
        try (IngestStage stage = IngestStage.start(Settings.of(s), registry)) {
            InetSocketAddress at = stage.tcpAddress().orElseThrow();
            for (int i = 0; i < lines.size(); i++) {
                try (VaultLikeClient c = new VaultLikeClient(at, Duration.ofSeconds(2), from("127.0.9." + (i + 1)))) {
                    assertThat(c.send(lines.get(i))).isTrue();
                }
            }
            await().atMost(WAIT).until(() -> stage.metrics().linesSent() == lines.size());
            var series = registry.find("auditrail.ingest.node.lines.received").counters();
            assertThat(series).hasSize(IngestMetrics.MAX_NODE_SERIES + 1);
            // which 16 addresses get a series of their own is the order the receiver read them in, not the order
            // they connected (several wait in one wake-up): only the bound and the sum are the contract
            assertThat(series.stream().map(c -> c.getId().getTag("node")))
                    .contains(IngestMetrics.OTHER_NODES)
                    .allMatch(n -> n.equals(IngestMetrics.OTHER_NODES) || n.startsWith("127.0.9."));
            assertThat(series.stream().mapToDouble(Counter::count).sum()).isEqualTo(lines.size());
        }
    }
}
