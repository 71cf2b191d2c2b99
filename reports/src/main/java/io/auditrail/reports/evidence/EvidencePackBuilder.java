package io.auditrail.reports.evidence;

import io.auditrail.core.config.Settings;
import io.auditrail.reports.ReportsConfig;
import io.auditrail.reports.evidence.EvidenceFacts.AnomalyFact;
import io.auditrail.reports.evidence.EvidenceFacts.ArchiveFacts;
import io.auditrail.reports.evidence.EvidenceFacts.DailyVolume;
import io.auditrail.reports.evidence.EvidenceFacts.Denial;
import io.auditrail.reports.evidence.EvidenceFacts.DenialKind;
import io.auditrail.reports.evidence.EvidenceFacts.IndexRetention;
import io.auditrail.reports.evidence.EvidenceFacts.MetaAuditRow;
import io.auditrail.reports.evidence.EvidenceFacts.PrivilegedChange;
import io.auditrail.reports.evidence.EvidenceFacts.SecretAccess;
import io.auditrail.reports.evidence.EvidenceFacts.Totals;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds one tenant's SOC2 evidence pack for [from, to): the index facts in one read-only snapshot, then the
 * archive's oldest object and verification (which never fail the pack), signed with the pack signing key when one is
 * configured. The caller checks the tenant scope and bounds how many packs run at once; everything read here is
 * filtered by the tenant given, and bounded: at most {@code reports.evidence.max.rows} rows per section (a period
 * with more is refused), the verification as {@link ArchiveEvidence} bounds it. One builder per server: its
 * verifications are reused by the packs of every tenant.
 */
public final class EvidencePackBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(EvidencePackBuilder.class);
    /** Ten years: far beyond the index's retention, and a bound on the per-day work of a pack. */
    public static final long MAX_PERIOD_DAYS = 3660;

    private final DataSource dataSource;
    private final Clock clock;
    private final EvidenceConfig config;
    private final Optional<PackSigner> signer;
    private final ArchiveEvidence archive;

    public EvidencePackBuilder(DataSource dataSource, Settings settings, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.config = new EvidenceConfig(settings);
        this.signer = PackSigner.fromSettings(settings);
        ReportsConfig reports = new ReportsConfig(settings);
        this.archive = new ArchiveEvidence(settings, reports.login(), config.archiveLookbackYears(), clock,
                reports.verifyMaxPeriod(), config.verifyCacheFor());
        if (signer.isEmpty()) {
            LOG.warn("no evidence pack signing key configured ({}): packs will be written UNSIGNED",
                    EvidenceConfig.SIGNING_KEY_FILE);
        }
    }

    public EvidencePack build(String tenant, Instant from, Instant to) throws SQLException {
        if (tenant == null || tenant.isBlank()) {
            throw new IllegalArgumentException("tenant is required");
        }
        if (from == null || to == null || !from.isBefore(to)) {
            throw new IllegalArgumentException("the period needs from < to");
        }
        if (java.time.Duration.between(from, to).toDays() > MAX_PERIOD_DAYS) {
            throw new IllegalArgumentException("the period may span at most " + MAX_PERIOD_DAYS + " days");
        }
        long started = System.nanoTime();
        Instant generatedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<DailyVolume> volumes;
        List<SecretAccess> access;
        List<PrivilegedChange> privileged;
        List<Denial> denials;
        List<AnomalyFact> anomalies;
        IndexRetention retention;
        List<MetaAuditRow> metaAudit;
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            c.setReadOnly(true);
            // one snapshot: every section counts the same rows even while the index keeps writing
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                IndexEvidence index = new IndexEvidence(c, tenant, from, to, config.maxRows());
                volumes = index.dailyVolumes();
                access = index.secretAccess();
                privileged = index.privilegedChanges();
                denials = index.denials();
                anomalies = index.anomalies();
                retention = index.retention();
                metaAudit = index.metaAudit();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setReadOnly(false);
                c.setAutoCommit(autoCommit);
            }
        }
        ArchiveFacts archiveFacts = archive.gather(from, to);
        Totals totals = totals(volumes, access, privileged, denials, anomalies, metaAudit);
        EvidenceFacts facts = new EvidenceFacts(tenant, from, to, generatedAt, totals, volumes, access, privileged,
                denials, anomalies, retention, archiveFacts, metaAudit);
        LOG.info("evidence pack facts gathered: {} requests, {} anomalies, in {} ms", totals.requests(),
                anomalies.size(), (System.nanoTime() - started) / 1_000_000);
        return new EvidencePack(facts, signer, config.summaryMaxRows());
    }

    static Totals totals(List<DailyVolume> volumes, List<SecretAccess> access, List<PrivilegedChange> privileged,
                         List<Denial> denials, List<AnomalyFact> anomalies, List<MetaAuditRow> metaAudit) {
        long events = 0;
        long requests = 0;
        long denied = 0;
        long errors = 0;
        for (DailyVolume v : volumes) {
            events += v.events();
            requests += v.requests();
            denied += v.denied();
            errors += v.errors();
        }
        long failedLogins = denials.stream().filter(d -> d.kind() == DenialKind.FAILED_LOGIN).count();
        Set<String> secrets = new HashSet<>();
        Set<String> actors = new HashSet<>();
        for (SecretAccess a : access) {
            secrets.add(a.secretPath());
            actors.add(a.actorEntityId() + "\u0000" + a.actorDisplayName());
        }
        long calls = metaAudit.stream().mapToLong(MetaAuditRow::calls).sum();
        return new Totals(events, requests, denied, errors, failedLogins, secrets.size(), actors.size(),
                privileged.size(), anomalies.size(), calls);
    }
}
