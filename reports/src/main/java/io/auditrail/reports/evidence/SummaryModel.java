package io.auditrail.reports.evidence;

import io.auditrail.reports.evidence.EvidenceFacts.AnomalyFact;
import io.auditrail.reports.evidence.EvidenceFacts.ArchiveFacts;
import io.auditrail.reports.evidence.EvidenceFacts.Denial;
import io.auditrail.reports.evidence.EvidenceFacts.DenialKind;
import io.auditrail.reports.evidence.EvidenceFacts.Disposition;
import io.auditrail.reports.evidence.EvidenceFacts.IndexRetention;
import io.auditrail.reports.evidence.EvidenceFacts.MetaAuditRow;
import io.auditrail.reports.evidence.EvidenceFacts.PrivilegedChange;
import io.auditrail.reports.evidence.EvidenceFacts.SecretAccess;
import io.auditrail.reports.evidence.EvidenceFacts.Totals;
import io.auditrail.reports.evidence.EvidenceFacts.Verification;
import io.auditrail.reports.evidence.SummarySection.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** Turns facts into the summary's sections: what a person reads first, with the CSV files for the rest. */
final class SummaryModel {
    private static final List<String> STATUSES = List.of("open", "acknowledged", "resolved", "false_positive");

    private final EvidenceFacts facts;
    private final int maxRows;

    SummaryModel(EvidenceFacts facts, int maxRows) {
        this.facts = facts;
        this.maxRows = maxRows;
    }

    static String title(EvidenceFacts facts) {
        return "SOC2 evidence pack: " + facts.tenant();
    }

    List<SummarySection> sections() {
        List<SummarySection> out = new ArrayList<>();
        for (EvidenceSection s : EvidenceSection.values()) {
            out.add(switch (s) {
                case PERIOD_AND_VOLUME -> period();
                case SECRET_ACCESS -> secretAccess();
                case PRIVILEGED_CHANGES -> privileged();
                case DENIALS -> denials();
                case ANOMALIES -> anomalies();
                case RETENTION -> retention();
                case META_AUDIT -> metaAudit();
            });
        }
        return out;
    }

    private SummarySection period() {
        Totals t = facts.totals();
        long days = facts.dailyVolumes().size();
        return new SummarySection(EvidenceSection.PERIOD_AND_VOLUME, List.of(
                "Tenant: " + facts.tenant(),
                "Period: " + time(facts.from()) + " to " + time(facts.to()) + " (UTC, end excluded), " + days + " days",
                "Generated: " + time(facts.generatedAt()),
                "Requests: " + t.requests() + " (" + t.events() + " audit entries indexed, request and response"
                        + " counted apart); denied: " + t.denied() + "; errors: " + t.errors(),
                "The chart shows requests per UTC day; the denied share is drawn darker. Every day:"
                        + " csv/daily-volume.csv."), List.of());
    }

    private SummarySection secretAccess() {
        Totals t = facts.totals();
        List<SecretAccess> top = facts.secretAccess().stream()
                .sorted(Comparator.comparingLong(SecretAccess::requests).reversed()
                        .thenComparing(SecretAccess::secretPath)).toList();
        List<List<String>> rows = top.stream().limit(maxRows).map(a -> List.of(a.secretPath(),
                actor(a.actorDisplayName(), a.actorEntityId()), num(a.requests()), num(a.reads()), num(a.writes()),
                num(a.deletes()), num(a.lists()), num(a.denied()), time(a.firstTime()), time(a.lastTime()))).toList();
        return new SummarySection(EvidenceSection.SECRET_ACCESS, List.of(
                t.secretsAccessed() + " secrets accessed by " + t.actorsAccessingSecrets() + " actors ("
                        + facts.secretAccess().size() + " secret and actor pairs). Every pair: csv/secret-access.csv."),
                List.of(new Table("Most accessed (secret, actor)", List.of("Secret", "Actor", "Requests", "Reads",
                        "Writes", "Deletes", "Lists", "Denied", "First", "Last"),
                        List.of(22, 16, 6, 6, 6, 6, 5, 6, 13, 13), rows, top.size() - rows.size())));
    }

