package io.auditrail.app;

import io.auditrail.alerts.AlertsConfig;
import io.auditrail.archive.ArchiveConfig;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.index.IndexConfig;
import io.auditrail.ingest.IngestConfig;
import io.auditrail.reports.ReportsConfig;
import io.auditrail.reports.console.ConsoleConfig;
import io.auditrail.reports.evidence.EvidenceConfig;
import io.auditrail.streams.StreamsStageConfig;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;

/** Every setting any stage defines: one environment serves all commands, so all keys are checked together. */
public final class KnownSettings {
    public static final List<ConfigDef> DEFINITIONS = List.of(CoreConfig.DEFINITION, AppConfig.DEFINITION,
            IngestConfig.DEFINITION, StreamsStageConfig.DEFINITION, IndexConfig.DEFINITION, ArchiveConfig.DEFINITION,
            AlertsConfig.DEFINITION, ReportsConfig.DEFINITION, EvidenceConfig.DEFINITION, ConsoleConfig.DEFINITION);

    private KnownSettings() {
    }
}
