package io.auditrail.embedded;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Kafka, PostgreSQL and S3 (each optional) started together under one data directory, stopped in reverse order. */
public final class EmbeddedStack implements AutoCloseable {

    /** Which services to run; an empty one is not started. */
    public record Config(Optional<EmbeddedKafka.Config> kafka, Optional<EmbeddedPostgres.Config> postgres,
                         Optional<EmbeddedS3.Config> s3) {
        public Config {
            Objects.requireNonNull(kafka, "kafka");
            Objects.requireNonNull(postgres, "postgres");
            Objects.requireNonNull(s3, "s3");
        }
    }

    /** Builds a {@link Config} whose services live in {@code dataDir}/kafka, /postgres and /s3. */
    public static final class Builder {
        private final Path dataDir;
        private EmbeddedKafka.Config kafka;
        private EmbeddedPostgres.Config postgres;
        private EmbeddedS3.Config s3;

        private Builder(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        }

        /** Kafka with default settings on this port (0 for a free one). */
        public Builder kafka(int port) {
            kafka = EmbeddedKafka.Config.of(dataDir.resolve("kafka")).withPort(port);
            return this;
        }

        public Builder kafka(EmbeddedKafka.Config config) {
            kafka = Objects.requireNonNull(config, "config");
            return this;
        }

        /** PostgreSQL with database and user {@code auditrail} on this port (0 for a free one). */
        public Builder postgres(int port) {
            postgres = EmbeddedPostgres.Config.of(dataDir.resolve("postgres")).withPort(port);
            return this;
        }

        public Builder postgres(EmbeddedPostgres.Config config) {
            postgres = Objects.requireNonNull(config, "config");
            return this;
        }

        /** S3 with the default credentials on this port (0 for a free one). */
        public Builder s3(int port) {
            s3 = EmbeddedS3.Config.of(dataDir.resolve("s3")).withPort(port);
            return this;
        }

        public Builder s3(EmbeddedS3.Config config) {
            s3 = Objects.requireNonNull(config, "config");
            return this;
        }

        public Config build() {
            return new Config(Optional.ofNullable(kafka), Optional.ofNullable(postgres), Optional.ofNullable(s3));
        }

        public EmbeddedStack start() {
            return EmbeddedStack.start(build());
        }
    }

    private final EmbeddedKafka kafka;
    private final EmbeddedPostgres postgres;
    private final EmbeddedS3 s3;
    private final List<AutoCloseable> started;

    private EmbeddedStack(EmbeddedKafka kafka, EmbeddedPostgres postgres, EmbeddedS3 s3, List<AutoCloseable> started) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.s3 = s3;
        this.started = started;
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** Starts the configured services; if one fails, those already running are stopped before the error is thrown. */
    public static EmbeddedStack start(Config config) {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            EmbeddedKafka kafka = config.kafka().map(c -> remember(started, new EmbeddedKafka(c).start())).orElse(null);
            EmbeddedPostgres postgres =
                    config.postgres().map(c -> remember(started, new EmbeddedPostgres(c).start())).orElse(null);
            EmbeddedS3 s3 = config.s3().map(c -> remember(started, new EmbeddedS3(c).start())).orElse(null);
            return new EmbeddedStack(kafka, postgres, s3, started);
        } catch (RuntimeException e) {
            closeAll(started, e);
            throw e;
        }
    }

    /** @throws IllegalStateException if the stack was configured without Kafka */
    public EmbeddedKafka kafka() {
        return require(kafka, "Kafka");
    }

    /** @throws IllegalStateException if the stack was configured without PostgreSQL */
    public EmbeddedPostgres postgres() {
        return require(postgres, "PostgreSQL");
    }

    /** @throws IllegalStateException if the stack was configured without S3 */
    public EmbeddedS3 s3() {
        return require(s3, "S3");
    }

    /** Stops every service, last started first; the first failure is thrown after all were tried. */
    @Override
    public void close() {
        RuntimeException failure = closeAll(started, null);
        if (failure != null) {
            throw failure;
        }
    }

    private static <T extends AutoCloseable> T remember(List<AutoCloseable> started, T service) {
        started.add(service);
        return service;
    }

    private static RuntimeException closeAll(List<AutoCloseable> services, RuntimeException failure) {
        RuntimeException first = failure;
        for (int i = services.size() - 1; i >= 0; i--) {
            try {
                services.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = new IllegalStateException("stopping the embedded services failed: " + e.getMessage(), e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        return first;
    }

    private static <T> T require(T service, String name) {
        if (service == null) {
            throw new IllegalStateException(name + " is not part of this embedded stack");
        }
        return service;
    }
}
