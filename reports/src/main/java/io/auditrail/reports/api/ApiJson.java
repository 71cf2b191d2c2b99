package io.auditrail.reports.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.auditrail.archive.Problem;
import io.auditrail.archive.VerifyReport;
import io.auditrail.reports.query.AnomalyRecord;
import io.auditrail.reports.query.DispositionRecord;
import io.auditrail.reports.query.EventPage;
import io.auditrail.reports.query.EventRecord;
import io.auditrail.reports.query.TenantSummary;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The API's JSON: snake_case names, times as RFC 3339 UTC strings, nulls kept (a field is always present). Built as
 * trees so the shape is visible here, independent of how the host app configured Javalin's JSON mapper.
 */
final class ApiJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private ApiJson() {
    }

    static byte[] bytes(ObjectNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    static ObjectNode error(int status, String reason) {
        ObjectNode o = MAPPER.createObjectNode();
        ObjectNode e = o.putObject("error");
        e.put("status", status);
        e.put("reason", reason);
        return o;
    }

    static ObjectNode page(EventPage page) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("tenant", page.tenant());
        o.put("from", time(page.from()));
        o.put("to", time(page.to()));
        ArrayNode events = o.putArray("events");
        page.events().forEach(e -> events.add(event(e)));
        o.put("next_cursor", page.nextCursor());
        return o;
    }

    static ObjectNode event(EventRecord e) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("event_id", e.eventId().toString());
        o.put("time", time(e.time()));
        o.put("tenant_id", e.tenantId());
        o.put("tenant_source", e.tenantSource());
        o.put("path_tenant_id", e.pathTenantId());
        o.put("type", e.type());
        o.put("request_id", e.requestId());
        o.put("operation", e.operation());
        o.put("path", e.path());
        o.put("secret_path", e.secretPath());
        o.put("mount_type", e.mountType());
        o.put("mount_point", e.mountPoint());
        o.put("namespace", e.namespace());
        o.put("outcome", e.outcome());
        ObjectNode actor = o.putObject("actor");
        actor.put("entity_id", e.actorEntityId());
        actor.put("display_name", e.actorDisplayName());
        actor.put("remote_address", e.remoteAddress());
        o.put("pairing_status", e.pairingStatus());
        if (e.rawPartition() != null && e.rawOffset() != null) {
            ObjectNode raw = o.putObject("raw");
            raw.put("partition", e.rawPartition());
            raw.put("offset", e.rawOffset());
        } else {
            o.putNull("raw");
        }
        // jsonb's text form is JSON already: embedded as it is rather than parsed and written again
        o.putRawValue("detail", new RawValue(e.detailJson() == null ? "null" : e.detailJson()));
        o.put("indexed_at", time(e.indexedAt()));
        return o;
    }

    static ObjectNode summary(TenantSummary s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("tenant", s.tenant());
        o.put("from", time(s.from()));
        o.put("to", time(s.to()));
        o.put("total", s.total());
        counts(o.putArray("by_operation"), "operation", s.byOperation());
        counts(o.putArray("by_outcome"), "outcome", s.byOutcome());
        counts(o.putArray("by_day"), "day", s.byDay());
        return o;
    }

    private static void counts(ArrayNode into, String name, List<TenantSummary.Count> counts) {
        for (TenantSummary.Count c : counts) {
            ObjectNode n = into.addObject();
            n.put(name, c.value());
            n.put("count", c.count());
        }
    }

    static ObjectNode anomalies(List<AnomalyRecord> list) {
        ObjectNode o = MAPPER.createObjectNode();
        ArrayNode items = o.putArray("anomalies");
        for (AnomalyRecord a : list) {
            ObjectNode n = items.addObject();
            n.put("anomaly_id", a.anomalyId().toString());
            n.put("rule", a.rule());
            n.put("severity", a.severity());
            n.put("tenant_id", a.tenantId());
            n.put("actor", a.actor());
            n.put("actor_display_name", a.actorDisplayName());
            n.put("remote_address", a.remoteAddress());
            ArrayNode ids = n.putArray("event_ids");
            for (UUID id : a.eventIds()) {
                ids.add(id.toString());
            }
            n.put("window_start", time(a.windowStart()));
            n.put("window_end", time(a.windowEnd()));
            n.put("fired_count", a.firedCount());
            n.put("revision", a.revision());
            n.put("description", a.description());
            n.put("status", a.status());
            n.put("first_indexed_at", time(a.firstIndexedAt()));
            n.put("updated_at", time(a.updatedAt()));
            n.put("via", a.via());
        }
        return o;
    }

    static ObjectNode disposition(DispositionRecord d) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("disposition_id", d.dispositionId());
        o.put("anomaly_id", d.anomalyId().toString());
        o.put("tenant_id", d.tenantId());
        o.put("status", d.status());
        o.put("note", d.note());
        o.put("decided_by", d.decidedBy());
        o.put("decided_at", time(d.decidedAt()));
        return o;
    }

    static ObjectNode verify(VerifyReport r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("from", time(r.from()));
        o.put("to", time(r.to()));
        o.put("intact", r.intact());
        o.put("digests", r.digests());
        o.put("objects", r.objects());
        o.put("lines", r.lines());
        o.put("chain_head", r.chainHead());
        ArrayNode problems = o.putArray("problems");
        for (Problem p : r.problems()) {
            ObjectNode n = problems.addObject();
            n.put("kind", p.kind().name().toLowerCase(Locale.ROOT));
            n.put("key", p.key());
            n.put("detail", p.detail());
        }
        return o;
    }

    static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
