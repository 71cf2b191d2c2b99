package io.auditrail.app.dev;

import io.auditrail.app.health.KafkaReadiness;
import io.auditrail.app.health.PostgresReadiness;
import io.auditrail.app.health.Readiness;
import io.auditrail.app.health.S3Readiness;
import io.auditrail.app.http.OpsHttpServer;
import io.auditrail.app.simulate.BackgroundSimulation;
import io.auditrail.app.stage.AlertsCommand;
import io.auditrail.app.stage.ArchiveCommand;
import io.auditrail.app.stage.IndexCommand;
import io.auditrail.app.stage.IngestCommand;
import io.auditrail.app.stage.RunningStage;
import io.auditrail.app.stage.ServeCommand;
import io.auditrail.app.stage.StageRunner;
import io.auditrail.app.stage.StreamsCommand;
import io.auditrail.archive.ArchiveConfig;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.embedded.EmbeddedStack;
import io.auditrail.alerts.AlertsConfig;
import io.auditrail.index.DatabaseRoles;
import io.auditrail.index.IndexConfig;
import io.auditrail.index.Migrations;
import io.auditrail.reports.ReportsConfig;
import io.auditrail.ingest.IngestConfig;
import io.auditrail.reports.evidence.EvidenceConfig;
import io.auditrail.simulator.SimulationPlan;
import io.auditrail.streams.StreamsStageConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
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
    private Settings settings;
    private String adminToken;
    private String bindHost;

    private DevStack() {
    }

    public static DevStack start(Options o) {
        return start(o, Set.of());
    }

    /**
     * As {@link #start(Options)}, without the named pipeline stages ({@code ingest}, {@code streams}, {@code index},
     * {@code archive}, {@code alerts}): a test runs those in processes of their own, as production does, with
     * {@link #settings()}, so that it can kill and restart one.
     */
    public static DevStack start(Options o, Set<String> leftOut) {
        DevStack stack = new DevStack();
        try {
            stack.startAll(o, leftOut);
            return stack;
        } catch (Exception e) {
            stack.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
        }
    }

    private void startAll(Options o, Set<String> leftOut) throws Exception {
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
        // two pairs, as in production: the archiver's digest key, and the pack key serve signs evidence with
        DevKeyPair keys = DevKeyPair.in(o.dataDir(), "archive-keys");
        DevKeyPair packKeys = DevKeyPair.in(o.dataDir(), "evidence-keys");
        Map<String, String> wiring = new LinkedHashMap<>();
        wiring.put(CoreConfig.KAFKA_BOOTSTRAP_SERVERS, bootstrap);
        wiring.put(CoreConfig.POSTGRES_URL, services.postgres().jdbcUrl());
        wiring.put(CoreConfig.POSTGRES_USER, services.postgres().username());
        wiring.put(CoreConfig.POSTGRES_PASSWORD, services.postgres().password());
        // each stage as its own role (sql/V23, V51, docs/SECURITY.md); the database's owner (postgres.user) only migrates.
        // The embedded server plays the database administrator who creates the stages' login roles.
        for (String role : DatabaseRoles.ALL) {
            services.postgres().ensureLoginRole(role);
        }
        wiring.put(IndexConfig.POSTGRES_USER, DatabaseRoles.INDEX);
        wiring.put(IndexConfig.MIGRATE_ON_START, "false"); // migrated below as the owner, as a migrate job would
        wiring.put(AlertsConfig.POSTGRES_USER, DatabaseRoles.ALERTS);
        wiring.put(ReportsConfig.POSTGRES_USER, DatabaseRoles.SERVE);
        wiring.put(ArchiveConfig.POSTGRES_USER, DatabaseRoles.ARCHIVE);
        wiring.put(CoreConfig.S3_ENDPOINT, services.s3().endpoint().toString());
        wiring.put(CoreConfig.S3_REGION, services.s3().region());
        wiring.put(CoreConfig.S3_BUCKET, o.bucket());
        wiring.put(CoreConfig.S3_PATH_STYLE, "true");
        wiring.put(CoreConfig.S3_ACCESS_KEY, services.s3().accessKey());
        wiring.put(CoreConfig.S3_SECRET_KEY, services.s3().secretKey());
        wiring.put(ArchiveConfig.SIGNING_KEY_FILE, keys.privateKey().toString());
        wiring.put(ArchiveConfig.PUBLIC_KEY_FILE, keys.publicKey().toString());
        wiring.put(EvidenceConfig.SIGNING_KEY_FILE, packKeys.privateKey().toString());
        wiring.put(IngestConfig.LISTEN_ADDRESS, o.bindHost() + ":" + o.ingestPort());
        wiring.put(IngestConfig.SPOOL_DIR, o.dataDir().resolve("ingest-spool").toString());
        wiring.put(StreamsStageConfig.STATE_DIR, o.dataDir().resolve("streams-state").toString());
        Settings settings = o.settings().with(wiring);
        this.settings = settings;
        this.bindHost = o.bindHost();
        // as a deployment runs 'auditrail migrate' first: the API, alerts and the admin token need the schema now,
        // not whenever the index stage's own migration on start gets to it
        Migrations.migrate(settings);
        for (var stage : List.<Map.Entry<String, StageRunner.StageFactory>>of(
                Map.entry("ingest", IngestCommand::start),
                Map.entry("streams", StreamsCommand::start),
                Map.entry("index", IndexCommand::start),
                Map.entry("archive", ArchiveCommand::start),
                Map.entry("alerts", AlertsCommand::start))) {
            if (leftOut.contains(stage.getKey())) {
                continue;
            }
            RunningStage running = stage.getValue().start(settings, metrics);
            started.push(running);
            running.readiness().forEach(readiness::add);
            endpoints.putAll(running.endpoints());
        }

        // the API and console need the schema, which the index stage migrated on start
        RunningStage api = ServeCommand.start(settings, metrics);
        started.push(api);
        api.readiness().forEach(readiness::add);
        http = OpsHttpServer.start(o.bindHost(), o.httpPort(), readiness, metrics, api.routes());
        started.push(http);

        URI base = URI.create("http://" + o.bindHost() + ":" + http.port());
        adminToken = DevAdminToken.create(settings);
        endpoints.put("admin token", adminToken + "  (shown once; API: Authorization: Bearer ..., console: sign in)");
        endpoints.put("API and console", base.toString());
        endpoints.put("health", base + "/healthz  " + base + "/readyz  " + base + "/metrics");
        endpoints.put("Kafka", bootstrap);
        endpoints.put("PostgreSQL", services.postgres().jdbcUrl() + " (owner " + services.postgres().username()
                + "; stages log in as " + String.join(", ", DatabaseRoles.ALL) + ")");
        endpoints.put("S3", services.s3().endpoint() + " (bucket " + o.bucket() + ", access key "
                + services.s3().accessKey() + ")");
        endpoints.put("archive keys", keys.privateKey() + " (public: " + keys.publicKey() + ")");
        endpoints.put("evidence pack keys", packKeys.privateKey() + " (public: " + packKeys.publicKey() + ")");
        endpoints.put("data", o.dataDir().toString());
    }

    /**
     * Prints each newly detected anomaly through {@code printer}, one line each, until the stack closes. Only anomalies
     * detected from now on: a restarted stack does not repeat old ones.
     */
    public void printAnomalies(Consumer<String> printer) {
        AnomalyFeed feed = AnomalyFeed.start(services.kafka().bootstrapServers(),
                new CoreConfig(settings).topics().anomalies(), printer);
        started.push(feed);
    }

    /**
     * Feeds the stack's ingest listener with simulated Vault traffic at {@code rate} lines/s for {@code duration},
     * every rule planted once; the report goes to {@code printer} when the run ends. Stopped with the stack.
     */
    public void simulate(double rate, Duration duration, int tenants, long seed, Consumer<String> printer)
            throws Exception {
        int port = Integer.parseInt(endpoints.get("Vault socket device").replaceAll(".*:", ""));
        String host = bindHost.equals("0.0.0.0") ? "127.0.0.1" : bindHost;
        SimulationPlan plan = SimulationPlan.of(host, port, rate, duration, tenants, seed);
        started.push(BackgroundSimulation.start(plan, services.kafka().bootstrapServers(),
                new CoreConfig(settings).topics().tenants(), printer));
    }

    /** Where each part listens, in the order they started, for the banner. */
    public Map<String, String> endpoints() {
        return endpoints;
    }

    public Readiness readiness() {
        return readiness;
    }

    /** The embedded services, for tests that stop one under a running stack. */
    public EmbeddedStack services() {
        return services;
    }

    /** The admin bearer token this start made (printed in the banner), for the newcomer and for tests. */
    public String adminToken() {
        return adminToken;
    }

    /** The settings every stage of this stack runs with (the embedded services' addresses, the dev keys). */
    public Settings settings() {
        return settings;
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
