package io.auditrail.reports.evidence;

import io.auditrail.archive.ArchiveKeys;
import io.auditrail.core.config.Settings;
import io.auditrail.reports.evidence.EvidenceFacts.AnomalyFact;
import io.auditrail.reports.evidence.EvidenceFacts.ArchiveFacts;
import io.auditrail.reports.evidence.EvidenceFacts.DailyVolume;
import io.auditrail.reports.evidence.EvidenceFacts.Denial;
import io.auditrail.reports.evidence.EvidenceFacts.DenialKind;
import io.auditrail.reports.evidence.EvidenceFacts.Disposition;
import io.auditrail.reports.evidence.EvidenceFacts.IndexRetention;
import io.auditrail.reports.evidence.EvidenceFacts.MetaAuditRow;
import io.auditrail.reports.evidence.EvidenceFacts.PrivilegedChange;
import io.auditrail.reports.evidence.EvidenceFacts.SecretAccess;
import io.auditrail.reports.evidence.EvidenceFacts.Verification;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Hand-made facts for the unit tests, with strings chosen to break naive escaping. */
final class SampleFacts {
    static final String HOSTILE_PATH = "secret/data/<script>alert('x')</script>\"&,\n=cmd|' /C calc'!A0";
    static final Instant FROM = Instant.parse("2026-07-01T00:00:00Z");
    static final Instant TO = Instant.parse("2026-07-04T00:00:00Z");

    private SampleFacts() {
    }

    static EvidenceFacts facts() {
        List<DailyVolume> volumes = List.of(new DailyVolume(LocalDate.parse("2026-07-01"), 20, 10, 2, 1),
                new DailyVolume(LocalDate.parse("2026-07-02"), 0, 0, 0, 0),
                new DailyVolume(LocalDate.parse("2026-07-03"), 8, 4, 1, 0));
        List<SecretAccess> access = List.of(
                new SecretAccess(HOSTILE_PATH, "entity-1", "<b>mallory</b>", 3, 2, 1, 0, 0, 1,
                        Instant.parse("2026-07-01T10:00:00Z"), Instant.parse("2026-07-03T10:00:00Z")),
                new SecretAccess("secret/tenants/acme/db", "entity-2", "app \u00e9\u4e2d\ud83d\ude00", 5, 5, 0, 0, 0, 0,
                        Instant.parse("2026-07-01T11:00:00Z"), Instant.parse("2026-07-01T12:00:00Z")));
        List<PrivilegedChange> privileged = List.of(new PrivilegedChange(Instant.parse("2026-07-01T09:00:00Z"),
                "e-1", "r-1", PrivilegedCategory.POLICY, "update", "sys/policies/acl/acme-admin", "ok", "entity-1",
                "admin", "10.0.0.1", List.of("default", "acme-admin"), null));
        List<Denial> denials = List.of(new Denial(Instant.parse("2026-07-01T09:30:00Z"), "e-2", DenialKind.DENIED_ACCESS,
                "read", "secret/data/tenants/other/x", "denied", "entity-1", "admin", "10.0.0.1",
                "1 error occurred:\n\t* permission denied\n\n"));
        List<AnomalyFact> anomalies = List.of(new AnomalyFact("a-1", "policy_change", "medium", "entity:entity-1",
                "admin", "10.0.0.1", Instant.parse("2026-07-01T09:00:00Z"), Instant.parse("2026-07-01T09:00:00Z"), 1,
                "policy acme-admin changed", "resolved", List.of(
                        new Disposition("a-1", "acknowledged", "looking", "tok-1", Instant.parse("2026-07-01T10:00:00Z")),
                        new Disposition("a-1", "resolved", "planned change, ticket \"CHG-1\"", "tok-2",
                                Instant.parse("2026-07-02T10:00:00Z"))), "tenant"));
        List<MetaAuditRow> meta = List.of(new MetaAuditRow(LocalDate.parse("2026-07-02"), "tok-1", "auditor",
                "GET", "/api/v1/tenants/{tenant}/events", "ok", 200, 3, Instant.parse("2026-07-02T08:00:00Z"),
                Instant.parse("2026-07-02T09:00:00Z")));
        return new EvidenceFacts("acme", FROM, TO, Instant.parse("2026-07-05T00:00:00Z"),
                EvidencePackBuilder.totals(volumes, access, privileged, denials, anomalies, meta), volumes, access,
                privileged, denials, anomalies,
                new IndexRetention(Instant.parse("2026-04-02T00:00:00Z"), LocalDate.parse("2026-04-02"), 3,
                        LocalDate.parse("2026-03-30"), LocalDate.parse("2026-04-01"),
                        Instant.parse("2026-07-01T00:05:00Z")),
                new ArchiveFacts(null, "the archive could not be reached",
                        Verification.notVerified("the archive could not be read; the server's log says why")), meta);
    }

    /** A fresh pack key pair in {@code dir} ({@code pack.key}, {@code pack.pub}) and the signer of its settings. */
    static PackSigner signer(Path dir) throws IOException {
        ArchiveKeys.generate(dir.resolve("pack.key"), dir.resolve("pack.pub"));
        return PackSigner.fromSettings(Settings.of(Map.of(EvidenceConfig.SIGNING_KEY_FILE,
                dir.resolve("pack.key").toString()))).orElseThrow();
    }

    static byte[] write(EvidencePack pack, EvidencePack.Format format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pack.write(format, out);
        return out.toByteArray();
    }

    static EvidencePack pack(Optional<PackSigner> signer) {
        return new EvidencePack(facts(), signer, 50);
    }
}
