package io.auditrail.app.dev;

import io.auditrail.app.CommonOptions;
import io.auditrail.app.ExitCode;
import io.auditrail.core.config.Settings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code auditrail dev}: embedded Kafka, PostgreSQL and S3 plus every stage in one process, until Ctrl-C. */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = {"Run the whole pipeline in one process on embedded Kafka, PostgreSQL and S3, "
                + "print where each part listens, and run until interrupted (Ctrl-C stops everything cleanly).",
                "Without --data-dir, state lives in a temporary directory removed on exit."})
public final class DevCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Keep all state here, across restarts.")
    Path dataDir;

    @Option(names = "--bind", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address the API and the ingest listener bind to (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--http-port", defaultValue = "8080", description = "API, console, health, metrics (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--ingest-port", defaultValue = "9090",
            description = "Vault's socket audit device connects here (default: ${DEFAULT-VALUE}).")
    int ingestPort;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Embedded Kafka broker (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--postgres-port", defaultValue = "5433", description = "Embedded PostgreSQL (default: ${DEFAULT-VALUE}).")
    int postgresPort;

    @Option(names = "--s3-port", defaultValue = "9000", description = "Embedded S3 API (default: ${DEFAULT-VALUE}).")
    int s3Port;

    @Option(names = "--bucket", defaultValue = "auditrail-archive", description = "Archive bucket (default: ${DEFAULT-VALUE}).")
    String bucket;

    @Option(names = "--simulate", description = "Also feed the stack realistic Vault traffic (auditrail simulate), "
            + "every detection rule planted once; anomalies appear below as they are detected.")
    boolean simulate;

    @Option(names = "--simulate-rate", defaultValue = "200", paramLabel = "LINES_PER_S",
            description = "Lines per second of --simulate (default: ${DEFAULT-VALUE}).")
    double simulateRate;

    @Option(names = "--simulate-duration", defaultValue = "10m", converter = io.auditrail.app.DurationArgument.class,
            description = "How long --simulate sends (default: ${DEFAULT-VALUE}).")
    java.time.Duration simulateDuration;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        for (int port : new int[] {httpPort, ingestPort, kafkaPort, postgresPort, s3Port}) {
            if (port < 0 || port > 65_535) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "port out of range: " + port);
            }
        }
        boolean ephemeral = dataDir == null;
        Path dir = ephemeral ? Files.createTempDirectory("auditrail-dev-") : Files.createDirectories(dataDir);
        Settings settings = common.settings(); // a broken --config or environment stops us before anything starts
        CountDownLatch stopped = new CountDownLatch(1);
        DevStack stack = DevStack.start(new DevStack.Options(dir, bind, httpPort, ingestPort, kafkaPort, postgresPort,
                s3Port, bucket, settings));
        Thread hook = new Thread(() -> {
            out.println("auditrail dev: stopping");
            out.flush();
            try {
                stack.close();
            } finally {
                if (ephemeral) {
                    deleteQuietly(dir);
                }
                stopped.countDown();
            }
        }, "auditrail-dev-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        out.println("auditrail dev is running:");
        stack.endpoints().forEach((what, where) -> out.printf("  %-20s %s%n", what, where));
        out.println("Ctrl-C stops everything. Anomalies appear below as they are detected.");
        out.flush();
        java.util.function.Consumer<String> printer = line -> {
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        };
        stack.printAnomalies(printer);
        if (simulate) {
            printer.accept(String.format("simulating 3 Vault nodes at %.0f lines/s for %s, 5 tenants, every rule planted "
                    + "once", simulateRate, simulateDuration.toSeconds() + " s"));
            stack.simulate(simulateRate, simulateDuration, 5, 1, printer);
        }
        stopped.await();
        return ExitCode.OK;
    }

    private static void deleteQuietly(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("auditrail dev: could not remove " + dir + ": " + e.getMessage());
        }
    }
}
