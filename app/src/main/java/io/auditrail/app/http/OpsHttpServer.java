package io.auditrail.app.http;

import io.auditrail.app.health.Readiness;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The process's HTTP face: {@code /healthz} (alive), {@code /readyz} (every readiness check passes),
 * {@code /metrics} (Prometheus), none needing a token; later stages add their routes beside them. {@code /readyz}
 * names each check and whether it passes, never why not: serve's port faces the internet, and a reason may be a
 * database's error text; the log has it ({@link Readiness}).
 */
public final class OpsHttpServer implements AutoCloseable {
    private final Javalin app;

    private OpsHttpServer(Javalin app) {
        this.app = app;
    }

    public static OpsHttpServer start(String host, int port, Readiness readiness, PrometheusMeterRegistry metrics,
                                      Consumer<RoutesConfig> moreRoutes) {
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.routes.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
            cfg.routes.get("/readyz", ctx -> {
                Map<String, String> checks = readiness.evaluate();
                boolean ready = Readiness.ready(checks);
                ctx.status(ready ? 200 : 503).json(Map.of("status", ready ? "ready" : Readiness.NOT_READY,
                        "checks", Readiness.publicView(checks)));
            });
            cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.scrape()));
            moreRoutes.accept(cfg.routes);
        });
        app.start(host, port);
        return new OpsHttpServer(app);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
