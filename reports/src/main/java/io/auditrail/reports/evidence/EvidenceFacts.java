package io.auditrail.reports.evidence;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Everything a pack states about one tenant and the period [from, to): gathered once, rendered as the summary, CSV
 * files and JSON. Times are UTC; lists are in a stable order so two builds over the same data render the same.
 */
public record EvidenceFacts(String tenant, Instant from, Instant to, Instant generatedAt, Totals totals,
                            List<DailyVolume> dailyVolumes, List<SecretAccess> secretAccess,
                            List<PrivilegedChange> privilegedChanges, List<Denial> denials, List<AnomalyFact> anomalies,
                            IndexRetention indexRetention, ArchiveFacts archive, List<MetaAuditRow> metaAudit) {
    public EvidenceFacts {
        dailyVolumes = List.copyOf(dailyVolumes);
        secretAccess = List.copyOf(secretAccess);
        privilegedChanges = List.copyOf(privilegedChanges);
        denials = List.copyOf(denials);
        anomalies = List.copyOf(anomalies);
        metaAudit = List.copyOf(metaAudit);
    }

    /** Period totals. Requests are primary events: a request entry (carrying its response's outcome) or a lone response. */
    public record Totals(long events, long requests, long denied, long errors, long failedLogins, int secretsAccessed,
                         int actorsAccessingSecrets, int privilegedChanges, int anomalies, long metaAuditCalls) {
    }

    /** One UTC day of the tenant's traffic; days without events are present with zeros. */
    public record DailyVolume(LocalDate day, long events, long requests, long denied, long errors) {
    }

    /** One secret and one actor: how often, how, and when first and last. */
    public record SecretAccess(String secretPath, String actorEntityId, String actorDisplayName, long requests,
                               long reads, long writes, long deletes, long lists, long denied, Instant firstTime,
                               Instant lastTime) {
    }

    /** One privileged write (denied attempts included), with the actor's policies and the TTL of a created token. */
    public record PrivilegedChange(Instant time, String eventId, String requestId, PrivilegedCategory category,
                                   String operation, String path, String outcome, String actorEntityId,
                                   String actorDisplayName, String remoteAddress, List<String> actorPolicies,
                                   Long issuedTokenTtlSeconds) {
        public PrivilegedChange {
            actorPolicies = List.copyOf(actorPolicies);
        }
    }

    /** What kind of refusal a {@link Denial} is. */
    public enum DenialKind {
        /** A request refused with permission denied or an invalid token. */
        DENIED_ACCESS,
        /** A login (auth/<mount>/login...) that did not succeed, whatever the error. */
        FAILED_LOGIN;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One denied request or failed login. {@code error} is Vault's error text. */
    public record Denial(Instant time, String eventId, DenialKind kind, String operation, String path, String outcome,
                         String actorEntityId, String actorDisplayName, String remoteAddress, String error) {
    }

    /** One decision on an anomaly: who (API token id), when, which status, why. */
    public record Disposition(String anomalyId, String status, String note, String decidedBy, Instant decidedAt) {
    }

    /**
     * One anomaly of the tenant whose window started in the period, with its whole disposition history. {@code via}
     * is {@code tenant} for the tenant's own, {@code path} for another tenant's anomaly some of whose events named
     * this tenant's paths: then {@code firedCount} counts those events only and the description is this tenant's.
     */
    public record AnomalyFact(String anomalyId, String rule, String severity, String actor, String actorDisplayName,
                              String remoteAddress, Instant windowStart, Instant windowEnd, long firedCount,
                              String description, String status, List<Disposition> dispositions, String via) {
        public AnomalyFact {
            dispositions = List.copyOf(dispositions);
        }

        /** The latest decision, null while nobody has triaged it. */
        public Disposition latestDisposition() {
            return dispositions.isEmpty() ? null : dispositions.get(dispositions.size() - 1);
        }
    }

    /**
     * What the index still holds and what retention dropped: the tenant's oldest indexed event, the oldest day
     * partition still present, and the days dropped (event_partition: the proof of retention). No row counts: those
     * of a dropped day are every tenant's together, not this tenant's to see.
     */
    public record IndexRetention(Instant oldestTenantEvent, LocalDate oldestRetainedDay, long daysDropped,
                                 LocalDate firstDroppedDay, LocalDate lastDroppedDay, Instant lastDroppedAt) {
    }

    /**
     * The archive's side: when its oldest object's first line was written, and the verification of the period's
     * digests. The archive holds every tenant's lines, so a tenant's pack states what is true of it without its
     * platform-wide facts: no bucket, key, object or line counts, nor S3's error texts ({@code oldestObjectNote} says
     * only why the time is unknown).
     */
    public record ArchiveFacts(Instant oldestObjectTime, String oldestObjectNote, Verification verification) {
    }

    /**
     * The archive verification of the period, or of its last part: at most {@code reports.verify.max.days} are
     * verified per pack, [{@code verifiedFrom}, {@code verifiedTo}), which may start after the pack's period does
     * ({@link #coversFrom}). {@code verified} false means it could not run ({@code reason} says why, in our words);
     * when it ran, {@code problems} lists what it found as kind and key (empty: intact).
     */
    public record Verification(boolean verified, String reason, Instant verifiedFrom, Instant verifiedTo, int digests,
                               String chainHead, List<String> problems) {
        public Verification {
            problems = List.copyOf(problems);
        }

        public static Verification notVerified(String reason) {
            return new Verification(false, reason, null, null, 0, null, List.of());
        }

        public boolean intact() {
            return verified && problems.isEmpty();
        }

        /** Whether the verification started at {@code from} (else the earlier days were not verified by this pack). */
        public boolean coversFrom(Instant from) {
            return verified && verifiedFrom != null && !verifiedFrom.isAfter(from);
        }
    }

    /**
     * Calls about the tenant, from the meta-audit (who looked at the audit data), counted per UTC day, token, route,
     * outcome and status: every call is counted, and however many calls a token makes, the pack grows by one row
     * per day and kind of call (a flood cannot make a pack too large to build).
     */
    public record MetaAuditRow(LocalDate day, String tokenId, String role, String method, String route,
                               String outcome, int status, long calls, Instant firstAt, Instant lastAt) {
    }
}
