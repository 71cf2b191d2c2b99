package io.auditrail.reports.evidence;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.auditrail.reports.evidence.EvidenceFacts.AnomalyFact;
import io.auditrail.reports.evidence.EvidenceFacts.DailyVolume;
import io.auditrail.reports.evidence.EvidenceFacts.Denial;
import io.auditrail.reports.evidence.EvidenceFacts.Disposition;
import io.auditrail.reports.evidence.EvidenceFacts.MetaAuditRow;
import io.auditrail.reports.evidence.EvidenceFacts.PrivilegedChange;
import io.auditrail.reports.evidence.EvidenceFacts.SecretAccess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The CSV files an auditor samples from (RFC 4180, UTF-8, header row, every row of the period). Text that a
 * spreadsheet would run as a formula (starting with = + - @ tab or CR) is prefixed with a single quote, as OWASP
 * advises; evidence.json keeps every value unchanged.
 */
final class EvidenceCsv {
    static final String DIR = "csv/";
    private static final CsvMapper MAPPER = new CsvMapper();

    private EvidenceCsv() {
    }

    /** File name (under csv/) to content, in a fixed order. */
    static Map<String, byte[]> files(EvidenceFacts f) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put(DIR + "daily-volume.csv", csv(List.of("day", "events", "requests", "denied", "errors"),
                f.dailyVolumes(), (DailyVolume d) -> List.of(d.day(), d.events(), d.requests(), d.denied(),
                        d.errors())));
        out.put(DIR + "secret-access.csv", csv(List.of("secret_path", "actor_entity_id", "actor_display_name",
                "requests", "reads", "writes", "deletes", "lists", "denied", "first_time", "last_time"),
                f.secretAccess(), (SecretAccess a) -> Arrays.asList(a.secretPath(), a.actorEntityId(),
                        a.actorDisplayName(), a.requests(), a.reads(), a.writes(), a.deletes(), a.lists(), a.denied(),
                        a.firstTime(), a.lastTime())));
        out.put(DIR + "privileged-changes.csv", csv(List.of("time", "event_id", "request_id", "category",
                "operation", "path", "outcome", "actor_entity_id", "actor_display_name", "remote_address",
                "actor_policies", "issued_token_ttl_seconds"), f.privilegedChanges(),
                (PrivilegedChange c) -> Arrays.asList(c.time(), c.eventId(), c.requestId(), c.category().wire(),
                        c.operation(), c.path(), c.outcome(), c.actorEntityId(), c.actorDisplayName(),
                        c.remoteAddress(), String.join(";", c.actorPolicies()), c.issuedTokenTtlSeconds())));
        out.put(DIR + "denials.csv", csv(List.of("time", "event_id", "kind", "operation", "path", "outcome",
                "actor_entity_id", "actor_display_name", "remote_address", "error"), f.denials(),
                (Denial d) -> Arrays.asList(d.time(), d.eventId(), d.kind().wire(), d.operation(), d.path(),
                        d.outcome(), d.actorEntityId(), d.actorDisplayName(), d.remoteAddress(), d.error())));
        out.put(DIR + "anomalies.csv", csv(List.of("anomaly_id", "rule", "severity", "window_start", "window_end",
                "fired_count", "actor", "actor_display_name", "remote_address", "description", "status",
                "decided_by", "decided_at", "note", "decisions", "via"), f.anomalies(), (AnomalyFact a) -> {
                    Disposition d = a.latestDisposition();
                    return Arrays.asList(a.anomalyId(), a.rule(), a.severity(), a.windowStart(), a.windowEnd(),
                            a.firedCount(), a.actor(), a.actorDisplayName(), a.remoteAddress(), a.description(),
                            a.status(), d == null ? null : d.decidedBy(), d == null ? null : d.decidedAt(),
                            d == null ? null : d.note(), a.dispositions().size(), a.via());
                }));
        List<Object[]> decisions = new ArrayList<>();
        for (AnomalyFact a : f.anomalies()) {
            for (Disposition d : a.dispositions()) {
                decisions.add(new Object[] {a.anomalyId(), a.rule(), a.severity(), d.decidedAt(), d.decidedBy(),
                        d.status(), d.note()});
            }
        }
        out.put(DIR + "anomaly-dispositions.csv", csv(List.of("anomaly_id", "rule", "severity", "decided_at",
                "decided_by", "status", "note"), decisions, (Object[] r) -> Arrays.asList(r)));
        out.put(DIR + "meta-audit.csv", csv(List.of("day", "token_id", "role", "method", "route", "outcome", "status",
                "calls", "first_at", "last_at"), f.metaAudit(), (MetaAuditRow m) -> Arrays.asList(m.day(),
                        m.tokenId(), m.role(), m.method(), m.route(), m.outcome(), m.status(), m.calls(), m.firstAt(),
                        m.lastAt())));
        return out;
    }

    /** One CSV: a header, then one row per item; nulls are empty cells, numbers and times as text. */
    static <T> byte[] csv(List<String> header, List<T> items, Function<T, List<?>> row) throws IOException {
        // the header is written as a row of its own so a file without rows still names its columns
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(false);
        header.forEach(schema::addColumn);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Writer w = new OutputStreamWriter(bytes, StandardCharsets.UTF_8);
             SequenceWriter out = MAPPER.writer(schema.build()).writeValues(w)) {
            out.write(header);
            for (T item : items) {
                List<?> values = row.apply(item);
                List<String> cells = new ArrayList<>(values.size());
                for (Object v : values) {
                    cells.add(v == null ? "" : v instanceof String s ? neutralise(s) : v.toString());
                }
                out.write(cells);
            }
        }
        return bytes.toByteArray();
    }

    /** A cell a spreadsheet would evaluate gets a leading quote (OWASP CSV injection); anything else is unchanged. */
    static String neutralise(String s) {
        if (s.isEmpty()) {
            return s;
        }
        char c = s.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + s : s;
    }
}