    private SummarySection privileged() {
        Map<PrivilegedCategory, long[]> byCategory = new EnumMap<>(PrivilegedCategory.class);
        for (PrivilegedChange c : facts.privilegedChanges()) {
            long[] n = byCategory.computeIfAbsent(c.category(), k -> new long[2]);
            n[0]++;
            if (!"ok".equals(c.outcome())) {
                n[1]++;
            }
        }
        List<List<String>> counts = new ArrayList<>();
        byCategory.forEach((c, n) -> counts.add(List.of(c.wire(), num(n[0]), num(n[1]))));
        List<PrivilegedChange> all = facts.privilegedChanges();
        List<List<String>> rows = all.stream().limit(maxRows).map(c -> List.of(time(c.time()), c.category().wire(),
                text(c.operation()), text(c.path()), text(c.outcome()),
                actor(c.actorDisplayName(), c.actorEntityId()), String.join(" ", c.actorPolicies()),
                c.issuedTokenTtlSeconds() == null ? "" : c.issuedTokenTtlSeconds() + " s")).toList();
        return new SummarySection(EvidenceSection.PRIVILEGED_CHANGES, List.of(
                all.size() + " privileged changes (writes to audit devices, policies, auth methods, mounts, seal and"
                        + " cluster, tokens, identities and other sys/ paths; refused attempts included). Every"
                        + " change: csv/privileged-changes.csv; the list of paths is in docs/EVIDENCE.md."),
                List.of(new Table("By category", List.of("Category", "Changes", "Not ok"), List.of(3, 1, 1), counts, 0),
                        new Table("Changes, oldest first", List.of("Time", "Category", "Op", "Path", "Outcome",
                                "Actor", "Actor policies", "Token TTL"), List.of(13, 10, 5, 22, 6, 14, 14, 6), rows,
                                all.size() - rows.size())));
    }

    private SummarySection denials() {
        Totals t = facts.totals();
        record Key(DenialKind kind, String actor, String address, String path) {
        }
        Map<Key, long[]> grouped = new LinkedHashMap<>();
        Map<Key, Instant[]> times = new LinkedHashMap<>();
        for (Denial d : facts.denials()) {
            Key k = new Key(d.kind(), actor(d.actorDisplayName(), d.actorEntityId()), text(d.remoteAddress()),
                    text(d.path()));
            grouped.computeIfAbsent(k, x -> new long[1])[0]++;
            Instant[] span = times.computeIfAbsent(k, x -> new Instant[] {d.time(), d.time()});
            span[1] = d.time();
        }
        List<Key> keys = grouped.keySet().stream()
                .sorted(Comparator.comparingLong((Key k) -> grouped.get(k)[0]).reversed()).toList();
        List<List<String>> rows = keys.stream().limit(maxRows).map(k -> List.of(k.kind().wire(), k.actor(),
                k.address(), k.path(), num(grouped.get(k)[0]), time(times.get(k)[0]), time(times.get(k)[1]))).toList();
        return new SummarySection(EvidenceSection.DENIALS, List.of(
                (t.denied()) + " requests denied (permission denied or invalid token); " + t.failedLogins()
                        + " failed logins. Every one, with Vault's error: csv/denials.csv."),
                List.of(new Table("Most frequent (kind, actor, address, path)", List.of("Kind", "Actor", "Address",
                        "Path", "Count", "First", "Last"), List.of(9, 16, 10, 25, 5, 13, 13), rows,
                        keys.size() - rows.size())));
    }

    private SummarySection anomalies() {
        Map<String, Map<String, long[]>> byRule = new TreeMap<>();
        for (AnomalyFact a : facts.anomalies()) {
            long[] n = byRule.computeIfAbsent(a.rule(), r -> new TreeMap<>())
                    .computeIfAbsent(a.severity(), s -> new long[1 + STATUSES.size()]);
            n[0]++;
            int i = STATUSES.indexOf(a.status());
            if (i >= 0) {
                n[1 + i]++;
            }
        }
        List<List<String>> counts = new ArrayList<>();
        byRule.forEach((rule, bySeverity) -> bySeverity.forEach((severity, n) -> counts.add(List.of(rule, severity,
                num(n[0]), num(n[1]), num(n[2]), num(n[3]), num(n[4])))));
        List<List<String>> rows = facts.anomalies().stream().limit(maxRows).map(a -> {
            Disposition d = a.latestDisposition();
            return List.of(time(a.windowStart()), a.rule(), a.severity(), actor(a.actorDisplayName(), a.actor()),
                    num(a.firedCount()), a.status(), d == null ? "" : d.decidedBy() + " " + time(d.decidedAt()),
                    d == null ? "" : text(d.note()));
        }).toList();
        long open = facts.anomalies().stream().filter(a -> "open".equals(a.status())).count();
        return new SummarySection(EvidenceSection.ANOMALIES, List.of(
                facts.anomalies().size() + " anomalies detected for this tenant in the period; " + open
                        + " still open. Every anomaly: csv/anomalies.csv; every decision:"
                        + " csv/anomaly-dispositions.csv."),
                List.of(new Table("By rule and severity, with the current disposition", List.of("Rule", "Severity",
                        "Anomalies", "Open", "Acknowledged", "Resolved", "False positive"),
                        List.of(14, 6, 5, 4, 6, 5, 6), counts, 0),
                        new Table("Anomalies, oldest first, with the latest decision", List.of("Window start", "Rule",
                                "Severity", "Actor", "Fired", "Status", "Decided by, at", "Note"),
                                List.of(13, 13, 6, 14, 4, 8, 16, 18), rows, facts.anomalies().size() - rows.size())));
    }

