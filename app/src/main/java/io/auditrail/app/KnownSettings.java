package io.auditrail.app;

import io.auditrail.archive.ArchiveConfig;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.index.IndexConfig;
import io.auditrail.ingest.IngestConfig;
import io.auditrail.streams.StreamsStageConfig;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;

/** Every setting any stage defines: one environment serves all commands, so all keys are checked together. */
public final class KnownSettings {
    public static final List<ConfigDef> DEFINITIONS = List.of(CoreConfig.DEFINITION, AppConfig.DEFINITION,
            IngestConfig.DEFINITION, StreamsStageConfig.DEFINITION, IndexConfig.DEFINITION, ArchiveConfig.DEFINITION);

    private KnownSettings() {
    }
}
