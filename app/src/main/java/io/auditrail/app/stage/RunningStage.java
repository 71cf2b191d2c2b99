package io.auditrail.app.stage;

import io.auditrail.app.health.ReadinessCheck;
import io.auditrail.core.stage.Stage;
import io.javalin.config.RoutesConfig;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** A started stage as the CLI sees it: how to tell it is ready, where it listens, how to stop it. */
public interface RunningStage extends AutoCloseable {
    List<ReadinessCheck> readiness();

    /** What listens where, for the start-up banner (e.g. "Vault socket device" -> "127.0.0.1:9090"). */
    Map<String, String> endpoints();

    /** HTTP routes the stage serves beside /healthz, /readyz and /metrics (the API and console); none by default. */
    default Consumer<RoutesConfig> routes() {
        return routes -> { };
    }

    @Override
    void close();

    /** A stage built from the kit ({@link Stage}): its one not-ready reason is its readiness check. */
    static RunningStage of(Stage stage, Map<String, String> endpoints) {
        return of(stage, endpoints, routes -> { });
    }

    /** As {@link #of(Stage, Map)}, with HTTP routes the ops server mounts beside its own. */
    static RunningStage of(Stage stage, Map<String, String> endpoints, Consumer<RoutesConfig> routes) {
        ReadinessCheck check = new ReadinessCheck() {
            @Override
            public String name() {
                return stage.name();
            }

            @Override
            public void check() {
                String reason = stage.notReadyReason();
                if (reason != null) {
                    throw new IllegalStateException(reason);
                }
            }
        };
        return new RunningStage() {
            @Override
            public List<ReadinessCheck> readiness() {
                return List.of(check);
            }

            @Override
            public Map<String, String> endpoints() {
                return endpoints;
            }

            @Override
            public Consumer<RoutesConfig> routes() {
                return routes;
            }

            @Override
            public void close() {
                stage.close();
            }
        };
    }
}
