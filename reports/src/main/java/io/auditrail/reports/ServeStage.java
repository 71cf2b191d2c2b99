package io.auditrail.reports;

import io.auditrail.core.config.Settings;
import io.auditrail.core.stage.Stage;
import io.auditrail.reports.api.ReportsApi;
import io.auditrail.reports.console.AuditorConsole;
import io.auditrail.reports.evidence.EvidenceConfig;
import io.javalin.config.RoutesConfig;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The serve process as a {@link Stage}: the HTTP API and the auditor console over the API's connection pools. It owns
 * no thread of its own (the HTTP server's threads belong to the ops server that mounts {@link #routes}), so its one
 * not-ready reason is the index database: what every call reads first.
 */
public final class ServeStage implements Stage {
    private final ReportsApi api;
    private final AuditorConsole console;

    private ServeStage(ReportsApi api, AuditorConsole console) {
        this.api = api;
        this.console = console;
    }

    /** Opens the API and the console; an unusable pack key, or the archive's own, stops start-up. */
    public static ServeStage start(Settings settings, MeterRegistry registry) {
        EvidenceConfig.checkPackKey(settings);
        ReportsApi api = ReportsApi.open(settings, registry);
        try {
            return new ServeStage(api, new AuditorConsole(api, settings));
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "api";
    }

    /** Null while the index database answers as a call needs it ({@link ReportsApi#checkReady}). */
    @Override
    public String notReadyReason() {
        try {
            api.checkReady();
            return null;
        } catch (Exception e) {
            return "index database: " + e.getMessage();
        }
    }

    /** The API's and the console's routes, for the ops HTTP server to mount. */
    public void routes(RoutesConfig routes) {
        api.routes(routes);
        console.routes(routes);
    }

    @Override
    public void close() {
        console.close(); // before the API: the API owns the connection pool
        api.close();
    }
}
