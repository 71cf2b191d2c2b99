package io.auditrail.reports.console;

import io.auditrail.reports.query.AnomalyRecord;
import io.auditrail.reports.query.AnomalySearch;
import io.auditrail.reports.query.EventPage;
import io.auditrail.reports.query.EventRecord;
import io.auditrail.reports.query.EventSearch;
import io.auditrail.reports.token.Role;
import io.auditrail.reports.token.TenantName;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;

/** The console's pages, as HTML strings. Everything from a request, a token or the database goes through escaping. */
final class ConsolePages {
    private static final String APP = "auditrail";

    /** What the event page can say about the archived line. */
    sealed interface RawView permits RawView.Line, RawView.Unavailable, RawView.Refused {
        /** The archived bytes, checked against the archive's signed digest. */
        record Line(byte[] bytes) implements RawView {
        }

        /** Why there is no line to show: not archived (yet), no position, or the archive unreachable. */
        record Unavailable(String why) implements RawView {
        }

        /** An archived object holds the line but does not match its signed digest: not shown. */
        record Refused(String why) implements RawView {
        }
    }

    String signIn(String message) {
        return page("Sign in", null, null, h -> {
            h.element("h1", "Sign in");
            if (message != null) {
                h.element("p", message, "class", "refusal");
            }
            signInForm(h);
        });
    }

    private static void signInForm(Html h) {
        h.open("form", "method", "post", "action", "/sign-in", "class", "f")
                .open("label").text("API token (art_...)")
                .empty("input", "type", "password", "name", "token", "id", "token", "required", "required",
                        "autocomplete", "off", "size", "50")
                .close("label")
                .element("button", "Sign in", "type", "submit", "id", "sign-in")
                .close("form");
        h.element("p", "The token stays in an HttpOnly cookie of this browser until you sign out or close it.");
    }

    String home(Session session, List<String> tenants) {
        return page("Tenants", session, null, h -> {
            h.element("h1", "Tenants you may see");
            if (tenants.isEmpty()) {
                h.element("p", "No tenant has events in the index yet.");
            }
            h.open("table").open("tr").element("th", "Tenant").element("th", "").close("tr");
            for (String t : tenants) {
                h.open("tr").open("td");
                h.element("a", label(t), "href", Html.url("/events", "tenant", t), "class", "tenant");
                h.close("td").open("td");
                tenantNav(h, t);
                h.close("td").close("tr");
            }
            h.close("table");
        });
    }

    String events(Session session, String tenant, ConsoleParams given, EventSearch search, EventPage result) {
        return page("Events of " + label(tenant), session, tenant, h -> {
            h.element("h1", "Events of " + label(tenant));
            h.open("form", "method", "get", "action", "/events", "class", "f")
                    .empty("input", "type", "hidden", "name", "tenant", "value", tenant);
            field(h, "From (UTC)", "from", given.text("from"), "2026-11-28T00:00:00Z");
            field(h, "To (UTC)", "to", given.text("to"), "now");
            field(h, "Operation", "operation", given.text("operation"), "read");
            field(h, "Path prefix", "path_prefix", given.text("path_prefix"), "secret/data/");
            field(h, "Actor", "actor", given.text("actor"), "entity id or name");
            h.open("label").text("Outcome").open("select", "name", "outcome");
            option(h, "", "any", given.text("outcome"));
            for (String o : new TreeSet<>(EventSearch.OUTCOMES)) {
                option(h, o, o, given.text("outcome"));
            }
            h.close("select").close("label");
            field(h, "Limit", "limit", given.text("limit"), String.valueOf(EventSearch.DEFAULT_LIMIT));
            h.element("button", "Search", "type", "submit", "id", "search").close("form");
            h.element("p", "From " + result.from() + " to " + result.to() + ": " + result.events().size()
                    + " event(s) on this page, newest first.");
            h.open("table", "id", "events").open("tr");
            for (String c : List.of("Time", "Operation", "Path", "Outcome", "Actor", "Remote address")) {
                h.element("th", c);
            }
            h.close("tr");
            for (EventRecord e : result.events()) {
                h.open("tr", "class", "event", "data-tenant", e.tenantId() == null ? TenantName.PLATFORM : e.tenantId());
                h.open("td").element("a", e.time().toString(), "href", "/events/" + Html.segment(e.eventId().toString()))
                        .close("td");
                h.element("td", e.operation()).element("td", e.path(), "class", "p").element("td", e.outcome())
                        .element("td", actor(e.actorDisplayName(), e.actorEntityId()))
                        .element("td", e.remoteAddress());
                h.close("tr");
            }
            h.close("table");
            if (result.nextCursor() != null) {
                h.open("p").element("a", "Next page", "id", "next", "href", Html.url("/events", "tenant", tenant,
                        "from", text(search.from()), "to", text(search.to()), "operation", search.operation(),
                        "path_prefix", search.pathPrefix(), "actor", search.actor(), "outcome", search.outcome(),
                        "limit", given.text("limit") == null ? null : String.valueOf(search.limit()),
                        "cursor", result.nextCursor())).close("p");
            }
        });
    }

