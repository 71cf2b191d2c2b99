package io.auditrail.core.topic;

import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;

import java.util.List;

/** The names and shape of the pipeline's topics; the one place stages learn them from. */
public record Topics(String raw, String events, String anomalies, String dlq, String tenants, int partitions,
                     short replicationFactor) {

    public static Topics defaults() {
        return new CoreConfig(Settings.of(java.util.Map.of())).topics();
    }

    public List<String> all() {
        return List.of(raw, events, anomalies, dlq, tenants);
    }
}
