package io.auditrail.reports.evidence;

import io.auditrail.core.config.Settings;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Settings of SOC2 evidence packs. The signing key and the archive are the archive's settings (archive.*). */
public final class EvidenceConfig extends AbstractConfig {
    public static final String SUMMARY_MAX_ROWS = "reports.evidence.summary.max.rows";
    private static final String SUMMARY_MAX_ROWS_DOC = "Rows per table in the summary (HTML, PDF); the CSV files and "
            + "the JSON always hold every row.";
    public static final String ARCHIVE_LOOKBACK_YEARS = "reports.evidence.archive.lookback.years";
    private static final String ARCHIVE_LOOKBACK_YEARS_DOC = "How many years back the pack looks for the archive's "
            + "oldest object (one S3 listing per empty month probed).";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(SUMMARY_MAX_ROWS, Type.INT, 50, Range.between(1, 10_000), Importance.LOW, SUMMARY_MAX_ROWS_DOC)
            .define(ARCHIVE_LOOKBACK_YEARS, Type.INT, 10, Range.between(1, 100), Importance.LOW,
                    ARCHIVE_LOOKBACK_YEARS_DOC);

    public EvidenceConfig(Settings settings) {
        super(DEFINITION, onlyDefined(settings.asMap()), false);
    }

    private static Map<String, String> onlyDefined(Map<String, String> all) {
        return all.entrySet().stream().filter(e -> DEFINITION.names().contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    public int summaryMaxRows() {
        return getInt(SUMMARY_MAX_ROWS);
    }

    public int archiveLookbackYears() {
        return getInt(ARCHIVE_LOOKBACK_YEARS);
    }
}
