package io.auditrail.reports.evidence;

import io.auditrail.archive.ArchiveConfig;
import io.auditrail.archive.ArchiveStore;
import io.auditrail.archive.ArchiveVerifier;
import io.auditrail.archive.ObjectKey;
import io.auditrail.archive.Problem;
import io.auditrail.archive.VerifyReport;
import io.auditrail.core.config.Settings;
import io.auditrail.reports.evidence.EvidenceFacts.ArchiveFacts;
import io.auditrail.reports.evidence.EvidenceFacts.Verification;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive's part of a pack: its oldest object and the verification of the period. Neither ever fails the pack: an
 * archive that is not configured or not reachable is stated as such ("not verified: reason").
 */
final class ArchiveEvidence {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveEvidence.class);
    private static final int MAX_REASON_CHARS = 300;

    private final Settings settings;
    private final int lookbackYears;
    private final Clock clock;

    ArchiveEvidence(Settings settings, int lookbackYears, Clock clock) {
        this.settings = settings;
        this.lookbackYears = lookbackYears;
        this.clock = clock;
    }

    ArchiveFacts gather(Instant from, Instant to) {
        ArchiveConfig config;
        try {
            config = new ArchiveConfig(settings);
        } catch (ConfigException e) {
            String reason = "archive settings invalid: " + shortReason(e);
            return new ArchiveFacts(null, null, reason, Verification.notVerified(reason));
        }
        try (ArchiveStore store = ArchiveStore.open(config, clock)) {
            if (!store.bucketReachable()) {
                String reason = "bucket '" + config.bucket() + "' not reachable";
                return new ArchiveFacts(null, null, reason, Verification.notVerified(reason));
            }
            String oldestNote = null;
            Optional<ObjectKey> oldest = Optional.empty();
            try {
                oldest = oldestObject(store);
                if (oldest.isEmpty()) {
                    oldestNote = "no archived object within " + lookbackYears + " years";
                }
            } catch (RuntimeException e) {
                oldestNote = "listing failed: " + shortReason(e);
                LOG.warn("evidence pack: listing the archive failed: {}", shortReason(e));
            }
            return new ArchiveFacts(oldest.map(ObjectKey::key).orElse(null),
                    oldest.map(ObjectKey::firstTime).orElse(null), oldestNote, verify(from, to));
        } catch (RuntimeException e) {
            String reason = "archive unavailable: " + shortReason(e);
            LOG.warn("evidence pack: {}", reason);
            return new ArchiveFacts(null, null, reason, Verification.notVerified(reason));
        }
    }

    private Verification verify(Instant from, Instant to) {
        try {
            VerifyReport report = ArchiveVerifier.verify(settings, from, to);
            return new Verification(true, null, report.digests(), report.objects(), report.lines(),
                    report.chainHead(), report.problems().stream().map(Problem::toString).toList());
        } catch (ConfigException e) {
            return Verification.notVerified(shortReason(e));
        } catch (RuntimeException e) {
            LOG.warn("evidence pack: archive verification could not run: {}", shortReason(e));
            return Verification.notVerified("verification could not run: " + shortReason(e));
        }
    }

    /**
     * The oldest object: keys sort by time under raw/yyyy/MM/, so the first key of the oldest non-empty month is the
     * oldest object. ArchiveStore lists whole prefixes, hence one listing per month probed.
     */
    private Optional<ObjectKey> oldestObject(ArchiveStore store) {
        YearMonth now = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
        for (YearMonth m = now.minusYears(lookbackYears); !m.isAfter(now); m = m.plusMonths(1)) {
            String prefix = String.format(java.util.Locale.ROOT, "%s%04d/%02d/", ObjectKey.PREFIX, m.getYear(),
                    m.getMonthValue());
            List<String> keys = store.list(prefix, null);
            for (String key : keys) {
                Optional<ObjectKey> parsed = ObjectKey.parse(key);
                if (parsed.isPresent()) {
                    return parsed;
                }
            }
        }
        return Optional.empty();
    }

    /** An exception's message, one line and short: it lands in the pack and in logs. */
    static String shortReason(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = m.replaceAll("[\\r\\n\\t]+", " ").strip();
        return m.length() > MAX_REASON_CHARS ? m.substring(0, MAX_REASON_CHARS) + "..." : m;
    }
}
