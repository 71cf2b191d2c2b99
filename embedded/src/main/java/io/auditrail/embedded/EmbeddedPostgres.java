package io.auditrail.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A real PostgreSQL 15 server (zonky's bundled binaries) started as a child process, with a database and role for auditrail. */
public final class EmbeddedPostgres implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String SUPERUSER = "postgres";

    /**
     * Where and how the server runs.
     *
     * @param dataDir      holds the cluster (pgdata/) and the server log (postgres.log); kept across restarts
     * @param port         port on 127.0.0.1, 0 for a free one (kept for later restarts of this instance)
     * @param database     database created if missing, owned by {@code user}
     * @param user         login role created if missing, with CREATEDB and CREATEROLE (it owns the schema and creates
     *                     the stages' roles when it migrates); it authenticates without a password (trust, loopback)
     * @param serverConfig extra postgresql.conf settings, passed as {@code -c key=value}; they win over ours.
     *                     zonky always starts the server with {@code -F} (fsync off): fast, and safe against a
     *                     crash of this process but not of the machine; {@code fsync=on} here restores it
     */
    public record Config(Path dataDir, int port, String database, String user, Map<String, String> serverConfig) {
        public Config {
            Objects.requireNonNull(dataDir, "dataDir");
            LoopbackPorts.requireValid(port);
            requireIdentifier(database, "database");
            requireIdentifier(user, "user");
            serverConfig = Map.copyOf(serverConfig);
        }

        public static Config of(Path dataDir) {
            return new Config(dataDir, 0, "auditrail", "auditrail", Map.of());
        }

        public Config withPort(int newPort) {
            return new Config(dataDir, newPort, database, user, serverConfig);
        }

        public Config withDatabase(String newDatabase, String newUser) {
            return new Config(dataDir, port, newDatabase, newUser, serverConfig);
        }

        public Config withServerConfig(Map<String, String> settings) {
            return new Config(dataDir, port, database, user, settings);
        }

        static void requireIdentifier(String name, String what) {
            // names go into CREATE ROLE / CREATE DATABASE, which take no bind parameters
            if (name == null || !IDENTIFIER.matcher(name).matches()) {
                throw new IllegalArgumentException(what + " must be a lower-case SQL identifier, got '" + name + "'");
            }
        }
    }

    private final Config config;
    private int port;
    private io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

    public EmbeddedPostgres(Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Starts the server, running initdb only if the data directory holds no cluster yet. */
    public synchronized EmbeddedPostgres start() {
        if (server != null) {
            return this;
        }
        if (port == 0) {
            port = LoopbackPorts.resolve(config.port());
        }
        Path pgData = config.dataDir().resolve("pgdata");
        try {
            LoopbackPorts.requireFree(port, "PostgreSQL");
        } catch (IllegalStateException e) {
            if (Files.exists(pgData.resolve("postmaster.pid"))) {
                throw new IllegalStateException(e.getMessage() + "; a server from an earlier run may still be running on "
                        + pgData + " (stop it with: pg_ctl -D " + pgData + " stop)", e);
            }
            throw e;
        }
        Path log = config.dataDir().resolve("postgres.log");
        try {
            Files.createDirectories(config.dataDir());
            var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    // zonky's default of 10 s is tight for a first start on a busy 2-core machine
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", LoopbackPorts.HOST)
                    // no Unix socket: nothing here uses it, and /tmp/.s.PGSQL.<port> could clash with another server
                    .setServerConfig("unix_socket_directories", "''")
                    // initdb, pg_ctl and the server write here instead of through our logger
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()));
            config.serverConfig().forEach(builder::setServerConfig);
            server = builder.start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL failed to start on " + LoopbackPorts.HOST + ":" + port
                    + " (data " + pgData + ", see " + log + "): " + e.getMessage(), e);
        }
        try {
            ensureRoleAndDatabase();
        } catch (SQLException e) {
            stop();
            throw new IllegalStateException("PostgreSQL: cannot create role/database " + config.user() + "/"
                    + config.database() + ": " + e.getMessage(), e);
        }
        LOG.info("PostgreSQL listening on {}:{}, database and user {}/{} (data {})", LoopbackPorts.HOST, port,
                config.database(), config.user(), config.dataDir());
        return this;
    }

    /** Stops the server process; the cluster stays, and {@link #start()} brings it back on the same port. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL on port " + port + " did not stop cleanly", e);
        } finally {
            server = null;
        }
        LOG.debug("PostgreSQL on port {} stopped", port);
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** JDBC URL of the configured database; the user is not in it, see {@link #username()}. */
    public synchronized String jdbcUrl() {
        return "jdbc:postgresql://" + LoopbackPorts.HOST + ":" + port + "/" + config.database();
    }

    public String username() {
        return config.user();
    }

    /** Empty: the server trusts loopback connections. */
    public String password() {
        return "";
    }

    public String database() {
        return config.database();
    }

    /** The port; known after the first {@link #start()}. */
    public synchronized int port() {
        return port;
    }

    public Path dataDir() {
        return config.dataDir();
    }

    /**
     * Makes {@code role} a role that can log in (without a password: the server trusts loopback), creating it if
     * missing: what a database administrator does for each stage's role before the migrations grant it its rights.
     * Roles belong to the server, so every database of this server shares them.
     */
    public synchronized void ensureLoginRole(String role) {
        Config.requireIdentifier(role, "role");
        String url = "jdbc:postgresql://" + LoopbackPorts.HOST + ":" + port + "/postgres";
        try (Connection c = DriverManager.getConnection(url, SUPERUSER, "");
             Statement s = c.createStatement()) {
            if (exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", role)) {
                s.execute("ALTER ROLE " + role + " LOGIN");
            } else {
                try {
                    s.execute("CREATE ROLE " + role + " LOGIN");
                } catch (SQLException e) {
                    if (!"42710".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                        throw e; // not "created meanwhile by another caller"
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL: cannot make role " + role + " able to log in: "
                    + e.getMessage(), e);
        }
    }

    private void ensureRoleAndDatabase() throws SQLException {
        String url = "jdbc:postgresql://" + LoopbackPorts.HOST + ":" + port + "/postgres";
        try (Connection c = DriverManager.getConnection(url, SUPERUSER, "");
             Statement s = c.createStatement()) {
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", config.user())) {
                // CREATEDB so tests can make scratch databases; not SUPERUSER, so the app meets real permission errors
                s.execute("CREATE ROLE " + config.user() + " LOGIN CREATEDB CREATEROLE");
            } else {
                s.execute("ALTER ROLE " + config.user() + " CREATEROLE"); // a data directory from before V23
            }
            // CREATEROLE: the schema's owner creates the stages' group roles when it migrates (sql/V23), as a
            // production owner with CREATEROLE would; making them able to log in is ensureLoginRole's
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", config.database())) {
                s.execute("CREATE DATABASE " + config.database() + " OWNER " + config.user());
            }
        }
    }

    private static boolean exists(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
