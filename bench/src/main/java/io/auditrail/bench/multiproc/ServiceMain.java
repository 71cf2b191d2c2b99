package io.auditrail.bench.multiproc;

import com.sun.net.httpserver.HttpServer;
import io.auditrail.app.stage.StageRunner;
import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.EmbeddedS3;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * One embedded service in a JVM of its own, as a deployment runs its broker and object store apart from the stages:
 * {@code kafka DIR PORT METRICS_PORT} (the KRaft broker of module {@code embedded}) or
 * {@code s3 DIR PORT METRICS_PORT BUCKET}. The JVM's meters are served on {@code METRICS_PORT} at {@code /metrics},
 * named as the stages' (so one sampler reads every JVM's heap alike). Prints {@code ready} once serving; stops on
 * SIGTERM, and a SIGKILL leaves the data directory for the next start on the same port.
 */
public final class ServiceMain {
    private ServiceMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4 || !(args[0].equals("kafka") || args[0].equals("s3") && args.length == 5)) {
            System.err.println("usage: ServiceMain kafka DIR PORT METRICS_PORT | s3 DIR PORT METRICS_PORT BUCKET");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        int port = Integer.parseInt(args[2]);
        AutoCloseable service;
        if (args[0].equals("kafka")) {
            service = new EmbeddedKafka(EmbeddedKafka.Config.of(dir).withPort(port)).start();
        } else {
            EmbeddedS3 s3 = new EmbeddedS3(EmbeddedS3.Config.of(dir).withPort(port)).start();
            s3.ensureBucket(args[4]);
            service = s3;
        }
        PrometheusMeterRegistry metrics = StageRunner.registry();
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[3])), 0);
        http.createContext("/metrics", exchange -> {
            byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            http.stop(0);
            try {
                service.close();
            } catch (Exception e) {
                System.err.println(args[0] + ": stopping failed: " + e.getMessage());
            }
            stopped.countDown();
        }, "service-shutdown"));
        System.out.println("ready " + args[0] + " 127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }
}
