package io.auditrail.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedStackIT {
    @TempDir
    Path dir;

    @Test
    void startsAllThreeUnderOneDirectoryAndLeavesNothingRunning() throws Exception {
        Set<Thread> before = liveNonDaemonThreads();
        int kafkaPort;
        int postgresPort;
        int s3Port;
        long t0 = System.nanoTime();
        try (EmbeddedStack stack = EmbeddedStack.builder(dir).kafka(0).postgres(0).s3(0).start()) {
            System.out.printf("stack start: %.2f s%n", (System.nanoTime() - t0) / 1e9);
            kafkaPort = stack.kafka().port();
            postgresPort = stack.postgres().port();
            s3Port = stack.s3().port();
            assertThat(stack.kafka().dataDir()).isEqualTo(dir.resolve("kafka"));
            assertThat(stack.postgres().dataDir()).isEqualTo(dir.resolve("postgres"));
            assertThat(stack.s3().dataDir()).isEqualTo(dir.resolve("s3"));

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    stack.kafka().bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("vault.audit.events", 2, (short) 1))).all()
                        .get(30, TimeUnit.SECONDS);
            }
            try (Connection c = DriverManager.getConnection(stack.postgres().jdbcUrl(), "auditrail", "")) {
                assertThat(c.isValid(5)).isTrue();
            }
            stack.s3().ensureBucket("auditrail-archive");
            try (S3Client s3 = EmbeddedS3IT.client(stack.s3())) {
                s3.putObject(b -> b.bucket("auditrail-archive").key("k"), RequestBody.fromString("v"));
            }
            assertThat(dir.resolve("s3/auditrail-archive/k")).exists();
            t0 = System.nanoTime();
        }
        System.out.printf("stack stop: %.2f s%n", (System.nanoTime() - t0) / 1e9);

        assertThat(listening(kafkaPort)).as("Kafka port closed").isFalse();
        assertThat(listening(postgresPort)).as("PostgreSQL process gone").isFalse();
        assertThat(listening(s3Port)).as("S3 port closed").isFalse();
        assertThat(threadsLeftBehind(before)).as("non-daemon threads left behind").isEmpty();
    }

    @Test
    void aServiceThatCannotStartStopsTheOnesAlreadyRunning() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int kafkaPort = LoopbackPorts.resolve(0);
            int postgresPort = LoopbackPorts.resolve(0);
            EmbeddedStack.Builder builder = EmbeddedStack.builder(dir).kafka(kafkaPort).postgres(postgresPort)
                    .s3(taken.getLocalPort());
            assertThatThrownBy(builder::start).hasMessageContaining("S3").hasMessageContaining("already in use");
            assertThat(listening(kafkaPort)).as("Kafka stopped").isFalse();
            assertThat(listening(postgresPort)).as("PostgreSQL stopped").isFalse();
        }
    }

    @Test
    void aServiceNotConfiguredIsNotStarted() {
        try (EmbeddedStack stack = EmbeddedStack.builder(dir).s3(0).start()) {
            assertThat(stack.s3().isRunning()).isTrue();
            assertThatThrownBy(stack::kafka).hasMessageContaining("Kafka is not part of this embedded stack");
            assertThatThrownBy(stack::postgres).isInstanceOf(IllegalStateException.class);
        }
        assertThat(dir.resolve("kafka")).doesNotExist();
        assertThat(dir.resolve("postgres")).doesNotExist();
    }

    private static Set<Thread> liveNonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon())
                .collect(Collectors.toSet());
    }

    /** Waits a little, as some server threads end just after stop() returns. */
    private static List<String> threadsLeftBehind(Set<Thread> before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> left;
        do {
            left = liveNonDaemonThreads().stream().filter(t -> !before.contains(t)).map(Thread::getName).toList();
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return left;
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
