package io.auditrail.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.event.EventCodec;

/**
 * The request bodies of the three target types (shapes in docs/ALERTS.md). Pure: the same notification gives the same
 * bytes, so a retry sends exactly what the first attempt sent.
 */
public final class AlertPayloads {
    /** Version of the generic webhook body; bumped when a field changes meaning. */
    public static final int WEBHOOK_VERSION = 1;
    /** PagerDuty refuses a summary longer than this. */
    static final int PAGERDUTY_SUMMARY_MAX = 1024;
    /** Slack's limit for a header block's text. */
    static final int SLACK_HEADER_MAX = 150;
    static final String SOURCE = "auditrail";
    private static final ObjectMapper JSON = EventCodec.mapper();

    private AlertPayloads() {
    }

    public static byte[] render(Target target, Notification n) {
        ObjectNode body = switch (target.type()) {
            case WEBHOOK -> webhook(n);
            case SLACK -> slack(n);
            case PAGERDUTY -> pagerDuty(n, target.routingKey());
        };
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a payload tree always serialises", e);
        }
    }

    static ObjectNode webhook(Notification n) {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", "auditrail.anomaly");
        o.put("version", WEBHOOK_VERSION);
        o.put("summary", n.summary());
        o.put("suppressed_since_last", n.suppressedSinceLast());
        o.set("anomaly", JSON.valueToTree(n.anomaly()));
        return o;
    }

    static ObjectNode slack(Notification n) {
        Anomaly a = n.anomaly();
        ObjectNode o = JSON.createObjectNode();
        // the notification text is mrkdwn too: a display name like "<!channel>" would ping everyone, "<url|text>" disguise a link
        o.put("text", escape(n.summary()));
        ArrayNode blocks = o.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text")
                .put("text", clip(severityMark(a) + " " + a.rule() + " (" + a.severity().wire() + ")", SLACK_HEADER_MAX));
        ObjectNode section = blocks.addObject().put("type", "section");
        section.putObject("text").put("type", "mrkdwn")
                .put("text", escape(a.description() == null ? a.rule() : a.description()));
        ArrayNode fields = section.putArray("fields");
        field(fields, "Tenant", a.tenantId() == null ? "(platform)" : a.tenantId());
        field(fields, "Actor", a.actorDisplayName() == null ? a.actor() : a.actorDisplayName() + " (" + a.actor() + ")");
        field(fields, "Source address", a.remoteAddress() == null ? "-" : a.remoteAddress());
        field(fields, "Fired", a.count() + (a.count() == 1 ? " time" : " times")
                + (n.suppressedSinceLast() > 0 ? " (+" + n.suppressedSinceLast() + " similar suppressed)" : ""));
        field(fields, "Window", a.windowStart() + " .. " + a.windowEnd());
        ObjectNode context = blocks.addObject().put("type", "context");
        context.putArray("elements").addObject().put("type", "mrkdwn")
                .put("text", escape("anomaly " + a.anomalyId() + " revision " + a.revision() + " · auditrail"));
        return o;
    }

    static ObjectNode pagerDuty(Notification n, String routingKey) {
        Anomaly a = n.anomaly();
        ObjectNode o = JSON.createObjectNode();
        o.put("routing_key", routingKey);
        o.put("event_action", "trigger");
        // one incident per anomaly: revision 2 (the window's final count) updates the incident revision 1 opened
        o.put("dedup_key", a.anomalyId());
        ObjectNode p = o.putObject("payload");
        p.put("summary", clip(n.summary(), PAGERDUTY_SUMMARY_MAX));
        p.put("source", SOURCE);
        p.put("severity", pagerDutySeverity(a));
        p.put("timestamp", a.windowStart() == null ? null : a.windowStart().toString());
        p.put("component", "vault");
        p.put("group", a.tenantId() == null ? Route.NO_TENANT : a.tenantId());
        p.put("class", a.rule());
        ObjectNode details = p.putObject("custom_details");
        details.put("anomaly_id", a.anomalyId());
        details.put("revision", a.revision());
        details.put("rule", a.rule());
        details.put("severity", a.severity().wire());
        details.put("tenant_id", a.tenantId());
        details.put("actor", a.actor());
        details.put("actor_display_name", a.actorDisplayName());
        details.put("remote_address", a.remoteAddress());
        details.put("count", a.count());
        details.put("suppressed_since_last", n.suppressedSinceLast());
        details.put("window_start", a.windowStart() == null ? null : a.windowStart().toString());
        details.put("window_end", a.windowEnd() == null ? null : a.windowEnd().toString());
        details.put("description", a.description());
        ArrayNode ids = details.putArray("event_ids");
        a.eventIds().forEach(ids::add);
        return o;
    }

    /** PagerDuty knows critical, error, warning and info. */
    static String pagerDutySeverity(Anomaly a) {
        return switch (a.severity()) {
            case CRITICAL -> "critical";
            case HIGH -> "error";
            case MEDIUM -> "warning";
            case LOW -> "info";
        };
    }

    private static String severityMark(Anomaly a) {
        return switch (a.severity()) {
            case CRITICAL -> ":rotating_light:";
            case HIGH -> ":warning:";
            case MEDIUM -> ":large_orange_diamond:";
            case LOW -> ":information_source:";
        };
    }

    private static void field(ArrayNode fields, String label, String value) {
        fields.addObject().put("type", "mrkdwn").put("text", "*" + label + "*\n" + escape(value));
    }

    /** Slack's mrkdwn control characters; anything else (including links) stays inert text. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
