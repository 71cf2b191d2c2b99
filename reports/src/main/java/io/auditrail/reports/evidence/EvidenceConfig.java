package io.auditrail.reports.evidence;

import io.auditrail.archive.ArchiveKeys;
import io.auditrail.core.config.Settings;
import java.security.PrivateKey;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of SOC2 evidence packs, among them the pack's own signing key. The archive is read with the archive's
 * settings (archive.*, s3.*); the archive's digest signing key is never one of serve's settings.
 */
public final class EvidenceConfig extends AbstractConfig {
    public static final String SUMMARY_MAX_ROWS = "reports.evidence.summary.max.rows";
    private static final String SUMMARY_MAX_ROWS_DOC = "Rows per table in the summary (HTML, PDF); the CSV files and "
            + "the JSON always hold every row.";
    public static final String ARCHIVE_LOOKBACK_YEARS = "reports.evidence.archive.lookback.years";
    private static final String ARCHIVE_LOOKBACK_YEARS_DOC = "How many years back the pack looks for the archive's "
            + "oldest object (one S3 listing per empty month probed).";

    public static final String SIGNING_KEY_FILE = "reports.evidence.signing.key.file";
    private static final String SIGNING_KEY_FILE_DOC = "PEM file of the Ed25519 private key that signs evidence packs' "
            + "manifests (auditrail report keygen). A key of its own, never the archive's digest key: serve, which "
            + "signs packs, must not be able to re-sign the archive's chain. Without it packs are written unsigned.";
    public static final String SIGNING_KEY = "reports.evidence.signing.key";
    private static final String SIGNING_KEY_DOC = "The pack signing key itself (PEM or base64 PKCS#8), for "
            + "AUDITRAIL_REPORTS_EVIDENCE_SIGNING_KEY from a secret store. Never logged.";
    public static final String MAX_ROWS = "reports.evidence.max.rows";
    private static final String MAX_ROWS_DOC = "Rows a pack may hold per section (secret access, privileged changes, "
            + "denials, anomalies, meta-audit): a period with more is refused with 400 (ask for a shorter one), so a "
            + "pack never holds more than this many rows of each in memory.";
    public static final String VERIFY_CACHE_MINUTES = "reports.evidence.verify.cache.minutes";
    private static final String VERIFY_CACHE_MINUTES_DOC = "How long the archive verification of a period that is "
            + "over (ended more than three hours ago) is reused by later packs of the same period, any tenant and "
            + "format (the archive is one chain); 0 verifies for every pack.";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(SUMMARY_MAX_ROWS, Type.INT, 50, Range.between(1, 10_000), Importance.LOW, SUMMARY_MAX_ROWS_DOC)
            .define(ARCHIVE_LOOKBACK_YEARS, Type.INT, 10, Range.between(1, 100), Importance.LOW,
                    ARCHIVE_LOOKBACK_YEARS_DOC)
            .define(SIGNING_KEY_FILE, Type.STRING, "", Importance.HIGH, SIGNING_KEY_FILE_DOC)
            .define(SIGNING_KEY, Type.PASSWORD, "", Importance.HIGH, SIGNING_KEY_DOC)
            .define(MAX_ROWS, Type.INT, 50_000, Range.between(100, 10_000_000), Importance.LOW, MAX_ROWS_DOC)
            .define(VERIFY_CACHE_MINUTES, Type.INT, 60, Range.between(0, 10_080), Importance.LOW,
                    VERIFY_CACHE_MINUTES_DOC);

    public EvidenceConfig(Settings settings) {
        super(DEFINITION, settings.only(DEFINITION), false);
        if (!getString(SIGNING_KEY_FILE).isEmpty() && !getPassword(SIGNING_KEY).value().isEmpty()) {
            throw new ConfigException(SIGNING_KEY, "[hidden]", "set either it or " + SIGNING_KEY_FILE + ", not both");
        }
    }

    /**
     * Checks the pack key as serve starts, so a bad one stops start-up rather than the first pack: readable, and not
     * the archive's digest key.
     *
     * @return whether packs will be signed
     * @throws ConfigException naming the setting (never the key)
     */
    public static boolean checkPackKey(Settings settings) {
        try {
            return PackSigner.fromSettings(settings).isPresent();
        } catch (IllegalStateException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** The pack signing key, empty when none is configured; {@link ConfigException} when it is unreadable. */
    public Optional<PrivateKey> signingKey() {
        return ArchiveKeys.configuredPrivateKey(SIGNING_KEY_FILE, getString(SIGNING_KEY_FILE), SIGNING_KEY,
                getPassword(SIGNING_KEY).value());
    }

    public int summaryMaxRows() {
        return getInt(SUMMARY_MAX_ROWS);
    }

    public int archiveLookbackYears() {
        return getInt(ARCHIVE_LOOKBACK_YEARS);
    }

    public int maxRows() {
        return getInt(MAX_ROWS);
    }

    public java.time.Duration verifyCacheFor() {
        return java.time.Duration.ofMinutes(getInt(VERIFY_CACHE_MINUTES));
    }
}
