package io.auditrail.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Realistic Vault audit traffic, deterministic: the same plan and base time give byte-identical lines. Tenants'
 * AppRole clients read, write, list and delete KV v2 secrets under {@code secret/data/tenants/<tenant>/...}, log in,
 * renew and look up their tokens and are sometimes denied; platform operators read system endpoints; planted
 * anomalies ({@link PlantBook}) make each chosen rule fire a known number of times. Each request is a request
 * entry followed, a few lines later and on the same node, by its response entry.
 *
 * <p>Event time: lines are spread evenly over {@link #eventSpan}, at least 45 minutes (the 30-minute warm-up of
 * {@code read_rate_spike} must fit), so a short run compresses time; a long paced run follows the wall clock.
 * Normal clients stay under every rule's threshold by construction, and each keeps one source address.
 *
 * <p>Pull lines with {@link #next()}; not thread-safe.
 */
public final class VaultTrafficGenerator {
    /** Shortest event-time span: read_rate_spike needs 30 minutes of baseline before a spike counts. */
    public static final Duration MIN_EVENT_SPAN = Duration.ofMinutes(45);
    /** Mean requests per second of one normal client: keeps every per-actor count far below its rule. */
    static final double CLIENT_RATE = 0.25;
    static final int MAX_CLIENTS = 200_000;
    private static final String[] TENANT_NAMES = {"acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne",
        "wonka", "tyrell", "cyberdyne", "soylent", "oscorp", "aperture", "vandelay", "gringotts", "monarch", "piedpiper",
        "massive-dynamic", "dunder-mifflin", "prestige", "sterling-cooper", "bluth", "krusty", "nakatomi"};
    private static final String[] APP_ROLES = {"trading-bot", "payments", "risk-engine", "reporting", "settlement",
        "market-data"};

    private final SimulationPlan plan;
    private final long total;
    private final long base;
    private final double stepNanos;
    private final SplittableRandom random;
    private final CallFactory calls;
    private final EntryWriter writer = new EntryWriter();
    private final List<String> tenants;
    private final Client[] apps;
    private final Client[] operators;
    private final Client monitor;
    private final int appsPerTenant;
    private final List<String> notes = new ArrayList<>();
    private final List<TenantProfileRecord> directory;
    private final Map<PlantedRule, Integer> expected = new EnumMap<>(PlantedRule.class);

    private final PriorityQueue<PlantBook.Step> plantSteps = new PriorityQueue<>(
            Comparator.comparingLong(PlantBook.Step::atNanos).thenComparing(s -> s.rule().ordinal()));
    private long plantLinesLeft;
    private PlantBook.Step active;
    private List<Call> activeCalls;
    private int activeIndex;
    private boolean activeResponseNext;
    private long floorNanos = Long.MIN_VALUE;

    private record Pending(long due, long seq, Call call) {
    }

    private final PriorityQueue<Pending> pending = new PriorityQueue<>(
            Comparator.comparingLong(Pending::due).thenComparingLong(Pending::seq));
    private long seq;
    private final ArrayDeque<GeneratedLine> ready = new ArrayDeque<>();

    private long produced;
    private long prevNanos;
    private long requests;
    private long responses;
    private final long[] byKind = new long[OperationKind.values().length];
    private final Map<String, Long> byTenant = new TreeMap<>();
    private final Map<PlantedRule, Integer> planted = new EnumMap<>(PlantedRule.class);
    private long firstNanos = Long.MIN_VALUE;

    /** @param baseTime event time of the first line; the only input besides the plan */
    public VaultTrafficGenerator(SimulationPlan plan, Instant baseTime) {
        this(plan, baseTime, CLIENT_RATE);
    }

    /** @param clientRate mean requests per second of event time per normal client (tests crowd clients with it) */
    VaultTrafficGenerator(SimulationPlan plan, Instant baseTime, double clientRate) {
        this.plan = plan;
        this.total = plan.totalLines();
        this.base = baseTime.getEpochSecond() * Client.SECOND + baseTime.getNano();
        long span = eventSpan(plan).toNanos();
        this.stepNanos = span / (double) total;
        this.prevNanos = base - 1000;
        this.random = new SplittableRandom(plan.seed());
        AuditHmac hmac = new AuditHmac(random.nextLong());
        // plants draw from their own stream: changing the mix does not change the normal clients' identities
        SplittableRandom plantRandom = random.split();
        this.calls = new CallFactory(hmac, random);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < plan.tenants(); i++) {
            names.add(i < TENANT_NAMES.length ? TENANT_NAMES[i] : String.format("tenant-%03d", i + 1));
        }
        this.tenants = Collections.unmodifiableList(names);

        double requestRate = total / 2.0 / (span / 1e9);
        this.appsPerTenant = (int) Math.min(MAX_CLIENTS / plan.tenants(),
                Math.max(4, Math.ceil(requestRate * 0.96 / clientRate / plan.tenants())));
        this.apps = new Client[appsPerTenant * plan.tenants()];
        this.operators = new Client[(int) Math.min(1000, Math.max(2, Math.ceil(requestRate * 0.04 / clientRate)))];
        this.monitor = operator(-1, "monitoring");
        calls.issue(monitor, base - 3600 * Client.SECOND, 86_400);

        AnomalyMix mix = plan.anomalies();
        CallFactory plantCalls = new CallFactory(new AuditHmac(plantRandom.nextLong()), plantRandom);
        PlantBook book = new PlantBook(plantCalls, plantRandom, tenants, plan.nodes(), base, span, mix);
        long needed = 4 * book.lines() + 2000;
        if (!mix.isEmpty() && total < needed) {
            notes.add("planted anomalies skipped: " + total + " lines are too few for them (need at least " + needed
                    + ")");
            this.directory = List.of();
        } else {
            plantSteps.addAll(book.steps());
            plantLinesLeft = book.lines();
            this.directory = List.copyOf(book.directory());
            for (PlantedRule r : PlantedRule.values()) {
                expected.put(r, mix.count(r));
            }
        }
        for (PlantedRule r : PlantedRule.values()) {
            expected.putIfAbsent(r, 0);
            planted.put(r, 0);
        }
        if (expected.get(PlantedRule.AUDIT_GAP) > 0 && (!plan.paced() || total / plan.rate() < 120)) {
            notes.add("audit_gap is raised once 60 s of receive time (streams.pairing.timeout.ms) pass after its "
                    + "request, 3% into the run: a run shorter than about a minute ends before that");
        }
        if (expected.get(PlantedRule.OFF_HOURS_ACCESS) > 0) {
            notes.add("off_hours_access fires only once the tenant directory record of '" + PlantBook.OFF_HOURS_TENANT
                    + "' is on the tenants topic (Simulator publishes nothing to Kafka)");
        }
    }

    /** Event time the plan's lines cover: its paced duration, at least {@link #MIN_EVENT_SPAN}. */
    public static Duration eventSpan(SimulationPlan plan) {
        Duration min = MIN_EVENT_SPAN.plusMinutes(3L * plan.anomalies().max());
        if (!plan.paced()) {
            return min;
        }
        Duration paced = Duration.ofNanos((long) (plan.totalLines() / plan.rate() * 1e9));
        return paced.compareTo(min) > 0 ? paced : min;
    }

    /** The next line, or null after the plan's last. */
    public GeneratedLine next() {
        while (ready.isEmpty()) {
            if (produced >= total) {
                return null;
            }
            step();
        }
        return ready.poll();
    }

    public long totalLines() {
        return total;
    }

    /** Expected anomalies per rule id once every line is through the pipeline (every rule, 0 included). */
    public Map<String, Integer> expectedAnomalies() {
        Map<String, Integer> out = new LinkedHashMap<>();
        expected.forEach((r, n) -> out.put(r.wire(), n));
        return out;
    }

    /** Tenant directory records to publish before the traffic (only {@code off_hours_access} needs one). */
    public List<TenantProfileRecord> tenantDirectory() {
        return directory;
    }

    public List<String> tenants() {
        return tenants;
    }

    /** Why the traffic differs from the plan, if it does. */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    public GenerationStats stats() {
        Map<String, Long> kinds = new TreeMap<>();
        for (OperationKind k : OperationKind.values()) {
            if (byKind[k.ordinal()] > 0) {
                kinds.put(k.label(), byKind[k.ordinal()]);
            }
        }
        Map<String, Integer> done = new TreeMap<>();
        planted.forEach((r, n) -> done.put(r.wire(), n));
        return new GenerationStats(produced, requests, responses, kinds, byTenant, done,
                firstNanos == Long.MIN_VALUE ? null : Instant.ofEpochSecond(0, firstNanos),
                produced == 0 ? null : Instant.ofEpochSecond(0, prevNanos));
    }

    /** Where line {@link #produced} falls in the span, with a deterministic sub-step jitter (Vault logs nanoseconds). */
    private long nominal() {
        long jitterRange = (long) Math.max(1, Math.min(stepNanos / 2, 1_000_000));
        return base + (long) (produced * stepNanos) + Math.floorMod(AuditHmac.mix(produced), jitterRange);
    }

    private void step() {
        long remaining = total - produced;
        long free = remaining - pending.size() - plantLinesLeft;
        Pending head = pending.peek();
        if (head != null && head.due() <= produced) {
            emitResponse(pending.poll().call(), Long.MAX_VALUE);
            return;
        }
        if (active != null) {
            emitActive();
            return;
        }
        PlantBook.Step next = plantSteps.peek();
        if (next != null && (next.atNanos() <= nominal() || free <= 0)) {
            // answer what is open first, so a plant's burst never delays a normal response
            if (head != null) {
                emitResponse(pending.poll().call(), Long.MAX_VALUE);
            } else {
                activate(plantSteps.poll());
            }
            return;
        }
        if (free <= 0 && head != null) {
            emitResponse(pending.poll().call(), Long.MAX_VALUE);
            return;
        }
        long now = timeOfNext(Long.MAX_VALUE);
        if (free == 1) {
            emitRequest(calls.replicationStatus(monitor), Long.MAX_VALUE); // a one-line entry fills the last slot
            return;
        }
        Call c = normalCall(now);
        emitRequest(c, Long.MAX_VALUE);
        if (c.lines() == 2) {
            pending.add(new Pending(produced + random.nextInt(4), seq++, c));
        }
    }

    private void activate(PlantBook.Step s) {
        long start = timeOfNext(s.maxDeltaNanos());
        if (s.alignMinute()) {
            long minute = 60 * Client.SECOND;
            if (Math.floorMod(start, minute) > 30 * Client.SECOND) {
                start = (Math.floorDiv(start, minute) + 1) * minute + Client.SECOND;
            }
            floorNanos = start;
        }
        active = s;
        activeCalls = s.calls().at(start);
        activeIndex = 0;
        activeResponseNext = false;
        int lines = activeCalls.stream().mapToInt(Call::lines).sum();
        if (lines != s.lines()) {
            throw new IllegalStateException("plant step of " + s.rule().wire() + " writes " + lines
                    + " lines, planned " + s.lines());
        }
    }

    private void emitActive() {
        Call c = activeCalls.get(activeIndex);
        if (activeResponseNext) {
            emitResponse(c, active.maxDeltaNanos());
            activeResponseNext = false;
            activeIndex++;
        } else {
            emitRequest(c, active.maxDeltaNanos());
            if (c.lines() == 2) {
                activeResponseNext = true;
            } else {
                activeIndex++;
            }
        }
        plantLinesLeft--;
        if (activeIndex == activeCalls.size()) {
            if (active.completes()) {
                planted.merge(active.rule(), 1, Integer::sum);
            }
            active = null;
            activeCalls = null;
        }
    }

    /** The next line's time: evenly spread, never backwards, at most {@code maxDelta} after the last line. */
    private long timeOfNext(long maxDelta) {
        long cap = maxDelta == Long.MAX_VALUE ? Long.MAX_VALUE : prevNanos + maxDelta;
        long t = Math.max(prevNanos + 1000, Math.min(nominal(), cap));
        return Math.max(t, floorNanos);
    }

    private void emitRequest(Call c, long maxDelta) {
        long t = timeOfNext(maxDelta);
        requests++;
        byKind[c.kind.ordinal()]++;
        emit(c, "request", writer.request(c, t), t, c.tenant);
    }

    private void emitResponse(Call c, long maxDelta) {
        long t = timeOfNext(maxDelta);
        responses++;
        emit(c, "response", writer.response(c, t), t, c.responseTenant);
    }

    private void emit(Call c, String type, byte[] line, long t, String tenant) {
        prevNanos = t;
        if (firstNanos == Long.MIN_VALUE) {
            firstNanos = t;
        }
        produced++;
        byTenant.merge(tenant == null ? "-" : tenant, 1L, Long::sum);
        ready.add(new GeneratedLine(c.node, c.requestId, type, line, t, tenant, c.kind, c.plant));
    }

    /** A request of normal traffic: 96% tenants' applications, 4% platform operators. */
    private Call normalCall(long now) {
        if (random.nextInt(100) < 4) {
            Client op = operatorAt(random.nextInt(operators.length));
            if (op.needsLogin(now)) {
                return calls.login(op, now, false);
            }
            int pick = random.nextInt(20);
            if (pick < 12) {
                int which = random.nextInt(5);
                // capabilities-self (4) is an update; the others are reads and count against the read cap
                return which == 4 || op.mayRead(now) ? calls.sysRead(op, which) : calls.sysRead(op, 4);
            }
            if (pick < 14 && !op.lists.full(now)) {
                op.lists.add(now);
                return calls.sysListPolicies(op);
            }
            if (pick < 18 && op.mayRead(now)) {
                return calls.replicationStatus(op);
            }
            return op.mayRead(now) ? calls.lookupSelf(op, now) : calls.sysRead(op, 4);
        }
        Client c = appAt(random.nextInt(apps.length));
        if (c.needsLogin(now)) {
            boolean fail = random.nextInt(100) == 0 && !c.loginFailures.full(now);
            if (fail) {
                c.loginFailures.add(now);
            }
            return calls.login(c, now, fail);
        }
        int pick = random.nextInt(89);
        if (pick < 55) {
            return c.mayRead(now) ? calls.kvRead(c, c.tenant) : calls.kvWrite(c);
        }
        if (pick < 69) {
            return calls.kvWrite(c);
        }
        if (pick < 75) {
            if (c.lists.full(now)) {
                return calls.kvWrite(c);
            }
            c.lists.add(now);
            return calls.kvList(c, c.tenant);
        }
        if (pick < 76) {
            return calls.kvDelete(c);
        }
        if (pick < 81) {
            return c.mayRead(now) ? calls.lookupSelf(c, now) : calls.renewSelf(c, now);
        }
        if (pick < 87) {
            return calls.renewSelf(c, now);
        }
        if (c.denials.full(now)) {
            return calls.kvWrite(c);
        }
        c.denials.add(now);
        return calls.denied(c, c.tenant, DENIED_PATHS[random.nextInt(DENIED_PATHS.length)]);
    }

    private static final String[] DENIED_PATHS = {"treasury/cold-wallet", "admin/root-keys", "exchanges/",
        "hr/payroll-db"};

    private Client appAt(int i) {
        Client c = apps[i];
        if (c == null) {
            int t = i / appsPerTenant;
            String tenant = tenants.get(t);
            String role = tenant + "-" + APP_ROLES[i % APP_ROLES.length] + "-" + (i % appsPerTenant / APP_ROLES.length);
            TreeMap<String, String> meta = new TreeMap<>();
            meta.put("role_name", role);
            meta.put("tenant_id", tenant);
            c = new Client(i, tenant, role, calls.uuid(), appAddress(i), i % plan.nodes(), Mount.APPROLE, "approle",
                    List.of("default", tenant + "-app"), meta);
            apps[i] = c;
        }
        return c;
    }

    /** 10.x.y.z, one per client, so no normal actor is ever seen from a second address. */
    private static String appAddress(int i) {
        return "10." + (1 + i / 62_500) + "." + (i / 250 % 250) + "." + (i % 250 + 1);
    }

    private Client operatorAt(int i) {
        if (operators[i] == null) {
            operators[i] = operator(i, OPERATOR_NAMES[i % OPERATOR_NAMES.length] + (i < OPERATOR_NAMES.length ? ""
                    : "-" + i / OPERATOR_NAMES.length));
        }
        return operators[i];
    }

    private static final String[] OPERATOR_NAMES = {"ops-ines", "ops-jamal", "ops-kofi", "ops-lena", "ops-mateo",
        "ops-nadia", "ops-oskar", "ops-priya"};

    private Client operator(int i, String name) {
        TreeMap<String, String> meta = new TreeMap<>();
        meta.put("username", name);
        int n = i + 1;
        return new Client(2_000_000 + n, null, name, calls.uuid(), "10.250." + (n / 250) + "." + (n % 250 + 1),
                Math.floorMod(n, plan.nodes()), Mount.USERPASS, "userpass-" + name,
                List.of("default", "platform-ops"), meta);
    }
}
