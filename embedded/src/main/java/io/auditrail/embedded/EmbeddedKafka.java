package io.auditrail.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A real single-node Kafka (KRaft broker and controller in one) running inside this JVM. */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String CONTROLLER_BOOTSTRAP = "controller.quorum.bootstrap.servers";

    /**
     * Where and how the broker runs.
     *
     * @param dataDir          holds the log directory and the generated server.properties; kept across restarts
     * @param port             broker port on 127.0.0.1, 0 for a free one (kept for later restarts of this instance)
     * @param partitions       default partition count of new topics
     * @param brokerProperties extra broker settings; they win over ours
     */
    public record Config(Path dataDir, int port, int partitions, Map<String, String> brokerProperties) {
        public Config {
            Objects.requireNonNull(dataDir, "dataDir");
            LoopbackPorts.requireValid(port);
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
            }
            brokerProperties = Map.copyOf(brokerProperties);
        }

        public static Config of(Path dataDir) {
            return new Config(dataDir, 0, 3, Map.of());
        }

        public Config withPort(int newPort) {
            return new Config(dataDir, newPort, partitions, brokerProperties);
        }

        public Config withPartitions(int newPartitions) {
            return new Config(dataDir, port, newPartitions, brokerProperties);
        }

        public Config withBrokerProperties(Map<String, String> properties) {
            return new Config(dataDir, port, partitions, properties);
        }
    }

    private final Config config;
    private int port;
    private int controllerPort;
    private KafkaRaftServer server;

    public EmbeddedKafka(Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Starts the broker, formatting the data directory only if it has never been formatted. */
    public synchronized EmbeddedKafka start() {
        if (server != null) {
            return this;
        }
        Path logDir = config.dataDir().resolve("log");
        Path configFile = config.dataDir().resolve("server.properties");
        boolean formatted = Files.exists(logDir.resolve("meta.properties"));
        if (controllerPort == 0) {
            // the standalone format writes the controller's endpoint into the metadata log, so it must stay the same
            controllerPort = formatted ? storedControllerPort(configFile) : LoopbackPorts.resolve(0);
        }
        if (port == 0) {
            port = LoopbackPorts.resolve(config.port());
        }
        LoopbackPorts.requireFree(port, "Kafka broker");
        LoopbackPorts.requireFree(controllerPort, "Kafka controller");

        Properties props = brokerProperties(logDir);
        try {
            Files.createDirectories(config.dataDir());
            try (Writer out = Files.newBufferedWriter(configFile)) {
                props.store(out, "written by auditrail EmbeddedKafka on every start");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Kafka: cannot write " + configFile, e);
        }
        if (!formatted) {
            format(configFile);
        }

        KafkaRaftServer starting = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        try {
            starting.startup();
        } catch (RuntimeException e) {
            IllegalStateException failure = new IllegalStateException("Kafka failed to start on "
                    + bootstrapServers() + " (data " + config.dataDir() + "): " + e.getMessage(), e);
            try {
                starting.shutdown();
                starting.awaitShutdown();
            } catch (RuntimeException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
        server = starting;
        LOG.info("Kafka listening on {} (data {})", bootstrapServers(), config.dataDir());
        return this;
    }

    /** Stops the broker; its data stays, and {@link #start()} brings it back on the same ports. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            server = null;
        }
        LOG.debug("Kafka on {} stopped", bootstrapServers());
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** "127.0.0.1:PORT"; the port is known after the first {@link #start()}. */
    public synchronized String bootstrapServers() {
        return LoopbackPorts.HOST + ":" + port;
    }

    public synchronized int port() {
        return port;
    }

    public Path dataDir() {
        return config.dataDir();
    }

    private Properties brokerProperties(Path logDir) {
        String controller = LoopbackPorts.HOST + ":" + controllerPort;
        String broker = LoopbackPorts.HOST + ":" + port;
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put(CONTROLLER_BOOTSTRAP, controller);
        p.put("listeners", "PLAINTEXT://" + broker + ",CONTROLLER://" + controller);
        p.put("advertised.listeners", "PLAINTEXT://" + broker);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", Integer.toString(config.partitions()));
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // the first consumer group or transaction otherwise waits for 50 internal partitions to be created
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("group.initial.rebalance.delay.ms", "0");
        // topics are created explicitly by auditrail, so a typo in a topic name fails instead of making a new one
        p.put("auto.create.topics.enable", "false");
        p.putAll(config.brokerProperties());
        return p;
    }

    private void format(Path configFile) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            // the library form of kafka-storage.sh: returns an exit code instead of calling System.exit
            rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(),
                "-c", configFile.toString(), "--standalone"}, out);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Kafka: formatting " + config.dataDir() + " failed: " + e.getMessage(), e);
        }
        if (rc != 0) {
            throw new IllegalStateException("Kafka: formatting " + config.dataDir() + " failed (exit " + rc + "): "
                    + output.toString(StandardCharsets.UTF_8).strip());
        }
    }

    private static int storedControllerPort(Path configFile) {
        Properties stored = new Properties();
        try (Reader in = Files.newBufferedReader(configFile)) {
            stored.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Kafka: the data directory is formatted but " + configFile
                    + " (which records its controller port) cannot be read", e);
        }
        String endpoint = stored.getProperty(CONTROLLER_BOOTSTRAP, "");
        try {
            return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Kafka: no controller port in " + configFile + ": '" + endpoint + "'", e);
        }
    }
}
