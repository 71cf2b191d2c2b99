package io.auditrail.reports.console;

import io.auditrail.reports.ReportsConfig;
import io.auditrail.reports.api.CallOutcome;
import io.auditrail.archive.ArchiveReader;
import io.auditrail.archive.RawLookup;
import io.auditrail.core.config.Settings;
import io.auditrail.core.event.RawPosition;
import io.auditrail.reports.api.MetaAuditLog;
import io.auditrail.reports.api.ReportsApi;
import io.auditrail.reports.console.ConsolePages.RawView;
import io.auditrail.reports.evidence.EvidencePack;
import io.auditrail.reports.limit.RefusalBudget;
import io.auditrail.reports.limit.Throttled;
import io.auditrail.reports.limit.WorkKind;
import io.auditrail.reports.limit.WorkLimits;
import io.auditrail.reports.query.Access;
import io.auditrail.reports.query.AccessDenied;
import io.auditrail.reports.query.AnomalyRecord;
import io.auditrail.reports.query.AnomalySearch;
import io.auditrail.reports.query.AuditQueries;
import io.auditrail.reports.query.DispositionRecord;
import io.auditrail.reports.query.EventPage;
import io.auditrail.reports.query.EventRecord;
import io.auditrail.reports.query.EventSearch;
import io.auditrail.reports.query.InvalidParameter;
import io.auditrail.reports.query.NotFound;
import io.auditrail.reports.query.ParameterChecks;
import io.auditrail.reports.query.QueryFailed;
import io.auditrail.reports.token.Principal;
import io.auditrail.reports.token.TenantName;
import io.auditrail.reports.token.TokenStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The auditor console: server-rendered pages at {@code /} over the API's query layer (docs/CONSOLE.md). Sign in with
 * a token, pick a tenant, search its events, open one with its archived raw line, triage anomalies, download the
 * evidence pack. Tenant scope is enforced where the API enforces it, in {@link AuditQueries} and {@link Access}, with
 * the signed-in token's {@link Principal}; every request leaves one {@code meta_audit} row, refusals included.
 */