    private SummarySection retention() {
        IndexRetention r = facts.indexRetention();
        ArchiveFacts a = facts.archive();
        Verification v = a.verification();
        List<String> s = new ArrayList<>();
        s.add("Index: oldest event of this tenant still indexed: " + time(r.oldestTenantEvent())
                + "; oldest day partition kept: " + text(Objects.toString(r.oldestRetainedDay(), "")) + ".");
        s.add(r.daysDropped() == 0 ? "Index: no day has been dropped by retention yet."
                : "Index: retention dropped " + r.daysDropped() + " day partitions (" + r.firstDroppedDay() + " to "
                        + r.lastDroppedDay() + "), the last at " + time(r.lastDroppedAt()) + ".");
        s.add(a.oldestObjectTime() != null
                ? "Archive: raw lines kept since " + time(a.oldestObjectTime()) + " (the oldest archived object)."
                : "Archive: oldest object unknown: " + text(a.oldestObjectNote()) + ".");
        if (!v.verified()) {
            s.add("Archive verification of the period: not verified: " + v.reason());
        } else {
            String window = v.coversFrom(facts.from()) ? "" : " Only " + time(v.verifiedFrom()) + " to "
                    + time(v.verifiedTo()) + " was verified for this pack (reports.verify.max.days); the days before"
                    + " it were NOT: run 'auditrail verify' for them.";
            if (v.digests() == 0) {
                s.add("Archive verification of the period: NO signed digest was created in the period, so nothing"
                        + " could be verified (the archiver was not running, or its digests are missing)." + window);
            } else if (v.intact()) {
                s.add("Archive verification of the period: intact. " + v.digests() + " signed digests; chain head "
                        + text(v.chainHead()) + "." + window);
            } else {
                s.add("Archive verification of the period: PROBLEMS FOUND (" + v.problems().size() + "), "
                        + v.digests() + " digests checked." + window);
            }
        }
        List<List<String>> problems = v.problems().stream().limit(maxRows).map(p -> List.of(p)).toList();
        List<Table> tables = problems.isEmpty() ? List.of() : List.of(new Table("Verification problems",
                List.of("Problem"), List.of(1), problems, v.problems().size() - problems.size()));
        return new SummarySection(EvidenceSection.RETENTION, s, tables);
    }

    private SummarySection metaAudit() {
        List<MetaAuditRow> all = facts.metaAudit();
        Map<String, Long> byOutcome = new TreeMap<>();
        all.forEach(m -> byOutcome.merge(m.outcome(), m.calls(), Long::sum));
        List<MetaAuditRow> latest = all.subList(Math.max(0, all.size() - maxRows), all.size());
        List<List<String>> rows = latest.stream().map(m -> List.of(m.day().toString(), text(m.tokenId()),
                text(m.role()), m.method() + " " + m.route(), m.outcome(), String.valueOf(m.status()),
                Long.toString(m.calls()))).toList();
        String outcomes = byOutcome.isEmpty() ? "none" : String.join(", ",
                byOutcome.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
        return new SummarySection(EvidenceSection.META_AUDIT, List.of(
                facts.totals().metaAuditCalls() + " API and console calls about this tenant in the period ("
                        + outcomes + "), per day, token, route and outcome: csv/meta-audit.csv."),
                List.of(new Table("Latest days", List.of("Day", "Token", "Role", "Route", "Outcome", "Status",
                        "Calls"), List.of(10, 10, 7, 28, 7, 4, 6), rows, all.size() - rows.size())));
    }

    static String time(Instant t) {
        return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String actor(String displayName, String id) {
        if (displayName == null && id == null) {
            return "-";
        }
        if (displayName == null || displayName.equals(id)) {
            return id;
        }
        return id == null ? displayName : displayName + " (" + id + ")";
    }

    private static String num(long n) {
        return Long.toString(n);
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }
}
