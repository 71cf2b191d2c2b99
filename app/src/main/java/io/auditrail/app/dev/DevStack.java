package io.auditrail.app.dev;

import io.auditrail.app.health.KafkaReadiness;
import io.auditrail.app.health.PostgresReadiness;
import io.auditrail.app.health.Readiness;
import io.auditrail.app.health.S3Readiness;
import io.auditrail.app.http.OpsHttpServer;
import io.auditrail.embedded.EmbeddedStack;
import io.auditrail.app.stage.IngestCommand;
import io.auditrail.app.stage.RunningStage;
import io.auditrail.app.stage.StageRunner;
import io.auditrail.app.stage.StreamsCommand;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.ingest.IngestConfig;
import io.auditrail.streams.StreamsStageConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole pipeline in one process on embedded services: what {@code auditrail dev} runs.
 * Started in dependency order, closed in reverse; each part registered for closing as soon as it runs,
 * so a failure half-way stops what had started.
 */
public final class DevStack implements AutoCloseable {
    /** Ports and places for one dev stack; 0 picks a free port. */
    public record Options(Path dataDir, String bindHost, int httpPort, int ingestPort, int kafkaPort, int postgresPort,
                          int s3Port, String bucket, Settings settings) {
    }

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Map<String, String> endpoints = new LinkedHashMap<>();
    private final PrometheusMeterRegistry metrics = StageRunner.registry();
    private final Readiness readiness = new Readiness();
    private EmbeddedStack services;
    private OpsHttpServer http;

    private DevStack() {
    }

    public static DevStack start(Options o) {
        DevStack stack = new DevStack();
        try {
            stack.startAll(o);
            return stack;
        } catch (Exception e) {
            stack.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
        }
    }

    private void startAll(Options o) throws Exception {
        started.push(metrics::close);

        services = EmbeddedStack.builder(o.dataDir()).kafka(o.kafkaPort()).postgres(o.postgresPort()).s3(o.s3Port())
                .start();
        started.push(services);
        services.s3().ensureBucket(o.bucket());

        String bootstrap = services.kafka().bootstrapServers();
        var kafkaCheck = new KafkaReadiness(Map.of("bootstrap.servers", bootstrap));
        started.push(kafkaCheck);
        S3Client s3 = S3Client.builder()
                .endpointOverride(services.s3().endpoint())
                .region(Region.of(services.s3().region()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(services.s3().accessKey(), services.s3().secretKey())))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        started.push(s3);
        readiness.add(kafkaCheck)
                .add(new PostgresReadiness(services.postgres().jdbcUrl(), services.postgres().username(),
                        services.postgres().password()))
                .add(new S3Readiness(s3, o.bucket()));

        // the stages, on the embedded services; the user's settings apply beneath the dev wiring
        Settings settings = o.settings().with(Map.of(
                CoreConfig.KAFKA_BOOTSTRAP_SERVERS, bootstrap,
                IngestConfig.LISTEN_ADDRESS, o.bindHost() + ":" + o.ingestPort(),
                IngestConfig.SPOOL_DIR, o.dataDir().resolve("ingest-spool").toString(),
                StreamsStageConfig.STATE_DIR, o.dataDir().resolve("streams-state").toString()));
        RunningStage ingest = IngestCommand.start(settings, metrics);
        started.push(ingest);
        ingest.readiness().forEach(readiness::add);
        RunningStage streams = StreamsCommand.start(settings, metrics);
        started.push(streams);
        streams.readiness().forEach(readiness::add);

        http = OpsHttpServer.start(o.bindHost(), o.httpPort(), readiness, metrics, routes -> { });
        started.push(http);

        URI api = URI.create("http://" + o.bindHost() + ":" + http.port());
        endpoints.putAll(ingest.endpoints());
        endpoints.put("API and console", api.toString());
        endpoints.put("health", api + "/healthz  " + api + "/readyz  " + api + "/metrics");
        endpoints.put("Kafka", bootstrap);
        endpoints.put("PostgreSQL", services.postgres().jdbcUrl() + " (user " + services.postgres().username() + ")");
        endpoints.put("S3", services.s3().endpoint() + " (bucket " + o.bucket() + ", access key "
                + services.s3().accessKey() + ")");
        endpoints.put("data", o.dataDir().toString());
    }

    /** Where each part listens, in the order they started, for the banner. */
    public Map<String, String> endpoints() {
        return endpoints;
    }

    public Readiness readiness() {
        return readiness;
    }

    /** The embedded services, for tests that stop one under a running stack. */
    EmbeddedStack services() {
        return services;
    }

    public int httpPort() {
        return http.port();
    }

    @Override
    public void close() {
        RuntimeException first = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = new IllegalStateException("stopping the dev stack: " + e.getMessage(), e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