    String event(Session session, EventRecord e, RawView raw) {
        String tenant = e.tenantId() == null ? TenantName.PLATFORM : e.tenantId();
        return page("Event " + e.eventId(), session, tenant, h -> {
            h.element("h1", "Event " + e.eventId());
            h.open("dl");
            item(h, "Time", e.time().toString());
            item(h, "Tenant", label(tenant) + " (from " + e.tenantSource() + ")");
            item(h, "Type", e.type());
            item(h, "Request id", e.requestId());
            item(h, "Operation", e.operation());
            item(h, "Path", e.path());
            item(h, "Secret path", e.secretPath());
            item(h, "Mount", e.mountPoint() == null ? null : e.mountPoint() + " (" + e.mountType() + ")");
            item(h, "Namespace", e.namespace());
            item(h, "Outcome", e.outcome());
            item(h, "Actor", actor(e.actorDisplayName(), e.actorEntityId()));
            item(h, "Remote address", e.remoteAddress());
            item(h, "Request/response pairing", e.pairingStatus());
            item(h, "Raw-topic position", e.rawPartition() == null ? null
                    : "partition " + e.rawPartition() + ", offset " + e.rawOffset());
            item(h, "Indexed at", e.indexedAt() == null ? null : e.indexedAt().toString());
            h.close("dl");
            h.element("h2", "Archived raw line");
            if (raw instanceof RawView.Line line) {
                h.open("pre", "id", "raw");
                int invalid = new RawLine(line.bytes()).writeTo(h);
                h.close("pre");
                h.open("p").text(line.bytes().length + " bytes as Vault wrote them"
                        + (invalid > 0 ? "; " + invalid + " byte(s) that are not UTF-8 are shown as \\xNN. " : ". "))
                        .element("a", "Download the exact bytes", "href", "/events/"
                                + Html.segment(e.eventId().toString()) + "/raw")
                        .close("p");
            } else if (raw instanceof RawView.Unavailable u) {
                h.element("p", u.why(), "class", "note", "id", "raw-unavailable");
            } else if (raw instanceof RawView.Refused r) {
                h.element("p", r.why(), "class", "refusal", "id", "raw-refused");
            }
            h.element("h2", "Indexed detail");
            h.element("pre", e.detailJson() == null ? "" : e.detailJson());
        });
    }

    String anomalies(Session session, String tenant, String status, List<AnomalyRecord> anomalies) {
        boolean mayDecide = session.principal().role() != Role.AUDITOR;
        return page("Anomalies of " + label(tenant), session, tenant, h -> {
            h.element("h1", "Anomalies of " + label(tenant));
            h.open("form", "method", "get", "action", "/anomalies", "class", "f")
                    .empty("input", "type", "hidden", "name", "tenant", "value", tenant)
                    .open("label").text("Status").open("select", "name", "status");
            option(h, "", "any", status);
            for (String s : new TreeSet<>(AnomalySearch.STATUSES)) {
                option(h, s, s, status);
            }
            h.close("select").close("label").element("button", "Filter", "type", "submit").close("form");
            if (!mayDecide) {
                h.element("p", "Your token is an auditor's: you can read dispositions; admin and compliance tokens "
                        + "set them.");
            }
            h.open("table", "id", "anomalies").open("tr");
            for (String c : List.of("Window", "Rule", "Severity", "Actor", "Description", "Status", "Disposition")) {
                h.element("th", c);
            }
            h.close("tr");
            for (AnomalyRecord a : anomalies) {
                h.open("tr", "class", "anomaly", "id", "anomaly-" + a.anomalyId());
                h.element("td", a.windowStart() + " to " + a.windowEnd()).element("td", a.rule())
                        .element("td", a.severity()).element("td", actor(a.actorDisplayName(), a.actor()))
                        .open("td", "class", "p").text(a.description());
                for (UUID id : a.eventIds()) {
                    h.text(" ").element("a", "event", "href", "/events/" + Html.segment(id.toString()));
                }
                h.close("td").element("td", a.status(), "class", "status");
                h.open("td");
                if (mayDecide) {
                    h.open("form", "method", "post", "action", "/anomalies/" + Html.segment(a.anomalyId().toString())
                                    + "/disposition", "class", "f")
                            .empty("input", "type", "hidden", "name", "csrf", "value", session.csrf())
                            .open("select", "name", "status");
                    for (String s : List.of("open", "acknowledged", "resolved", "false_positive")) {
                        option(h, s, s, a.status());
                    }
                    h.close("select")
                            .empty("input", "type", "text", "name", "note", "placeholder", "note", "maxlength", "4000")
                            .element("button", "Record", "type", "submit").close("form");
                }
                h.close("td").close("tr");
            }
            h.close("table");
        });
    }

