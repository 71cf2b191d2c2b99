package io.auditrail.bench.multiproc;

import io.auditrail.alerts.AlertsConfig;
import io.auditrail.app.AppConfig;
import io.auditrail.archive.ArchiveConfig;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.ingest.IngestConfig;
import io.auditrail.streams.StreamsStageConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The shape users deploy, on this machine: the Kafka broker and the S3 server each in a JVM of its own
 * ({@link ServiceMain}), PostgreSQL as dev mode starts it (zonky's server, a child process of this JVM), and each
 * stage in its own JVM exactly as {@code java -jar app/target/auditrail.jar <stage>} runs it, sized as the Kubernetes
 * manifests size them. The connection settings reach the stages as an operator's environment ({@code AUDITRAIL_*});
 * each stage's own settings as {@code --set}. {@code auditrail migrate} and {@code auditrail archive keygen} run first,
 * as a deployment runs them.
 */
final class Deployment implements AutoCloseable {
    /** JVM options per stage: the heap of the Kubernetes memory limit at the image's MaxRAMPercentage=75. */
    static final Map<String, String> JVM_OPTIONS = Map.of(
            "ingest", "-Xms256m -Xmx256m -XX:+AlwaysPreTouch", // as in docker-compose.yml and ingest.yaml
            "streams", "-Xmx1152m",
            "index", "-Xmx576m",
            "archive", "-Xmx576m",
            "alerts", "-Xmx576m",
            "serve", "-Xmx1152m");
    static final List<String> STAGES = List.of("ingest", "streams", "index", "archive", "alerts", "serve");
    private static final Duration READY = Duration.ofSeconds(120);

    /**
     * @param dir              everything the run writes (removed by the caller)
     * @param appJar           app/target/auditrail.jar (its lib/ beside it)
     * @param stages           the stages to start now, in order (a stage may be left to start later)
     * @param streamsInstances streams processes on the same application id ({@code streams}, {@code streams-2}, ...)
     * @param stageSettings    settings every stage gets on its command line (--set), e.g. the benchmark's timeouts
     */
    record Options(Path dir, Path appJar, List<String> stages, int streamsInstances, Map<String, String> stageSettings) {
    }

    private final Options options;
    private final Map<String, LaunchedProcess> processes = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Settings clientSettings;
    private final EmbeddedPostgres postgres;
    private final int ingestPort;

    private Deployment(Options options, EmbeddedPostgres postgres, Settings clientSettings, int ingestPort) {
        this.options = options;
        this.postgres = postgres;
        this.clientSettings = clientSettings;
        this.ingestPort = ingestPort;
    }

    static Deployment start(Options o) throws Exception {
        Files.createDirectories(o.dir().resolve("logs"));
        int kafkaPort = freePort();
        int s3Port = freePort();
        EmbeddedPostgres pg = new EmbeddedPostgres(EmbeddedPostgres.Config.of(o.dir().resolve("postgres"))).start();
        Path privateKey = o.dir().resolve("archive-signing-key.pem");
        Path publicKey = o.dir().resolve("archive-public-key.pem");
        Map<String, String> client = new LinkedHashMap<>();
        client.put(CoreConfig.KAFKA_BOOTSTRAP_SERVERS, "127.0.0.1:" + kafkaPort);
        client.put(CoreConfig.POSTGRES_URL, pg.jdbcUrl());
        client.put(CoreConfig.POSTGRES_USER, pg.username());
        client.put(CoreConfig.POSTGRES_PASSWORD, pg.password());
        client.put(CoreConfig.S3_ENDPOINT, "http://127.0.0.1:" + s3Port);
        client.put(CoreConfig.S3_REGION, "us-east-1");
        client.put(CoreConfig.S3_BUCKET, "auditrail-archive");
        client.put(CoreConfig.S3_PATH_STYLE, "true");
        client.put(CoreConfig.S3_ACCESS_KEY, "auditrail");
        client.put(CoreConfig.S3_SECRET_KEY, "auditrail-secret");
        client.put(ArchiveConfig.PUBLIC_KEY_FILE, publicKey.toString());
        int ingestPort = freePort();
        Deployment d = new Deployment(o, pg, Settings.of(client), ingestPort);
        try {
            client.forEach((k, v) -> {
                if (!v.isEmpty()) {
                    d.env.put(Settings.ENV_PREFIX + k.toUpperCase(Locale.ROOT).replace('.', '_'), v);
                }
            });
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String benchCp = System.getProperty("java.class.path");
            int brokerMetrics = freePort();
            int s3Metrics = freePort();
            // the broker's heap as bench-peers gives its broker
            d.add(new LaunchedProcess("broker", List.of(java, "-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-cp", benchCp,
                    ServiceMain.class.getName(), "kafka", o.dir().resolve("kafka").toString(),
                    Integer.toString(kafkaPort), Integer.toString(brokerMetrics)), Map.of(), d.log("broker"),
                    brokerMetrics));
            d.add(new LaunchedProcess("s3", List.of(java, "-Xmx256m", "-cp", benchCp, ServiceMain.class.getName(), "s3",
                    o.dir().resolve("s3").toString(), Integer.toString(s3Port), Integer.toString(s3Metrics),
                    "auditrail-archive"), Map.of(), d.log("s3"), s3Metrics));
            for (String service : List.of("broker", "s3")) {
                d.processes.get(service).start();
            }
            for (String service : List.of("broker", "s3")) {
                d.processes.get(service).awaitReady(READY, false);
            }
            d.cli("archive", "keygen", "--private-key", privateKey.toString(), "--public-key", publicKey.toString());
            d.cli("migrate");
            d.defineStages(privateKey);
            d.startStages(d.instancesOf(o.stages()));
            return d;
        } catch (Exception e) {
            d.close();
            throw e;
        }
    }

    private void defineStages(Path privateKey) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (String stage : STAGES) {
            int instances = stage.equals("streams") ? options.streamsInstances() : 1;
            for (int i = 1; i <= instances; i++) {
                String name = i == 1 ? stage : stage + "-" + i;
                int http = freePort();
                Map<String, String> set = new LinkedHashMap<>(options.stageSettings());
                set.put(AppConfig.HTTP_LISTEN_ADDRESS, "127.0.0.1:" + http);
                switch (stage) {
                    case "ingest" -> {
                        set.put(IngestConfig.LISTEN_ADDRESS, "127.0.0.1:" + ingestPort);
                        set.put(IngestConfig.SPOOL_DIR, options.dir().resolve("ingest-spool").toString());
                    }
                    case "streams" -> set.put(StreamsStageConfig.STATE_DIR, streamsState(i).toString());
                    case "archive" -> set.put(ArchiveConfig.SIGNING_KEY_FILE, privateKey.toString());
                    default -> { }
                }
                List<String> command = new ArrayList<>(List.of(java));
                command.addAll(jvmOptions(stage));
                command.addAll(List.of("-jar", options.appJar().toString(), stage));
                set.forEach((k, v) -> command.addAll(List.of("--set", k + "=" + v)));
                add(new LaunchedProcess(name, command, env, log(name), http));
            }
        }
    }

    /**
     * The stage's JVM options: {@link #JVM_OPTIONS}, or {@code STAGE_JVM_OPTIONS_<STAGE>} from the environment in
     * their place; {@code STAGE_JVM_OPTIONS} (e.g. a flight recording) is added to every stage.
     */
    private static List<String> jvmOptions(String stage) {
        List<String> out = new ArrayList<>();
        String own = System.getenv("STAGE_JVM_OPTIONS_" + stage.toUpperCase(Locale.ROOT));
        out.addAll(List.of((own != null ? own : JVM_OPTIONS.get(stage)).trim().split("\\s+")));
        out.add("-XX:+ExitOnOutOfMemoryError"); // as the image's entrypoint
        String all = System.getenv("STAGE_JVM_OPTIONS");
        if (all != null && !all.isBlank()) {
            out.addAll(List.of(all.trim().split("\\s+")));
        }
        return out;
    }

    /** The process names of these stages: {@code streams} stands for every streams instance. */
    List<String> instancesOf(List<String> stages) {
        List<String> all = new ArrayList<>();
        for (String n : stages) {
            if (n.equals("streams")) {
                for (int i = 1; i <= options.streamsInstances(); i++) {
                    all.add(i == 1 ? "streams" : "streams-" + i);
                }
            } else {
                all.add(n);
            }
        }
        return all;
    }

    /** Starts these processes (by name) together and waits until each is ready. */
    void startStages(List<String> names) throws Exception {
        for (String n : names) {
            processes.get(n).start();
        }
        for (String n : names) {
            processes.get(n).awaitReady(READY, true);
        }
    }

    /** The data directory of the streams instance {@code i} (1-based). */
    Path streamsState(int i) {
        return options.dir().resolve("streams-state-" + i);
    }

    /** Runs one auditrail command to its end with the deployment's environment; fails on a non-zero exit. */
    void cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", options.appJar().toString()));
        command.addAll(List.of(args));
        Path log = log(args[0]);
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        b.environment().putAll(env);
        Process p = b.start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("auditrail " + String.join(" ", args) + " failed; see " + log);
        }
    }

    /** SIGKILL of one process, then (after {@code pause}) the same command again; returns when it is ready. */
    void killAndRestart(String name, Duration pause) throws Exception {
        LaunchedProcess p = processes.get(name);
        p.kill();
        Thread.sleep(pause.toMillis());
        p.start();
    }

    LaunchedProcess process(String name) {
        LaunchedProcess p = processes.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no process " + name + "; known: " + processes.keySet());
        }
        return p;
    }

    /** Every process, in start order: broker, s3, then the stages. */
    Map<String, LaunchedProcess> processes() {
        return processes;
    }

    /** The postmaster's pid, for measuring PostgreSQL as one process tree. */
    long postgresPid() throws IOException {
        return Long.parseLong(Files.readAllLines(postgres.dataDir().resolve("pgdata").resolve("postmaster.pid"))
                .get(0).trim());
    }

    /** Settings for the benchmark's own clients: Kafka, PostgreSQL, S3 and the archive's public key. */
    Settings clientSettings() {
        return clientSettings;
    }

    int ingestPort() {
        return ingestPort;
    }

    Path logDir() {
        return options.dir().resolve("logs");
    }

    private Path log(String name) {
        return logDir().resolve(name + ".log");
    }

    private void add(LaunchedProcess p) {
        processes.put(p.name(), p);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** Stages first (SIGTERM, last started first), then the services. */
    @Override
    public void close() {
        List<LaunchedProcess> order = new ArrayList<>(processes.values());
        java.util.Collections.reverse(order);
        for (LaunchedProcess p : order) {
            try {
                p.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        postgres.close();
    }
}
