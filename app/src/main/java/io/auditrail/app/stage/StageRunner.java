package io.auditrail.app.stage;

import io.auditrail.app.AppConfig;
import io.auditrail.app.ExitCode;
import io.auditrail.app.health.Readiness;
import io.auditrail.app.http.OpsHttpServer;
import io.auditrail.core.config.Settings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one stage as a process: metrics registry, the stage, the ops HTTP server, a banner, then waits
 * for a signal and stops everything in reverse order. Every stage command uses it.
 */
public final class StageRunner {
    /** Starts a stage against the process's settings and metrics registry. */
    @FunctionalInterface
    public interface StageFactory {
        RunningStage start(Settings settings, MeterRegistry registry) throws Exception;
    }

    private StageRunner() {
    }

    /** A registry with the JVM's own meters bound, shared by every part of one process. */
    public static PrometheusMeterRegistry registry() {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        new UptimeMetrics().bindTo(metrics);
        return metrics;
    }

    public static int run(String name, Settings settings, PrintWriter out, StageFactory factory) throws Exception {
        InetSocketAddress httpAddress = new AppConfig(settings).httpAddress();
        PrometheusMeterRegistry metrics = registry();
        RunningStage stage = factory.start(settings, metrics);
        OpsHttpServer http;
        try {
            Readiness readiness = new Readiness();
            stage.readiness().forEach(readiness::add);
            http = OpsHttpServer.start(httpAddress.getHostString(), httpAddress.getPort(), readiness, metrics,
                    stage.routes());
        } catch (RuntimeException e) {
            stage.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                http.close();
                stage.close();
                metrics.close();
            } finally {
                stopped.countDown();
            }
        }, "auditrail-" + name + "-shutdown"));
        out.println("auditrail " + name + " is running:");
        stage.endpoints().forEach((what, where) -> out.printf("  %-22s %s%n", what, where));
        out.printf("  %-22s http://%s:%d/healthz /readyz /metrics%n", "health", httpAddress.getHostString(), http.port());
        out.flush();
        stopped.await();
        return ExitCode.OK;
    }
}
