package io.auditrail.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VaultSocketClientTest {
    private static List<byte[]> lines(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // about the size of a real entry, distinct content per line
            out.add(("{\"seq\":" + i + ",\"pad\":\"" + "x".repeat(1200 + i % 300) + "\"}\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<String> strings(List<byte[]> lines) {
        List<String> out = new ArrayList<>();
        for (byte[] l : lines) {
            String s = new String(l, StandardCharsets.UTF_8);
            out.add(s.endsWith("\n") ? s.substring(0, s.length() - 1) : s);
        }
        return out;
    }

    private static InetSocketAddress at(LineCollector c) {
        return new InetSocketAddress("127.0.0.1", c.port());
    }

    @Test
    void aLineCutMidWayIsResentWholeOnANewConnectionAndTheFragmentDiscarded() throws Exception {
        List<byte[]> sent = lines(2_000);
        try (LineCollector server = new LineCollector()) {
            VaultSocketClient client = new VaultSocketClient(at(server), Duration.ofSeconds(2), 500);
            for (byte[] l : sent) {
                assertThat(client.write(l)).isTrue();
            }
            client.close();
            await().atMost(Duration.ofSeconds(20)).until(() -> server.connections.size() == 5 && server.allEnded());
            assertThat(client.cuts()).isEqualTo(4);
            assertThat(client.resends()).isEqualTo(4);
            assertThat(client.reconnects()).isEqualTo(4);
            assertThat(client.linesWritten()).isEqualTo(2_000);
            assertThat(server.fragments.get()).isEqualTo(4);
            // every line exactly once, in order, none torn
            assertThat(strings(server.lines())).containsExactlyElementsOf(strings(sent));
        }
    }

    @Test
    void aReceiverThatStopsReadingMakesTheWriteTimeOutAndTheLineIsResentOnce() throws Exception {
        List<byte[]> sent = lines(20_000);
        try (LineCollector server = new LineCollector()) {
            server.holdConnections = 1; // the first connection is not read until released
            int written = 0;
            try (VaultSocketClient client = new VaultSocketClient(at(server), Duration.ofMillis(300))) {
                for (byte[] l : sent) {
                    assertThat(client.write(l)).isTrue();
                    written++;
                    if (client.resends() > 0 && written % 100 == 0) {
                        break; // a few more lines on the new connection, then let the old one drain
                    }
                }
                assertThat(client.resends()).isEqualTo(1);
                assertThat(client.reconnects()).isEqualTo(1);
            }
            server.release.countDown();
            int expected = written;
            await().atMost(Duration.ofSeconds(20)).until(() -> server.allEnded() && server.lineCount() == expected);
            assertThat(server.connections).hasSize(2);
            assertThat(server.fragments.get()).isLessThanOrEqualTo(1); // the timed-out line's head, if any got out
            assertThat(strings(server.lines())).containsExactlyElementsOf(strings(sent.subList(0, written)));
        }
    }

    @Test
    void aReceiverClosingTheConnectionMakesTheClientReconnectWithoutLosingALine() throws Exception {
        List<byte[]> sent = lines(400);
        try (LineCollector server = new LineCollector()) {
            VaultSocketClient client = new VaultSocketClient(at(server), Duration.ofSeconds(2));
            for (byte[] l : sent.subList(0, 200)) {
                assertThat(client.write(l)).isTrue();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.lineCount() == 200);
            server.connections.get(0).socket.close(); // the receiver restarts, say
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connections.get(0).ended);
            Thread.sleep(50); // let the FIN reach the client's socket
            for (byte[] l : sent.subList(200, 400)) {
                assertThat(client.write(l)).isTrue();
            }
            client.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.allEnded() && server.lineCount() == 400);
            assertThat(client.reconnects()).isEqualTo(1);
            assertThat(client.failures()).isZero();
            assertThat(client.linesWritten()).isEqualTo(400);
            assertThat(server.fragments.get()).isZero();
            assertThat(strings(server.lines())).containsExactlyElementsOf(strings(sent));
        }
    }

    @Test
    void noReceiverMeansBothAttemptsFailAndTheLineIsCountedLost() {
        // a port nothing listens on: dial fails, the one retry fails, the line is lost as Vault would lose it
        try (VaultSocketClient client = new VaultSocketClient(new InetSocketAddress("127.0.0.1", 1),
                Duration.ofMillis(200))) {
            assertThat(client.write("{}\n".getBytes(StandardCharsets.UTF_8))).isFalse();
            assertThat(client.failures()).isEqualTo(1);
            assertThat(client.resends()).isEqualTo(1);
            assertThat(client.linesWritten()).isZero();
        }
    }
}