public final class AuditorConsole implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditorConsole.class);
    private static final String HTML = "text/html; charset=utf-8";
    /** Longest period of one evidence pack, as in the API: a pack is built in memory. */
    private static final Duration MAX_PACK_PERIOD = Duration.ofDays(366);
    private static final int ANOMALY_ROWS = 200;
    private static final Set<String> SEARCH_FIELDS = Set.of("tenant", "from", "to", "operation", "path_prefix", "actor",
            "outcome", "limit", "cursor");

    private final ReportsApi api;
    private final AuditQueries queries;
    private final TokenStore tokens;
    private final DataSource dataSource;
    private final Settings settings;
    private final ConsoleConfig config;
    private final Clock clock;
    private final SessionCookie cookie;
    private final SessionStore sessions;
    private final MetaAuditLog metaAudit;
    private final WorkLimits limits;
    private final RefusalBudget refusals;
    private final RefusalBudget tokenRefusals;
    private final TenantDirectory tenants;
    private final ConsolePages pages = new ConsolePages();
    private ArchiveReader archive; // opened on first use: a console without an archive still shows events

    /**
     * The console over the API's query layer, token store, connection pool, meta-audit and bounds (a token's packs
     * count against one bound whether asked for here or through the API).
     */
    public AuditorConsole(ReportsApi api, Settings settings) {
        this(api, settings, Clock.systemUTC());
    }

    AuditorConsole(ReportsApi api, Settings settings, Clock clock) {
        this.api = api;
        this.queries = api.queries();
        this.tokens = api.tokens();
        this.dataSource = api.dataSource();
        this.settings = settings;
        this.config = new ConsoleConfig(settings);
        this.clock = clock;
        this.cookie = new SessionCookie(SessionCookie.Mode.of(config.behindTls()));
        this.sessions = new SessionStore(api.accessDataSource(), clock, config.sessionIdle(), config.sessionMaxAge());
        this.metaAudit = api.metaAudit();
        this.limits = api.limits();
        this.refusals = api.refusals();
        this.tokenRefusals = api.tokenRefusals();
        this.tenants = new TenantDirectory(dataSource);
    }

    public void routes(RoutesConfig routes) {
        routes.get("/", page("/", Set.of(), null, this::home));
        routes.post("/sign-in", page("/sign-in", Set.of("token"), null, this::signIn));
        routes.post("/sign-out", page("/sign-out", Set.of("csrf"), null, this::signOut));
        routes.get("/events", page("/events", SEARCH_FIELDS, WorkKind.SEARCH, this::events));
        routes.get("/events/{event_id}", page("/events/{event_id}", Set.of(), WorkKind.SEARCH, this::event));
        routes.get("/events/{event_id}/raw", page("/events/{event_id}/raw", Set.of(), WorkKind.SEARCH, this::raw));
        routes.get("/anomalies", page("/anomalies", Set.of("tenant", "status"), WorkKind.SEARCH, this::anomalies));
        routes.post("/anomalies/{anomaly_id}/disposition", page("/anomalies/{anomaly_id}/disposition",
                Set.of("csrf", "status", "note"), WorkKind.SEARCH, this::disposition));
        routes.get("/evidence", page("/evidence", Set.of("tenant", "from", "to"), null, this::evidence));
        routes.get("/evidence/pack", page("/evidence/pack", Set.of("tenant", "from", "to"), WorkKind.PACK,
                this::pack));
    }

    /** One page's work, after the session (if any) is known and the fields are checked. */
    @FunctionalInterface
    interface Route {
        void handle(Context ctx, ConsoleRequest request, ConsoleParams params) throws Exception;
    }

    private void home(Context ctx, ConsoleRequest request, ConsoleParams params) {
        if (request.session == null) {
            html(ctx, 200, pages.signIn(null));
            return;
        }
        html(ctx, 200, pages.home(request.session, tenants.visibleTo(request.session.principal())));
    }

    private void signIn(Context ctx, ConsoleRequest request, ConsoleParams params) {
        String bearer = params.text("token");
        Optional<Principal> principal = bearer == null ? Optional.empty() : tokens.authenticate(bearer.strip());
        if (principal.isEmpty()) {
            throw new Refusal(401, CallOutcome.UNAUTHENTICATED, "that token is unknown, expired or revoked");
        }
        if (request.session != null) {
            sessions.end(request.session.id()); // a new id at every sign-in: a session planted before it is useless
        }
        String id = sessions.start(principal.get());
        request.session = new Session(id, principal.get());
        ctx.header("Set-Cookie", cookie.start(id, request.secure));
        seeOther(ctx, "/");
    }

    private void signOut(Context ctx, ConsoleRequest request, ConsoleParams params) {
        if (request.session != null) {
            requireCsrf(request.session, params);
            sessions.end(request.session.id()); // ended here, not only forgotten by the browser
        }
        ctx.header("Set-Cookie", cookie.end(request.secure));
        seeOther(ctx, "/");
    }

    private void events(Context ctx, ConsoleRequest request, ConsoleParams params) {
        Session session = request.requireSession();
        String tenant = requiredTenant(request, params);
        EventSearch search = new EventSearch(tenant, params.instant("from"), params.instant("to"),
                params.text("operation"), params.text("path_prefix"), params.text("actor"), params.text("outcome"),
                params.integer("limit", 1, EventSearch.MAX_LIMIT, EventSearch.DEFAULT_LIMIT), params.text("cursor"));
        EventPage result = queries.searchEvents(session.principal(), search);
        html(ctx, 200, pages.events(session, tenant, params, search, result));
    }

    private void event(Context ctx, ConsoleRequest request, ConsoleParams params) {
        Session session = request.requireSession();
        EventRecord e = queries.event(session.principal(), ParameterChecks.uuid("event_id", ctx.pathParam("event_id")));
        request.tenants.event(session.principal(), e.tenantId(), e.pathTenantId());
        html(ctx, 200, pages.event(session, e, rawView(e)));
    }

    private RawView rawView(EventRecord e) {
        if (e.rawPartition() == null || e.rawOffset() == null) {
            return new RawView.Unavailable("This event has no raw-topic position, so its archived line cannot be "
                    + "looked up.");
        }
        RawLookup found;
        try {
            found = archive().rawLine(new RawPosition(e.rawPartition(), e.rawOffset()), e.time());
        } catch (ConfigException ex) {
            return new RawView.Unavailable("The archive is unavailable: it is not configured on this server.");
        } catch (RuntimeException ex) {
            LOG.warn("archive lookup failed for a console event page ({})", ex.getClass().getSimpleName());
            return new RawView.Unavailable("The archive is unavailable right now; the indexed event is shown "
                    + "without its raw line.");
        }
        if (found instanceof RawLookup.Found line) {
            return new RawView.Line(line.line());
        }
        if (found instanceof RawLookup.Refused refused) {
            // bytes in the bucket that no signed digest vouches for: an integrity failure, for the operators
            LOG.warn("refused to show the raw line of event {}: {} {}", e.eventId(), refused.objectKey(),
                    refused.why());
            return new RawView.Refused("The archived line is not shown: the object holding it does not match the "
                    + "archive's signed digest (" + refused.why() + "). It may have been altered; the operators can "
                    + "check the archive with auditrail verify.");
        }
        return new RawView.Unavailable("The raw line is not in the archive (yet): "
                + ((RawLookup.Absent) found).why() + ".");
    }

    private void raw(Context ctx, ConsoleRequest request, ConsoleParams params) {
        Session session = request.requireSession();
        EventRecord e = queries.event(session.principal(), ParameterChecks.uuid("event_id", ctx.pathParam("event_id")));
        request.tenants.event(session.principal(), e.tenantId(), e.pathTenantId());
        RawView view = rawView(e);
        if (view instanceof RawView.Line line) {
            ctx.status(200).contentType("application/octet-stream")
                    .header("Content-Disposition", "attachment; filename=\"event-" + e.eventId() + ".raw\"")
                    .result(line.bytes()); // the bytes Vault wrote, untouched
        } else if (view instanceof RawView.Refused r) {
            throw new Refusal(409, CallOutcome.ERROR, r.why());
        } else if (view instanceof RawView.Unavailable u) {
            throw new NotFound(u.why());
        }
    }

    private void anomalies(Context ctx, ConsoleRequest request, ConsoleParams params) {
        Session session = request.requireSession();
        String tenant = requiredTenant(request, params);
        String status = params.text("status");
        List<AnomalyRecord> found = queries.anomalies(session.principal(),
                new AnomalySearch(tenant, null, null, status, null, null, ANOMALY_ROWS));
        html(ctx, 200, pages.anomalies(session, tenant, status, found));
    }

    private void disposition(Context ctx, ConsoleRequest request, ConsoleParams params) {
        Session session = request.requireSession();
        requireCsrf(session, params);
        UUID id = ParameterChecks.uuid("anomaly_id", ctx.pathParam("anomaly_id"));
        String note = params.text("note");
        DispositionRecord d = queries.dispose(session.principal(), id, params.text("status"),
                note == null || note.isBlank() ? null : note);
        String tenant = d.tenantId() == null ? TenantName.PLATFORM : d.tenantId();
        request.tenants.askedFor(tenant);
        seeOther(ctx, Html.url("/anomalies", "tenant", tenant));
    }

    /** A form that changes something must carry the session's CSRF token (every page's forms do). */
    private void requireCsrf(Session session, ConsoleParams params) {
        if (!SessionCookie.csrfMatches(session.id(), params.text("csrf"))) {
            throw new Refusal(403, CallOutcome.DENIED, "the form's CSRF token is missing or stale: reload the page and "
                    + "submit it again");
        }
    }

    private void evidence(Context ctx, ConsoleRequest request, ConsoleParams params) {
        Session session = request.requireSession();
        String tenant = packTenant(request, params);
        Access.requireTenant(session.principal(), tenant);
        Instant to = params.instant("to");
        if (to == null) {
            to = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC)
                    .toInstant();
        }
        Instant from = params.instant("from");
        if (from == null) {
            from = to.minus(Duration.ofDays(config.packDefaultDays()));
        }
        html(ctx, 200, pages.evidence(session, tenant, from, to));
    }

    private void pack(Context ctx, ConsoleRequest request, ConsoleParams params) throws Exception {
        Session session = request.requireSession();
        String tenant = packTenant(request, params);
        Access.requireTenant(session.principal(), tenant); // the API's check, before anything is read
        Instant from = params.instant("from");
        Instant to = params.instant("to");
        if (from == null || to == null) {
            throw new InvalidParameter(from == null ? "from" : "to", "is required");
        }
        if (!from.isBefore(to)) {
            throw new InvalidParameter("from", "must be before to");
        }
        if (Duration.between(from, to).compareTo(MAX_PACK_PERIOD) > 0) {
            throw new InvalidParameter("to", "a pack may span at most " + MAX_PACK_PERIOD.toDays() + " days");
        }
        EvidencePack pack = api.evidencePacks().build(tenant, from, to);
        // written to memory first, so a failure half-way is still a clean 500 and the meta-audit row stays true
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
        pack.write(EvidencePack.Format.ZIP, out);
        ctx.status(200).contentType(pack.contentType(EvidencePack.Format.ZIP))
                .header("Content-Disposition", "attachment; filename=\"" + pack.fileName(EvidencePack.Format.ZIP)
                        + "\"")
                .result(out.toByteArray());
    }

    private static String requiredTenant(ConsoleRequest request, ConsoleParams params) {
        String tenant = params.text("tenant");
        if (tenant == null) {
            throw new InvalidParameter("tenant", "is required: pick one on the first page");
        }
        request.tenants.askedFor(tenant);
        return tenant;
    }

    private static String packTenant(ConsoleRequest request, ConsoleParams params) {
        String tenant = requiredTenant(request, params);
        if (TenantName.PLATFORM.equals(tenant)) {
            throw new InvalidParameter("tenant", "an evidence pack is one tenant's; '-' names platform events");
        }
        try {
            return TenantName.check(tenant);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameter("tenant", e.getMessage());
        }
    }

    private synchronized ArchiveReader archive() {
        if (archive == null) {
            archive = ArchiveReader.open(settings, new ReportsConfig(settings).login());
        }
        return archive;
    }

    /**
     * Headers, session, fields, a slot of the page's kind of work (null: none), the page, then the meta-audit row:
     * whatever happened, it is recorded, but for refusals without a valid session beyond the address's budget, which
     * are answered 429 and left to the API's summary row ({@link RefusalBudget}).
     */
    Handler page(String template, Set<String> fields, WorkKind kind, Route route) {
        return ctx -> {
            ConsoleRequest request = new ConsoleRequest(ctx.method().name(), template);
            request.secure = cookie.secure(ctx.scheme(), ctx.req().getLocalAddr(), ctx.header("Host"));
            securityHeaders(ctx, request.secure);
            try {
                request.session = session(ctx, request); // first, so even a refused post is recorded with its token
                boolean post = HandlerType.POST.equals(ctx.method());
                if (post) {
                    sameOrigin(ctx);
                }
                // a POST takes its fields from the form and nothing from the URL; a GET the other way round
                ConsoleParams params = new ConsoleParams(post ? ctx.formParamMap() : ctx.queryParamMap(), fields);
                if (post && !ctx.queryParamMap().isEmpty()) {
                    throw new InvalidParameter("query", "a form post takes no URL parameters");
                }
                WorkLimits.Permit permit = kind == null || request.session == null ? null
                        : limits.enter(kind, request.session.principal().tokenId());
                try (permit) {
                    route.handle(ctx, request, params);
                }
                request.end(CallOutcome.OK, ctx.statusCode(), null);
            } catch (Refusal e) {
                if (e.outcome() == CallOutcome.UNAUTHENTICATED) {
                    OptionalLong over = refusals.admit(ctx.req().getRemoteAddr(), request.method, request.route);
                    if (over.isPresent()) {
                        ctx.header("Retry-After", Long.toString(over.getAsLong()));
                        ctx.removeHeader("Set-Cookie");
                        refuse(ctx, request, CallOutcome.THROTTLED, 429, "too many requests without a valid "
                                + "session from this address; wait a minute and sign in again");
                        return; // counted for the summary row, not recorded one by one
                    }
                }
                refuse(ctx, request, e.outcome(), e.status(), e.getMessage());
            } catch (Throttled e) {
                OptionalLong over = tokenRefusals.admit(request.principal(), request.tenants.all(), request.method,
                        request.route);
                ctx.header("Retry-After", Long.toString(Math.max(e.retryAfterSeconds(), over.orElse(0))));
                refuse(ctx, request, CallOutcome.THROTTLED, 429, e.getMessage());
                if (over.isPresent()) {
                    return; // counted for the token's summary row, not recorded one by one
                }
            } catch (AccessDenied e) {
                if (e.tenant() != null) {
                    request.tenants.askedFor(e.tenant());
                }
                refuse(ctx, request, CallOutcome.DENIED, 403, e.getMessage());
            } catch (InvalidParameter e) {
                refuse(ctx, request, CallOutcome.BAD_REQUEST, 400, e.getMessage());
            } catch (NotFound e) {
                refuse(ctx, request, CallOutcome.NOT_FOUND, 404, e.getMessage());
            } catch (QueryFailed e) {
                LOG.error("console {} {}: {}", request.method, request.route, e.getMessage());
                refuse(ctx, request, CallOutcome.ERROR, 500, "internal error; the server's log says more");
            } catch (Exception e) {
                LOG.error("console {} {} failed", request.method, request.route, e);
                refuse(ctx, request, CallOutcome.ERROR, 500, "internal error; the server's log says more");
            }
            try {
                metaAudit.record(MetaAuditLog.Entry.of(request.principal(), request.method, request.route,
                        request.tenants.named(), request.tenants.all(), request.outcome.dbName(), request.status,
                        request.detail));
            } catch (SQLException | RuntimeException e) {
                // a request that cannot be recorded is not served: who looked at the audit data must be answerable
                LOG.error("meta-audit write failed for console {} {} ({}); answering 500", request.method,
                        request.route, e.getClass().getSimpleName());
                ctx.removeHeader("Set-Cookie").removeHeader("Location").removeHeader("Content-Disposition");
                html(ctx, 500, pages.refusal(500, "internal error: this request could not be recorded, so it is "
                        + "not served", null));
            }
        };
    }

    /**
     * The session of the cookie, if it names a live one (not signed out, idle, too old, nor its token revoked or
     * expired); a cookie that no longer does is cleared. Either cookie name is read: a session started over TLS may be
     * resumed through a loopback proxy and the other way round.
     */
    private Session session(Context ctx, ConsoleRequest request) {
        String id = ctx.cookie(SessionCookie.TLS_NAME);
        if (id == null || id.isEmpty()) {
            id = ctx.cookie(SessionCookie.PLAIN_NAME);
        }
        if (id == null || id.isEmpty()) {
            return null;
        }
        Optional<Principal> principal = sessions.resume(id);
        if (principal.isEmpty()) {
            ctx.header("Set-Cookie", cookie.end(request.secure));
            return null;
        }
        return new Session(id, principal.get());
    }

    /**
     * A form post must come from a console page: browsers send Origin on every cross-origin (and same-origin) form
     * post, so one naming another host is refused. Belt and braces beside SameSite=Strict and the CSRF token; it
     * also covers sign-in, which has no session to bind a token to.
     */
    private static void sameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            return; // not a browser's cross-site post (they always send it); the CSRF token still applies
        }
        String host = ctx.header("Host");
        String authority;
        try {
            authority = URI.create(origin).getRawAuthority();
        } catch (IllegalArgumentException e) {
            authority = null;
        }
        if (host == null || !host.equalsIgnoreCase(authority)) {
            throw new Refusal(403, CallOutcome.DENIED, "this form was posted from another site");
        }
    }

    private static void securityHeaders(Context ctx, boolean secure) {
        if (secure) {
            // once a browser reached the console over TLS it never tries plain http for it again (a year)
            ctx.header("Strict-Transport-Security", "max-age=31536000");
        }
        ctx.header("Content-Security-Policy", ConsoleStyle.INSTANCE.contentSecurityPolicy());
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        // same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on form posts, which
        // sameOrigin() must refuse; URLs (filters, cursors) still never leave for another site
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Cache-Control", "no-store");
    }

    private void refuse(Context ctx, ConsoleRequest request, CallOutcome outcome, int status, String reason) {
        request.end(outcome, status, reason);
        ctx.removeHeader("Location").removeHeader("Content-Disposition");
        html(ctx, status, pages.refusal(status, reason, request.session));
    }

    private static void seeOther(Context ctx, String location) {
        ctx.status(303).header("Location", location).result(new byte[0]);
    }

    private static void html(Context ctx, int status, String page) {
        ctx.status(status).contentType(HTML).result(page.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        synchronized (this) {
            if (archive != null) {
                archive.close();
                archive = null;
            }
        }
    }
}
