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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedPostgresIT {
    @TempDir
    Path dir;

    @Test
    void auditrailCanWriteAndTheRowSurvivesARestart() throws Exception {
        try (EmbeddedPostgres pg = new EmbeddedPostgres(EmbeddedPostgres.Config.of(dir))) {
            long t0 = System.nanoTime();
            pg.start();
            System.out.printf("postgres start (initdb + start + role/db): %.2f s%n", (System.nanoTime() - t0) / 1e9);
            int port = pg.port();
            assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/auditrail");
            assertThat(pg.username()).isEqualTo("auditrail");

            try (Connection c = connect(pg); Statement s = c.createStatement()) {
                assertThat(single(s, "SELECT current_user")).isEqualTo("auditrail");
                assertThat(single(s, "SELECT current_database()")).isEqualTo("auditrail");
                assertThat(Integer.parseInt(single(s, "SHOW server_version_num"))).isGreaterThanOrEqualTo(150000);
                assertThat(single(s, "SHOW listen_addresses")).isEqualTo("127.0.0.1");
                s.execute("CREATE TABLE audit_probe (id bigint PRIMARY KEY, line text NOT NULL)");
                s.execute("INSERT INTO audit_probe VALUES (1, 'written before the restart')");
                assertThat(single(s, "SELECT line FROM audit_probe WHERE id = 1")).isEqualTo("written before the restart");
            }

            t0 = System.nanoTime();
            pg.stop();
            System.out.printf("postgres stop: %.2f s%n", (System.nanoTime() - t0) / 1e9);
            assertThat(listening(port)).as("server process gone after stop").isFalse();

            t0 = System.nanoTime();
            pg.start();
            System.out.printf("postgres restart: %.2f s%n", (System.nanoTime() - t0) / 1e9);
            assertThat(pg.port()).isEqualTo(port);
            try (Connection c = connect(pg); Statement s = c.createStatement()) {
                assertThat(single(s, "SELECT line FROM audit_probe WHERE id = 1")).isEqualTo("written before the restart");
            }
        }
    }

    @Test
    void aNewInstanceOnTheSameDirectoryKeepsTheDataAndClosesItsProcess() throws Exception {
        int port;
        try (EmbeddedPostgres pg = new EmbeddedPostgres(EmbeddedPostgres.Config.of(dir)).start();
             Connection c = connect(pg); Statement s = c.createStatement()) {
            port = pg.port();
            s.execute("CREATE TABLE kept (v text)");
            s.execute("INSERT INTO kept VALUES ('yes')");
        }
        assertThat(listening(port)).as("close() stops the server process").isFalse();
        try (EmbeddedPostgres pg = new EmbeddedPostgres(EmbeddedPostgres.Config.of(dir)).start();
             Connection c = connect(pg); Statement s = c.createStatement()) {
            assertThat(single(s, "SELECT v FROM kept")).isEqualTo("yes");
        }
    }

    @Test
    void aTakenPortIsReportedAsSuch() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             EmbeddedPostgres pg = new EmbeddedPostgres(EmbeddedPostgres.Config.of(dir).withPort(taken.getLocalPort()))) {
            assertThatThrownBy(pg::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("PostgreSQL")
                    .hasMessageContaining(taken.getLocalPort() + " is already in use");
        }
    }

    private static Connection connect(EmbeddedPostgres pg) throws SQLException {
        return DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
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