    String evidence(Session session, String tenant, Instant from, Instant to) {
        return page("Evidence pack of " + label(tenant), session, tenant, h -> {
            h.element("h1", "SOC2 evidence pack of " + label(tenant));
            h.element("p", "One zip: the summary (PDF and HTML), the facts as JSON and CSV, and a manifest with the "
                    + "SHA-256 of every file, signed with the archive's key.");
            h.open("form", "method", "get", "action", "/evidence/pack", "class", "f")
                    .empty("input", "type", "hidden", "name", "tenant", "value", tenant);
            field(h, "From (UTC)", "from", from.toString(), "");
            field(h, "To (UTC)", "to", to.toString(), "");
            h.element("button", "Download", "type", "submit").close("form");
            h.open("p").element("a", "Download the pack for " + from + " to " + to, "id", "pack",
                    "href", Html.url("/evidence/pack", "tenant", tenant, "from", from.toString(), "to",
                            to.toString())).close("p");
        });
    }

    /** A refusal or failure, readable: what happened, and what to do next. */
    String refusal(int status, String reason, Session session) {
        String title = switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Sign in again";
            case 403 -> "Not yours to see";
            case 404 -> "Not found";
            default -> "Something went wrong";
        };
        return page(title, session, null, h -> {
            h.element("h1", status + " " + title);
            h.element("p", reason, "class", "refusal", "id", "reason");
            if (status == 401) {
                signInForm(h);
            } else {
                h.open("p").element("a", "Back to your tenants", "href", "/").close("p");
            }
        });
    }

    private String page(String title, Session session, String tenant, Consumer<Html> body) {
        Html h = new Html().doctype().open("html", "lang", "en").open("head")
                .empty("meta", "charset", "utf-8")
                .empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1")
                .empty("meta", "name", "referrer", "content", "same-origin")
                .element("title", title + " - " + APP).style(ConsoleStyle.INSTANCE).close("head").open("body");
        h.open("header").element("strong", APP + " console");
        if (session != null) {
            h.element("a", "Tenants", "href", "/");
            if (tenant != null) {
                h.element("span", "Tenant: " + label(tenant), "id", "current-tenant");
                tenantNav(h, tenant);
            }
            h.open("form", "method", "post", "action", "/sign-out")
                    .empty("input", "type", "hidden", "name", "csrf", "value", session.csrf())
                    .element("span", session.principal().tokenId() + " (" + session.principal().role().dbName()
                            + ") ", "id", "who")
                    .element("button", "Sign out", "type", "submit", "id", "sign-out").close("form");
        }
        h.close("header").open("main");
        body.accept(h);
        return h.close("main").close("body").close("html").toString();
    }

    private static void tenantNav(Html h, String tenant) {
        h.open("nav")
                .element("a", "Events", "href", Html.url("/events", "tenant", tenant))
                .element("a", "Anomalies", "href", Html.url("/anomalies", "tenant", tenant));
        if (!TenantName.PLATFORM.equals(tenant)) {
            h.element("a", "Evidence pack", "href", Html.url("/evidence", "tenant", tenant));
        }
        h.close("nav");
    }

    private static void field(Html h, String label, String name, String value, String placeholder) {
        h.open("label").text(label).empty("input", "type", "text", "name", name, "value", value, "placeholder",
                placeholder).close("label");
    }

    private static void option(Html h, String value, String text, String selected) {
        h.element("option", text, "value", value, "selected",
                value.equals(selected == null ? "" : selected) ? "selected" : null);
    }

    private static void item(Html h, String name, String value) {
        h.element("dt", name).element("dd", value == null ? "-" : value);
    }

    private static String label(String tenant) {
        return TenantName.PLATFORM.equals(tenant) ? "platform (no tenant)" : tenant;
    }

    private static String actor(String displayName, String entityId) {
        if (displayName == null) {
            return entityId;
        }
        return entityId == null ? displayName : displayName + " (" + entityId + ")";
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
