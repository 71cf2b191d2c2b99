package io.auditrail.app.stage;

import io.auditrail.app.health.ReadinessCheck;
import java.util.List;
import java.util.Map;

/** A started stage as the CLI sees it: how to tell it is ready, where it listens, how to stop it. */
public interface RunningStage extends AutoCloseable {
    List<ReadinessCheck> readiness();

    /** What listens where, for the start-up banner (e.g. "Vault socket device" -> "127.0.0.1:9090"). */
    Map<String, String> endpoints();

    @Override
    void close();
}
