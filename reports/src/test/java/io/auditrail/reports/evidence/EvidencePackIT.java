package io.auditrail.reports.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.auditrail.archive.ArchiveConfig;
import io.auditrail.archive.ArchiveKeys;
import io.auditrail.archive.DigestEntry;
import io.auditrail.archive.ObjectKey;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.EmbeddedS3;
import io.auditrail.reports.testing.ArchiveWriter;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import io.auditrail.reports.evidence.EvidenceFacts.AnomalyFact;
import io.auditrail.reports.evidence.EvidenceFacts.DailyVolume;
import io.auditrail.reports.evidence.EvidenceFacts.Denial;
import io.auditrail.reports.evidence.EvidenceFacts.Disposition;
import io.auditrail.reports.evidence.EvidenceFacts.PrivilegedChange;
import io.auditrail.reports.evidence.EvidenceFacts.SecretAccess;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EmbeddedServicesExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EvidencePackIT {
    private static final Instant FROM = Instant.parse("2026-07-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-07-04T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-07-05T08:00:00Z"), ZoneOffset.UTC);
    private static final String POLICIES = "{\"schema\":1,\"actor\":{\"policies\":[\"default\",\"acme-admin\"]}";

    @TempDir
    Path keys;

    @Test
    void theTenantsPackHoldsExactlyItsTrafficAndItsManifestVerifies(EmbeddedPostgres pg, EmbeddedS3 s3)
            throws Exception {
        EvidenceDatabase db = EvidenceDatabase.create(pg);
        UUID[] acmeAnomalies = seed(db);
        Settings settings = archiveSettings(s3, db);
        ArchiveKeys.generate(keys.resolve("archive.key"), keys.resolve("archive.pub"));
        ArchiveKeys.generate(keys.resolve("pack.key"), keys.resolve("pack.pub"));
        archiveOneSignedDigest(settings, false);

        EvidencePack pack = new EvidencePackBuilder(db.serve, settings, CLOCK).build("acme", FROM, TO);
        EvidenceFacts f = pack.facts();

        assertThat(f.dailyVolumes()).extracting(DailyVolume::day, DailyVolume::events, DailyVolume::requests,
                DailyVolume::denied, DailyVolume::errors).containsExactly(
                // carol's (globex's token) denied read of acme's secret counts here too: it is acme's evidence
                tuple(LocalDate.parse("2026-07-01"), 20L, 10L, 2L, 1L),
                tuple(LocalDate.parse("2026-07-02"), 0L, 0L, 0L, 0L),
                tuple(LocalDate.parse("2026-07-03"), 6L, 3L, 1L, 0L));
        assertThat(f.totals()).isEqualTo(new EvidenceFacts.Totals(26, 13, 3, 1, 1, 3, 3, 3, 2, 3));
        assertThat(f.secretAccess()).extracting(SecretAccess::secretPath, SecretAccess::actorEntityId,
                SecretAccess::requests, SecretAccess::reads, SecretAccess::writes, SecretAccess::lists,
                SecretAccess::denied).containsExactly(
                tuple("secret/tenants/acme/", "entity-alice", 1L, 0L, 0L, 1L, 0L),
                tuple("secret/tenants/acme/api", "entity-bob", 1L, 1L, 0L, 0L, 1L),
                tuple("secret/tenants/acme/db", "entity-alice", 4L, 3L, 1L, 0L, 0L),
                tuple("secret/tenants/acme/db", "entity-bob", 1L, 1L, 0L, 0L, 0L),
                tuple("secret/tenants/acme/db", "entity-carol", 1L, 1L, 0L, 0L, 1L));
        assertThat(f.secretAccess().get(2).firstTime()).isEqualTo(Instant.parse("2026-07-01T09:00:00Z"));
        assertThat(f.secretAccess().get(2).lastTime()).isEqualTo(Instant.parse("2026-07-03T10:00:00Z"));
        assertThat(f.privilegedChanges()).extracting(PrivilegedChange::category, PrivilegedChange::path,
                PrivilegedChange::outcome, PrivilegedChange::actorPolicies, PrivilegedChange::issuedTokenTtlSeconds)
                .containsExactly(
                        tuple(PrivilegedCategory.POLICY, "sys/policies/acl/acme-admin", "ok",
                                List.of("default", "acme-admin"), null),
                        tuple(PrivilegedCategory.TOKEN_CREATION, "auth/token/create", "ok",
                                List.of("default", "acme-admin"), 3600L),
                        tuple(PrivilegedCategory.AUDIT_DEVICE, "sys/audit/file", "denied", List.of(), null));
        assertThat(f.denials()).extracting(Denial::kind, Denial::path, Denial::actorDisplayName).containsExactly(
                tuple(EvidenceFacts.DenialKind.DENIED_ACCESS, "secret/data/tenants/acme/db", "carol"),
                tuple(EvidenceFacts.DenialKind.DENIED_ACCESS, "secret/data/tenants/acme/api", "bob"),
                tuple(EvidenceFacts.DenialKind.FAILED_LOGIN, "auth/userpass/login/alice", null),
                tuple(EvidenceFacts.DenialKind.DENIED_ACCESS, "sys/audit/file", "bob"));
        assertThat(f.anomalies()).extracting(AnomalyFact::anomalyId, AnomalyFact::rule, AnomalyFact::severity,
                AnomalyFact::status).containsExactly(
                tuple(acmeAnomalies[0].toString(), "policy_change", "medium", "resolved"),
                tuple(acmeAnomalies[1].toString(), "audit_device_change", "critical", "open"));
        assertThat(f.anomalies().get(0).dispositions()).extracting(Disposition::status, Disposition::decidedBy)
                .containsExactly(tuple("acknowledged", "tok-oncall"), tuple("resolved", "tok-lead"));
        assertThat(f.anomalies().get(1).latestDisposition()).isNull();
        // the meta-audit per day, token, route and outcome: the two calls of 07-02 are one row counting two
        assertThat(f.metaAudit()).extracting(EvidenceFacts.MetaAuditRow::day, EvidenceFacts.MetaAuditRow::tokenId,
                EvidenceFacts.MetaAuditRow::outcome, EvidenceFacts.MetaAuditRow::calls).containsExactly(
                tuple(LocalDate.parse("2026-07-02"), "tok-aud", "ok", 2L),
                tuple(LocalDate.parse("2026-07-03"), "tok-other", "denied", 1L));
        // issue 17, item 12: no all-tenant counts (rows dropped, objects, lines) and no bucket key in a tenant's pack
        assertThat(f.indexRetention()).isEqualTo(new EvidenceFacts.IndexRetention(
                Instant.parse("2026-06-30T12:00:00Z"), LocalDate.parse("2026-06-30"), 2,
                LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-02"),
                Instant.parse("2026-06-01T00:00:00Z")));
        assertThat(f.archive().oldestObjectTime()).isAfterOrEqualTo(Instant.parse("2026-05-01T10:00:00Z"))
                .isBefore(Instant.parse("2026-05-01T11:00:00Z"));
        assertThat(f.archive().verification()).satisfies(v -> {
            assertThat(v.verified()).isTrue();
            assertThat(v.problems()).isEmpty();
            assertThat(v.digests()).isEqualTo(1);
            assertThat(v.coversFrom(FROM)).isTrue();
        });

        // nothing of globex anywhere, in any format, but carol's attempt on acme's secret (issue 17, item 10); and no
        // platform-wide fact: the bucket, the archive's keys, all-tenant counts (item 12)
        String bucket = settings.asMap().get(CoreConfig.S3_BUCKET);
        for (EvidencePack.Format format : EvidencePack.Format.values()) {
            String text = new String(write(pack, format), StandardCharsets.ISO_8859_1);
            assertThat(text).doesNotContain("globex").doesNotContain(bucket).doesNotContain("raw/2026/");
            if (format == EvidencePack.Format.JSON) {
                assertThat(text).doesNotContain("rows_dropped").doesNotContain("\"lines\"")
                        .doesNotContain("\"objects\"");
            }
        }
        String json = new String(write(pack, EvidencePack.Format.JSON), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("globex").doesNotContain("sys/mounts");

        byte[] zip = write(pack, EvidencePack.Format.ZIP);
        EvidencePackVerifier.Result verified = EvidencePackVerifier.verify(zip,
                ArchiveKeys.readPublicKey(keys.resolve("pack.pub")));
        assertThat(verified.problems()).isEmpty();
        assertThat(verified.valid()).isTrue();
        // signed with the pack's own key: the archive's public key does not verify it
        assertThat(EvidencePackVerifier.verify(zip, ArchiveKeys.readPublicKey(keys.resolve("archive.pub"))).valid())
                .isFalse();

        String pdfText;
        try (PDDocument doc = Loader.loadPDF(PackEntries.of(zip).get("summary.pdf"))) {
            pdfText = new PDFTextStripper().getText(doc);
        }
        for (EvidenceSection s : EvidenceSection.values()) {
            assertThat(pdfText).contains(s.title()).contains("SOC2: " + s.criteriaIds());
        }
        assertThat(pdfText).contains("CC6.1", "CC6.2", "CC6.3", "CC7.2", "CC7.3")
                .contains("Archive verification of the period: intact. 1 signed digests")
                .contains("sys/policies/acl/acme-admin");
        String csv = new String(PackEntries.of(zip).get("csv/meta-audit.csv"), StandardCharsets.UTF_8);
        assertThat(csv.lines().count()).isEqualTo(3);
    }

    @Test
    void withoutAnArchiveOrAKeyThePackSaysNotVerifiedAndUnsignedInsteadOfFailing(EmbeddedPostgres pg)
            throws Exception {
        EvidenceDatabase db = EvidenceDatabase.create(pg);
        seed(db);
        Settings settings = Settings.of(Map.of(CoreConfig.S3_ENDPOINT, "http://127.0.0.1:1",
                CoreConfig.S3_ACCESS_KEY, "x", CoreConfig.S3_SECRET_KEY, "y"));

        EvidencePack pack = new EvidencePackBuilder(db.serve, settings, CLOCK).build("globex", FROM, TO);

        assertThat(pack.signed()).isFalse();
        assertThat(pack.facts().archive().verification().verified()).isFalse();
        assertThat(pack.facts().archive().verification().reason())
                .isEqualTo("archive verification is not configured on this server");
        assertThat(pack.facts().archive().oldestObjectNote()).isEqualTo("the archive could not be reached");
        assertThat(pack.facts().totals().requests()).isEqualTo(8);
        assertThat(pack.facts().secretAccess()).extracting(SecretAccess::actorEntityId).containsOnly("entity-carol");
        String html = new String(write(pack, EvidencePack.Format.HTML), StandardCharsets.UTF_8);
        // carol's read of an acme path is globex's row (its token's tenant); acme's own actors never appear
        assertThat(html).contains("not verified: archive verification is not configured").doesNotContain("alice")
                .doesNotContain("entity-bob").doesNotContain("127.0.0.1").doesNotContain("auditrail-archive");
        Map<String, byte[]> zip = PackEntries.of(write(pack, EvidencePack.Format.ZIP));
        assertThat(zip).doesNotContainKey("manifest.sig");
        assertThat(new String(zip.get("manifest.json"), StandardCharsets.UTF_8)).contains("NOT signed");
    }

    @Test
    void anArchiveThatDoesNotVerifyIsReportedAsSuchInThePack(EmbeddedPostgres pg, EmbeddedS3 s3) throws Exception {
        EvidenceDatabase db = EvidenceDatabase.create(pg);
        seed(db);
        Settings settings = archiveSettings(s3, db);
        ArchiveKeys.generate(keys.resolve("archive.key"), keys.resolve("archive.pub"));
        ArchiveKeys.generate(keys.resolve("pack.key"), keys.resolve("pack.pub"));
        archiveOneSignedDigest(settings, true);

        EvidencePack pack = new EvidencePackBuilder(db.serve, settings, CLOCK).build("acme", FROM, TO);

        EvidenceFacts.Verification v = pack.facts().archive().verification();
        assertThat(v.verified()).isTrue();
        assertThat(v.intact()).isFalse();
        assertThat(v.problems()).singleElement().asString().startsWith("ALTERED_OBJECT raw/2026/07/01/09/");
        assertThat(new String(write(pack, EvidencePack.Format.HTML), StandardCharsets.UTF_8))
                .contains("Archive verification of the period: PROBLEMS FOUND (1)").contains("ALTERED_OBJECT");
    }

    /** Known traffic for acme (the tenant under test), globex (the other tenant) and the platform. */
    private static UUID[] seed(EvidenceDatabase db) throws Exception {
        db.partitions(LocalDate.parse("2026-06-30"), LocalDate.parse("2026-07-04"));
        db.dropped(LocalDate.parse("2026-03-01"), 10, Instant.parse("2026-05-31T00:00:00Z"));
        db.dropped(LocalDate.parse("2026-03-02"), 20, Instant.parse("2026-06-01T00:00:00Z"));
        String a = "acme";
        // before the period: counted nowhere except as the oldest indexed event
        db.request(a, t("2026-06-30T12:00:00Z"), "read", "secret/data/tenants/acme/db", "ok", "entity-alice", "alice",
                "10.0.0.1", null);
        // day 1
        for (String time : List.of("2026-07-01T09:00:00Z", "2026-07-01T09:01:00Z", "2026-07-01T09:02:00Z")) {
            db.request(a, t(time), "read", "secret/data/tenants/acme/db", "ok", "entity-alice", "alice", "10.0.0.1",
                    null);
        }
        db.request(a, t("2026-07-01T10:00:00Z"), "read", "secret/data/tenants/acme/db", "ok", "entity-bob", "bob",
                "10.0.0.2", null);
        db.request(a, t("2026-07-01T10:05:00Z"), "read", "secret/data/tenants/acme/api", "denied", "entity-bob", "bob",
                "10.0.0.2", "{\"schema\":1,\"error\":\"1 error occurred:\\n\\t* permission denied\\n\\n\"}");
        db.request(a, t("2026-07-01T11:00:00Z"), "update", "sys/policies/acl/acme-admin", "ok", "entity-admin",
                "admin", "10.0.0.3", POLICIES + "}");
        db.request(a, t("2026-07-01T11:05:00Z"), "update", "auth/token/create", "ok", "entity-admin", "admin",
                "10.0.0.3", POLICIES + ",\"issued_token_ttl\":3600}");
        db.request(a, t("2026-07-01T11:10:00Z"), "update", "auth/userpass/login/alice", "error", null, null,
                "10.0.0.66", "{\"schema\":1,\"error\":\"invalid username or password\"}");
        db.request(a, t("2026-07-01T11:20:00Z"), "update", "auth/token/renew-self", "ok", "entity-alice", "alice",
                "10.0.0.1", null);
        // day 3
        db.request(a, t("2026-07-03T09:00:00Z"), "list", "secret/metadata/tenants/acme/", "ok", "entity-alice",
                "alice", "10.0.0.1", null);
        db.request(a, t("2026-07-03T10:00:00Z"), "update", "secret/data/tenants/acme/db", "ok", "entity-alice",
                "alice", "10.0.0.1", null);
        db.request(a, t("2026-07-03T11:00:00Z"), "update", "sys/audit/file", "denied", "entity-bob", "bob", "10.0.0.2",
                null);
        // the end is excluded
        db.request(a, t("2026-07-04T00:00:00Z"), "read", "secret/data/tenants/acme/db", "ok", "entity-alice", "alice",
                "10.0.0.1", null);

        String b = "globex";
        for (int i = 0; i < 5; i++) {
            db.request(b, t("2026-07-01T09:00:00Z").plusSeconds(i), "read", "secret/data/tenants/globex/x", "ok",
                    "entity-carol", "carol", "10.1.0.1", null);
        }
        db.request(b, t("2026-07-01T09:10:00Z"), "read", "secret/data/tenants/acme/db", "denied", "entity-carol",
                "carol", "10.1.0.1", null);
        db.request(b, t("2026-07-02T09:10:00Z"), "read", "secret/data/tenants/globex/y", "denied", "entity-carol",
                "carol", "10.1.0.1", null);
        db.request(b, t("2026-07-02T09:20:00Z"), "update", "sys/policies/acl/globex", "ok", "entity-carol", "carol",
                "10.1.0.1", null);
        db.request(null, t("2026-07-02T09:30:00Z"), "update", "sys/mounts/platform", "ok", "entity-ops", "ops",
                "10.2.0.1", null);

        UUID policy = db.anomaly(a, "policy_change", "medium", "entity:entity-admin", t("2026-07-01T11:00:00Z"),
                "resolved");
        db.disposition(policy, "acknowledged", "looking", "tok-oncall", t("2026-07-01T12:00:00Z"));
        db.disposition(policy, "resolved", "planned change CHG-7", "tok-lead", t("2026-07-02T12:00:00Z"));
        UUID audit = db.anomaly(a, "audit_device_change", "critical", "entity:entity-bob", t("2026-07-03T11:00:00Z"),
                "open");
        db.anomaly(a, "policy_change", "medium", "entity:entity-admin", t("2026-06-30T11:00:00Z"), "open");
        UUID other = db.anomaly(b, "cross_tenant_access", "critical", "entity:entity-carol", t("2026-07-01T09:10:00Z"),
                "acknowledged");
        db.disposition(other, "acknowledged", "globex knows", "tok-globex", t("2026-07-01T10:00:00Z"));

        db.metaAudit(a, t("2026-07-02T08:00:00Z"), "tok-aud", "ok", 200);
        db.metaAudit(a, t("2026-07-02T08:01:00Z"), "tok-aud", "ok", 200);
        db.metaAudit(a, t("2026-07-03T08:00:00Z"), "tok-other", "denied", 403);
        db.metaAudit(a, t("2026-07-04T08:00:00Z"), "tok-aud", "ok", 200);
        db.metaAudit(b, t("2026-07-02T08:00:00Z"), "tok-globex", "ok", 200);
        return new UUID[] {policy, audit};
    }

    /** What serve has: the bucket, the chain head table, the archive's public key and the pack key (not the chain's). */
    private Settings archiveSettings(EmbeddedS3 s3, EvidenceDatabase db) {
        PGSimpleDataSource ds = (PGSimpleDataSource) db.dataSource;
        String bucket = "ev-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
        s3.ensureBucket(bucket);
        Map<String, String> s = new HashMap<>();
        s.put(CoreConfig.S3_ENDPOINT, s3.endpoint().toString());
        s.put(CoreConfig.S3_ACCESS_KEY, s3.accessKey());
        s.put(CoreConfig.S3_SECRET_KEY, s3.secretKey());
        s.put(CoreConfig.S3_REGION, s3.region());
        s.put(CoreConfig.S3_BUCKET, bucket);
        s.put(CoreConfig.POSTGRES_URL, ds.getURL());
        s.put(CoreConfig.POSTGRES_USER, ds.getUser());
        s.put(CoreConfig.POSTGRES_PASSWORD, ds.getPassword() == null ? "" : ds.getPassword());
        s.put(ArchiveConfig.PUBLIC_KEY_FILE, keys.resolve("archive.pub").toString());
        s.put(EvidenceConfig.SIGNING_KEY_FILE, keys.resolve("pack.key").toString());
        s.put(EvidenceConfig.ARCHIVE_LOOKBACK_YEARS, "1");
        return Settings.of(s);
    }

    /**
     * What the archiver would have written: an older object (the oldest), an object of the period and the signed
     * digest that lists it, then a digest of now (the chain goes on; its head, recorded in the chain head table, is
     * fresh), in the documented format (docs/ARCHIVE.md).
     */
    private void archiveOneSignedDigest(Settings settings, boolean wrongHash) throws Exception {
        ArchiveWriter writer = new ArchiveWriter(settings, ArchiveKeys.readPrivateKey(keys.resolve("archive.key")));
        writer.object(new ObjectKey(t("2026-05-01T10:00:00Z"), t("2026-05-01T10:01:00Z"), 0, 0, 1),
                List.of("{\"old\":1}".getBytes(StandardCharsets.UTF_8), "{\"old\":2}".getBytes(StandardCharsets.UTF_8)));
        ObjectKey key = new ObjectKey(t("2026-07-01T09:00:00Z"), t("2026-07-01T09:01:00Z"), 0, 2, 3);
        DigestEntry entry = writer.object(key, List.of("{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                "{\"a\":2}".getBytes(StandardCharsets.UTF_8)));
        if (wrongHash) {
            entry = new DigestEntry(entry.key(), "00".repeat(32), entry.contentSha256(), entry.bytes(), entry.lines(),
                    entry.partition(), entry.firstOffset(), entry.lastOffset(), entry.firstTime(), entry.lastTime());
        }
        writer.digest(List.of(entry), t("2026-07-01T10:00:00Z"));
        writer.digest(List.of(), Instant.now());
    }

    private static byte[] write(EvidencePack pack, EvidencePack.Format format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pack.write(format, out);
        return out.toByteArray();
    }

    private static Instant t(String s) {
        return Instant.parse(s);
    }
}
