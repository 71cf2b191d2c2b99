package io.auditrail.reports.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.auditrail.archive.ArchiveReader;
import io.auditrail.archive.ArchiveVerifier;
import io.auditrail.archive.RawLookup;
import io.auditrail.archive.VerifyReport;
import io.auditrail.core.config.Settings;
import io.auditrail.core.event.RawPosition;
import io.auditrail.reports.ReportsConfig;
import io.auditrail.reports.evidence.EvidencePack;
import io.auditrail.reports.evidence.EvidencePackBuilder;
import io.auditrail.reports.limit.RefusalBudget;
import io.auditrail.reports.limit.Throttled;
import io.auditrail.reports.limit.WorkKind;
import io.auditrail.reports.limit.WorkLimits;
import io.auditrail.reports.query.Access;
import io.auditrail.reports.query.AccessDenied;
import io.auditrail.reports.query.AnomalyRecord;
import io.auditrail.reports.query.AnomalySearch;
import io.auditrail.reports.query.AuditQueries;
import io.auditrail.reports.query.EventRecord;
import io.auditrail.reports.query.EventSearch;
import io.auditrail.reports.query.InvalidParameter;
import io.auditrail.reports.query.NotFound;
import io.auditrail.reports.query.ParameterChecks;
import io.auditrail.reports.query.QueryFailed;
import io.auditrail.reports.token.Principal;
import io.auditrail.reports.token.Role;
import io.auditrail.reports.token.TenantName;
import io.auditrail.reports.token.TokenStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenant-scoped HTTP API ({@code /api/v1}, DESIGN.md "HTTP API"). The app mounts {@link #routes} into its Javalin
 * server. Every route runs through one guard: bearer token, role, the tenant the call names, known parameters; then
 * the handler, whose query layer enforces tenant scope again; then one {@code meta_audit} row, whatever happened.
 * Errors are {@code {"error":{"status":400,"reason":"..."}}}.
 */
public final class ReportsApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReportsApi.class);
    public static final String PREFIX = "/api/v1";
    static final String JSON = "application/json";

    /** Longest period of one SOC2 pack: a year (a pack is built in memory). */
    private static final Duration MAX_PACK_PERIOD = Duration.ofDays(366);
    private static final Role[] ANY_ROLE = Role.values();
    private static final Role[] OPERATORS = {Role.ADMIN, Role.COMPLIANCE};
    /** How often the summary rows of throttled unauthenticated refusals are written. */
    static final Duration REFUSAL_FLUSH = Duration.ofMinutes(1);

    private final Settings settings;
    private final ReportsConfig config;
    private final HikariDataSource dataSource;
    private final HikariDataSource auditDataSource;
    private final TokenStore tokens;
    private final AuditQueries queries;
    private final MetaAuditLog metaAudit;
    private final WorkLimits limits;
    private final RefusalBudget refusals;
    private final RefusalBudget tokenRefusals;
    private final ScheduledExecutorService refusalFlusher;
    private final MeterRegistry registry;
    private ArchiveReader archive; // opened on first use: a deployment without an archive still serves queries
    private EvidencePackBuilder evidence; // likewise: its settings are read when the first pack is asked for

    private ReportsApi(Settings settings, ReportsConfig config, HikariDataSource dataSource,
                       HikariDataSource auditDataSource, MeterRegistry registry, Clock clock) {
        this.settings = settings;
        this.config = config;
        this.dataSource = dataSource;
        this.auditDataSource = auditDataSource;
        this.registry = registry;
        this.tokens = new TokenStore(auditDataSource, clock, config.tokenMaxTtl());
        this.queries = new AuditQueries(dataSource, config.queryDefaultWindow(), clock);
        this.metaAudit = new MetaAuditLog(auditDataSource);
        this.limits = new WorkLimits(config.workBounds());
        this.refusals = new RefusalBudget(config.unauthenticatedPerMinute(), clock);
        this.tokenRefusals = new RefusalBudget(config.refusedPerMinute(), clock);
        this.refusalFlusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "auditrail-reports-refusals");
            t.setDaemon(true);
            return t;
        });
        refusalFlusher.scheduleWithFixedDelay(this::flushRefusals, REFUSAL_FLUSH.toMillis(), REFUSAL_FLUSH.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Opens the API's connection pools on core's {@code postgres.*} settings; the schema must exist. Two pools: one
     * for queries and packs, and a small one for tokens and the meta-audit, so a server whose query connections are
     * all taken still authenticates, refuses and records.
     */
    public static ReportsApi open(Settings settings, MeterRegistry registry) {
        ReportsConfig config = new ReportsConfig(settings);
        HikariDataSource queries = pool(config, "auditrail-reports", config.poolSize());
        HikariDataSource audit;
        try {
            audit = pool(config, "auditrail-reports-audit", config.auditPoolSize());
        } catch (RuntimeException e) {
            queries.close();
            throw e;
        }
        return new ReportsApi(settings, config, queries, audit, registry, Clock.systemUTC());
    }

    private static HikariDataSource pool(ReportsConfig config, String name, int size) {
        HikariConfig c = new HikariConfig();
        c.setPoolName(name);
        c.setJdbcUrl(config.postgresUrl());
        c.setUsername(config.postgresUser());
        if (!config.postgresPassword().isEmpty()) {
            c.setPassword(config.postgresPassword());
        }
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(1);
        c.setConnectionTimeout(config.connectTimeout().toMillis());
        c.setInitializationFailTimeout(-1); // start while PostgreSQL is down; requests fail with 500 until it is up
        c.setConnectionInitSql("SET statement_timeout = " + config.statementTimeout().toMillis());
        c.addDataSourceProperty("ApplicationName", name);
        c.addDataSourceProperty("tcpKeepAlive", "true");
        return new HikariDataSource(c);
    }

    public TokenStore tokens() {
        return tokens;
    }

    /** The pool kept apart for tokens, console sessions and the meta-audit (reports.postgres.audit.pool.size). */
    public DataSource accessDataSource() {
        return auditDataSource;
    }

    /** The meta-audit writer, on the pool kept apart for it; the console records through it too. */
    public MetaAuditLog metaAudit() {
        return metaAudit;
    }

    /** The concurrency bounds shared by the API and the console: a token's packs count in both. */
    public WorkLimits limits() {
        return limits;
    }

    /** The per-address budget of unauthenticated refusals, shared by the API and the console. */
    public RefusalBudget refusals() {
        return refusals;
    }

    /** The per-token budget of recorded 429 refusals, shared by the API and the console. */
    public RefusalBudget tokenRefusals() {
        return tokenRefusals;
    }

    /**
     * Writes the summary rows of the unauthenticated refusals answered 429 since the last flush. Runs every
     * {@link #REFUSAL_FLUSH} and on close; a failed write is logged with its counts.
     */
    public void flushRefusals() {
        List<RefusalBudget.Suppressed> all = new java.util.ArrayList<>(refusals.drain());
        all.addAll(tokenRefusals.drain());
        for (RefusalBudget.Suppressed s : all) {
            try {
                metaAudit.record(s);
            } catch (SQLException | RuntimeException e) {
                LOG.error("meta-audit: could not record {} unauthenticated calls to {} {} answered 429 between {} and "
                        + "{} ({})", s.calls(), s.method(), s.route(), s.first(), s.last(), sqlState(e));
            }
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The query layer, for the console and the evidence pack: the same tenant scope as the routes. */
    public AuditQueries queries() {
        return queries;
    }

    /** The lifetime of a token whose creator names none ({@code reports.token.default.ttl.days}). */
    public Duration tokenDefaultTtl() {
        return config.tokenDefaultTtl();
    }

    /**
     * Readiness: does what a call does first, on a pooled connection: reads the token table and sees the meta-audit
     * table (both V2), so a database that is down or not migrated yet keeps {@code /readyz} failing with the reason.
     */
    public void checkReady() throws SQLException {
        try (var c = auditDataSource.getConnection(); var st = c.createStatement()) {
            st.execute("SELECT 1 FROM api_token LIMIT 1");
            st.execute("SELECT 1 FROM meta_audit LIMIT 0");
        }
    }

    public void routes(RoutesConfig routes) {
        routes.get(PREFIX + "/tenants/{tenant}/events", guard("/tenants/{tenant}/events",
                Set.of("from", "to", "operation", "path_prefix", "actor", "outcome", "limit", "cursor"), ANY_ROLE,
                WorkKind.SEARCH, this::events));
        routes.get(PREFIX + "/events/{event_id}", guard("/events/{event_id}", Set.of(), ANY_ROLE, WorkKind.SEARCH,
                this::event));
        routes.get(PREFIX + "/events/{event_id}/raw", guard("/events/{event_id}/raw", Set.of(), ANY_ROLE,
                WorkKind.SEARCH, this::raw));
        routes.get(PREFIX + "/tenants/{tenant}/summary", guard("/tenants/{tenant}/summary", Set.of("from", "to"),
                ANY_ROLE, WorkKind.SUMMARY, this::summary));
        routes.get(PREFIX + "/anomalies", guard("/anomalies",
                Set.of("tenant", "rule", "severity", "status", "from", "to", "limit"), ANY_ROLE, WorkKind.SEARCH,
                this::anomalies));
        routes.post(PREFIX + "/anomalies/{anomaly_id}/disposition", guard("/anomalies/{anomaly_id}/disposition",
                Set.of(), OPERATORS, WorkKind.SEARCH, this::disposition));
        routes.get(PREFIX + "/archive/verify", guard("/archive/verify", Set.of("from", "to"), OPERATORS,
                WorkKind.PACK, this::verify));
        routes.get(PREFIX + "/reports/soc2", guard("/reports/soc2", Set.of("tenant", "from", "to", "format"),
                ANY_ROLE, WorkKind.PACK, this::soc2));
    }

    /** One route's work, after the guard passed. */
    @FunctionalInterface
    interface Route {
        void handle(Context ctx, Principal principal, Params params, ApiCall call) throws Exception;
    }

    private void events(Context ctx, Principal principal, Params params, ApiCall call) {
        EventSearch search = new EventSearch(ctx.pathParam("tenant"), params.instant("from"), params.instant("to"),
                params.text("operation"), params.text("path_prefix"), params.text("actor"), params.text("outcome"),
                params.integer("limit", 1, EventSearch.MAX_LIMIT, EventSearch.DEFAULT_LIMIT), params.text("cursor"));
        json(ctx, 200, ApiJson.page(queries.searchEvents(principal, search)));
    }

    private void event(Context ctx, Principal principal, Params params, ApiCall call) {
        EventRecord e = queries.event(principal, ParameterChecks.uuid("event_id", ctx.pathParam("event_id")));
        call.tenants.event(principal, e.tenantId(), e.pathTenantId());
        json(ctx, 200, ApiJson.event(e));
    }

    private void raw(Context ctx, Principal principal, Params params, ApiCall call) {
        EventRecord e = queries.event(principal, ParameterChecks.uuid("event_id", ctx.pathParam("event_id")));
        call.tenants.event(principal, e.tenantId(), e.pathTenantId());
        if (e.rawPartition() == null || e.rawOffset() == null) {
            throw new NotFound("event " + e.eventId() + " has no raw-topic position");
        }
        RawLookup found;
        try {
            found = archive().rawLine(new RawPosition(e.rawPartition(), e.rawOffset()), e.time());
        } catch (ConfigException ex) {
            throw new ApiError(503, CallOutcome.ERROR, "the archive is not configured on this server");
        }
        if (found instanceof RawLookup.Found line) {
            ctx.status(200).contentType(JSON).result(line.line()); // the bytes Vault wrote, untouched
        } else if (found instanceof RawLookup.Refused refused) {
            // bytes in the bucket that no signed digest vouches for are never served: an integrity failure
            LOG.warn("refused to serve the raw line of event {}: {} {}", e.eventId(), refused.objectKey(),
                    refused.why());
            throw new ApiError(409, CallOutcome.ERROR, "the archived line is not served: the object holding it does "
                    + "not match the archive's signed digest (" + refused.why() + "); operators: run auditrail verify");
        } else if (found instanceof RawLookup.Absent absent) {
            throw new NotFound("the raw line of event " + e.eventId() + " is not in the archive (yet): "
                    + absent.why());
        }
    }

    private void summary(Context ctx, Principal principal, Params params, ApiCall call) {
        json(ctx, 200, ApiJson.summary(queries.summary(principal, ctx.pathParam("tenant"), params.instant("from"),
                params.instant("to"))));
    }

    private void anomalies(Context ctx, Principal principal, Params params, ApiCall call) {
        AnomalySearch search = new AnomalySearch(params.text("tenant"), params.text("rule"), params.text("severity"),
                params.text("status"), params.instant("from"), params.instant("to"),
                params.integer("limit", 1, EventSearch.MAX_LIMIT, EventSearch.DEFAULT_LIMIT));
        List<AnomalyRecord> found = queries.anomalies(principal, search);
        if (search.tenant() == null) {
            // a call naming no tenant is filed under the tenants it returned, so each one's pack shows it
            // (another tenant's anomaly seen through its events on the caller's tenants' paths is filed under
            // those tenants only: its owner's pack does not learn who looked)
            for (AnomalyRecord a : found) {
                if (AnomalyRecord.VIA_PATH.equals(a.via())) {
                    a.shownFor().forEach(call.tenants::returned);
                } else {
                    call.tenants.returned(a.tenantId());
                }
            }
        }
        json(ctx, 200, ApiJson.anomalies(found));
    }

    private void disposition(Context ctx, Principal principal, Params params, ApiCall call) {
        UUID id = ParameterChecks.uuid("anomaly_id", ctx.pathParam("anomaly_id"));
        JsonNode body;
        try {
            body = ApiJson.MAPPER.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            throw new InvalidParameter("body", "not JSON");
        }
        if (body == null || !body.isObject()) {
            throw new InvalidParameter("body", "must be a JSON object {\"status\": \"...\", \"note\": \"...\"}");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("status") && !name.equals("note")) {
                throw new InvalidParameter(ParameterChecks.printable(name), "unknown field (known: note, status)");
            }
        }
        JsonNode status = body.get("status");
        JsonNode note = body.get("note");
        if (status == null || !status.isTextual()) {
            throw new InvalidParameter("status", "is required: open, acknowledged, resolved or false_positive");
        }
        if (note != null && !note.isNull() && !note.isTextual()) {
            throw new InvalidParameter("note", "must be a string");
        }
        var d = queries.dispose(principal, id, status.asText(), note == null || note.isNull() ? null : note.asText());
        call.tenants.askedFor(d.tenantId() == null ? TenantName.PLATFORM : d.tenantId());
        json(ctx, 200, ApiJson.disposition(d));
    }

    private void verify(Context ctx, Principal principal, Params params, ApiCall call) {
        Instant from = params.instant("from");
        Instant to = params.instant("to");
        if (from == null || to == null) {
            throw new InvalidParameter(from == null ? "from" : "to", "is required");
        }
        if (!from.isBefore(to)) {
            throw new InvalidParameter("from", "must be before to");
        }
        if (Duration.between(from, to).compareTo(config.verifyMaxPeriod()) > 0) {
            throw new InvalidParameter("to", "the period may span at most " + config.verifyMaxPeriod().toDays()
                    + " days (" + ReportsConfig.VERIFY_MAX_DAYS + ")");
        }
        VerifyReport report;
        try {
            report = ArchiveVerifier.verify(settings, config.login(), from, to);
        } catch (ConfigException e) {
            throw new ApiError(503, CallOutcome.ERROR, "archive verification is not configured on this server");
        }
        json(ctx, 200, ApiJson.verify(report));
    }

    private void soc2(Context ctx, Principal principal, Params params, ApiCall call) throws Exception {
        String tenant = params.text("tenant");
        if (tenant == null) {
            throw new InvalidParameter("tenant", "is required");
        }
        if (TenantName.PLATFORM.equals(tenant)) {
            throw new InvalidParameter("tenant", "an evidence pack is one tenant's; '-' names platform events");
        }
        try {
            TenantName.check(tenant);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameter("tenant", e.getMessage());
        }
        Access.requireTenant(principal, tenant);
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
        EvidencePack.Format format;
        try {
            format = EvidencePack.format(params.text("format") == null ? "zip" : params.text("format"));
        } catch (IllegalArgumentException e) {
            throw new InvalidParameter("format", e.getMessage());
        }
        EvidencePack pack = evidencePacks().build(tenant, from, to);
        // written to memory first, so a failure half-way is still a clean 500 and the meta-audit row stays true
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
        pack.write(format, out);
        ctx.status(200).contentType(pack.contentType(format))
                .header("Content-Disposition", "attachment; filename=\"" + pack.fileName(format) + "\"")
                .result(out.toByteArray());
    }

    /**
     * The server's one pack builder, opened on first use: the console builds its packs with it too, so both reuse
     * the same archive verifications.
     */
    public synchronized EvidencePackBuilder evidencePacks() {
        if (evidence == null) {
            evidence = new EvidencePackBuilder(dataSource, settings, Clock.systemUTC());
        }
        return evidence;
    }

    private synchronized ArchiveReader archive() {
        if (archive == null) {
            archive = ArchiveReader.open(settings, config.login());
        }
        return archive;
    }

    /**
     * Authentication, role, tenant and parameter checks, a slot of the route's kind of work, then the route, then the
     * meta-audit row and the metric. A refusal without a valid token beyond its address's budget is answered 429 and
     * left to the summary row ({@link RefusalBudget}).
     */
    Handler guard(String template, Set<String> known, Role[] roles, WorkKind kind, Route route) {
        return ctx -> {
            long start = System.nanoTime();
            ApiCall call = new ApiCall(ctx.method().name(), PREFIX + template);
            String tenantParam = ctx.pathParamMap().get("tenant");
            call.tenants.askedFor(tenantParam != null ? tenantParam : ctx.queryParam("tenant"));
            ctx.header("Cache-Control", "no-store");
            // every answer, the raw line (Vault's bytes, labelled JSON) included, is what its Content-Type says
            ctx.header("X-Content-Type-Options", "nosniff");
            try {
                call.principal = authenticate(ctx);
                Access.requireRole(call.principal, roles);
                if (call.tenants.named() != null) {
                    // the tenant is checked before anything else about the call, so another tenant is a 403
                    // whatever the other parameters say; the query layer checks again
                    Access.requireTenant(call.principal, call.tenants.named());
                }
                Params params = Params.of(ctx, known);
                WorkLimits.Permit permit = limits.enter(kind, call.principal.tokenId());
                try (permit) {
                    route.handle(ctx, call.principal, params, call);
                }
                call.end(CallOutcome.OK, ctx.statusCode(), null);
            } catch (ApiError e) {
                if (e.outcome() == CallOutcome.UNAUTHENTICATED) {
                    OptionalLong over = refusals.admit(ctx.req().getRemoteAddr(), call.method, call.route);
                    if (over.isPresent()) {
                        throttle(ctx, call, over.getAsLong(), "too many calls without a valid token from this "
                                + "address; retry later with a token");
                        recordMetric(template, call, start);
                        return; // counted for the summary row, not recorded one by one
                    }
                }
                fail(ctx, call, e.outcome(), e.status(), e.getMessage());
            } catch (Throttled e) {
                OptionalLong over = tokenRefusals.admit(call.principal, call.tenants.all(), call.method, call.route);
                throttle(ctx, call, Math.max(e.retryAfterSeconds(), over.orElse(0)), e.getMessage());
                if (over.isPresent()) {
                    recordMetric(template, call, start);
                    return; // counted for the token's summary row, not recorded one by one
                }
            } catch (AccessDenied e) {
                if (e.tenant() != null) {
                    call.tenants.askedFor(e.tenant());
                }
                fail(ctx, call, CallOutcome.DENIED, 403, e.getMessage());
            } catch (InvalidParameter e) {
                fail(ctx, call, CallOutcome.BAD_REQUEST, 400, e.getMessage());
            } catch (NotFound e) {
                fail(ctx, call, CallOutcome.NOT_FOUND, 404, e.getMessage());
            } catch (QueryFailed e) {
                LOG.error("{} {}: {} ({})", call.method, call.route, e.getMessage(), sqlState(e.getCause()));
                fail(ctx, call, CallOutcome.ERROR, 500, "internal error");
            } catch (Exception e) {
                LOG.error("{} {} failed", call.method, call.route, e);
                fail(ctx, call, CallOutcome.ERROR, 500, "internal error");
            }
            try {
                metaAudit.record(call);
            } catch (SQLException | RuntimeException e) {
                // a call that cannot be recorded is not served: who looked at the audit data must be answerable
                LOG.error("meta-audit write failed for {} {} ({}); answering 500", call.method, call.route,
                        sqlState(e));
                call.end(CallOutcome.ERROR, 500, "meta-audit unavailable");
                json(ctx, 500, ApiJson.error(500, "internal error"));
            }
            recordMetric(template, call, start);
        };
    }

    private void recordMetric(String template, ApiCall call, long start) {
        // route templates and outcomes are bounded; never a tenant or an id as a tag
        Timer.builder("auditrail.reports.requests").description("API calls by route template and outcome")
                .tags("route", template, "outcome", call.outcome.dbName()).register(registry)
                .record(Duration.ofNanos(System.nanoTime() - start));
    }

    private static void throttle(Context ctx, ApiCall call, long retryAfterSeconds, String reason) {
        ctx.header("Retry-After", Long.toString(retryAfterSeconds));
        fail(ctx, call, CallOutcome.THROTTLED, 429, reason);
    }

    private Principal authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw unauthenticated(ctx, "a bearer token is required (Authorization: Bearer art_...)");
        }
        if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthenticated(ctx, "the Authorization header must be 'Bearer <token>'");
        }
        return tokens.authenticate(header.substring(7).trim())
                .orElseThrow(() -> unauthenticated(ctx, "the token is unknown, expired or revoked"));
    }

    private static ApiError unauthenticated(Context ctx, String reason) {
        ctx.header("WWW-Authenticate", "Bearer realm=\"auditrail\"");
        return new ApiError(401, CallOutcome.UNAUTHENTICATED, reason);
    }

    private static void fail(Context ctx, ApiCall call, CallOutcome outcome, int status, String reason) {
        call.end(outcome, status, reason);
        json(ctx, status, ApiJson.error(status, reason));
    }

    private static void json(Context ctx, int status, ObjectNode body) {
        ctx.status(status).contentType(JSON).result(ApiJson.bytes(body));
    }

    private static String sqlState(Throwable t) {
        return t instanceof SQLException s ? "SQLSTATE " + s.getSQLState() : t == null ? "no cause" : t.getClass()
                .getSimpleName();
    }

    @Override
    public void close() {
        refusalFlusher.shutdownNow();
        flushRefusals();
        synchronized (this) {
            if (archive != null) {
                archive.close();
                archive = null;
            }
        }
        dataSource.close();
        auditDataSource.close();
    }
}
