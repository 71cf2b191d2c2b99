package io.auditrail.simulator;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Plans the planted anomalies: for each instance of each rule, the calls that make it fire exactly once, their
 * event time, and the actor (a client of its own, with its own address) so instances never merge with each other
 * or touch the counts of normal traffic. Thresholds are the streams stage's defaults (docs/ANOMALIES.md).
 */
final class PlantBook {
    static final String OFF_HOURS_TENANT = "nightowl";
    static final long LONG_TTL_SECONDS = 365L * 24 * 3600; // rule default threshold: 768 h
    private static final long S = Client.SECOND;
    private static final long MINUTE = 60 * S;
    private static final String[] ADMINS = {"alice", "bruno", "chen", "dana", "emeka", "farah", "goran", "hana"};

    /** Builds a step's calls when it starts, so tokens are issued at the step's time. */
    @FunctionalInterface
    interface Calls {
        List<Call> at(long startNanos);
    }

    /**
     * Calls emitted back to back from {@code atNanos} on, each line at most {@code maxDeltaNanos} after the last.
     *
     * @param lines     lines the step writes (checked when it runs)
     * @param alignMinute start in the first half of a calendar minute (read_rate_spike counts per minute)
     * @param completes the last step of its instance: afterwards the anomaly is planted
     */
    record Step(long atNanos, PlantedRule rule, int lines, long maxDeltaNanos, boolean alignMinute, boolean completes,
                Calls calls) {
    }

    private final CallFactory calls;
    private final SplittableRandom random;
    private final List<String> tenants;
    private final int nodes;
    private final long base;
    private final long span;
    private final List<Step> steps = new ArrayList<>();
    private final List<TenantProfileRecord> directory = new ArrayList<>();
    private int nextClient = 1_000_000;
    private int nextAddress;

    PlantBook(CallFactory calls, SplittableRandom random, List<String> tenants, int nodes, long baseNanos,
              long spanNanos, AnomalyMix mix) {
        this.calls = calls;
        this.random = random;
        this.tenants = tenants;
        this.nodes = nodes;
        this.base = baseNanos;
        this.span = spanNanos;
        int slots = Math.max(1, mix.max()) * PlantedRule.values().length;
        for (PlantedRule rule : PlantedRule.values()) {
            for (int k = 0; k < mix.count(rule); k++) {
                long at = base + (long) (span * (0.06 + 0.74 * (k * PlantedRule.values().length + rule.ordinal())
                        / (double) slots));
                plant(rule, k, at);
            }
        }
        if (mix.count(PlantedRule.OFF_HOURS_ACCESS) > 0) {
            directory.add(offHoursProfile());
        }
    }

    List<Step> steps() {
        return steps;
    }

    List<TenantProfileRecord> directory() {
        return directory;
    }

    /** Lines all steps write. */
    long lines() {
        return steps.stream().mapToLong(Step::lines).sum();
    }

    private void plant(PlantedRule rule, int k, long at) {
        String tenant = tenants.get(k % tenants.size());
        String suffix = k == 0 ? "" : "-" + k;
        switch (rule) {
            case CROSS_TENANT_ACCESS -> {
                String other = tenants.size() > 1 ? tenants.get((k + 1) % tenants.size()) : "globex-" + k;
                Client c = app(tenant, tenant + "-reconciler" + suffix);
                one(rule, at, 4, S, t -> {
                    Call login = calls.login(c, t, false);
                    Call read = calls.kvRead(c, other);
                    CallFactory.deny(read);
                    read.kind = OperationKind.PERMISSION_DENIED;
                    return List.of(login, mark(read, rule));
                });
            }
            case ROOT_TOKEN_USE -> {
                Client root = new Client(nextClient++, null, "root", null, address(), node(), Mount.TOKEN, "root",
                        List.of("root"), new TreeMap<>());
                one(rule, at, 4, S, t -> {
                    // a root token generated earlier (vault operator generate-root): no login entry
                    calls.issue(root, t - 300 * S, 0);
                    return List.of(mark(calls.sysRead(root, 0), rule), calls.sysRead(root, 1));
                });
            }
            case AUDIT_DEVICE_CHANGE -> {
                Client admin = admin();
                one(rule, at, 4, S, t -> List.of(calls.login(admin, t, false), mark(k % 2 == 0
                        ? calls.sysWrite(admin, "update", "sys/audit/file" + suffix, g -> {
                            g.writeStringField("description", calls.hmac("local safety net"));
                            g.writeBooleanField("local", false);
                            g.writeObjectFieldStart("options");
                            g.writeStringField("file_path", calls.hmac("/vault/logs/audit.log"));
                            g.writeEndObject();
                            g.writeStringField("type", calls.hmac("file"));
                        })
                        : calls.sysWrite(admin, "delete", "sys/audit/file" + suffix, null), rule)));
            }
            case RAW_LOGGING_DETECTED -> {
                Client c = app(tenant, tenant + "-pricing" + suffix);
                one(rule, at, 4, S, t -> {
                    Call login = calls.login(c, t, false);
                    Call read = calls.kvRead(c, tenant);
                    // HCSEC-2024-18: tokens and accessors logged in plaintext on both entries
                    read.auth = read.auth.withTokens("hvs." + base62(91), base62(24));
                    return List.of(login, mark(read, rule));
                });
            }
            case POLICY_CHANGE -> {
                Client admin = admin();
                one(rule, at, 4, S, t -> List.of(calls.login(admin, t, false),
                        mark(calls.sysWrite(admin, "update", "sys/policies/acl/" + tenant + "-readonly" + suffix,
                                g -> g.writeStringField("policy", calls.hmac("path \"secret/data/tenants/" + tenant
                                        + "/*\" { capabilities = [\"read\"] }"))), rule)));
            }
            case AUTH_METHOD_CHANGE -> {
                Client admin = admin();
                one(rule, at, 4, S, t -> List.of(calls.login(admin, t, false), mark(k % 2 == 0
                        ? calls.sysWrite(admin, "update", "sys/auth/oidc" + suffix, g -> {
                            g.writeObjectFieldStart("config");
                            g.writeStringField("default_lease_ttl", calls.hmac("1h"));
                            g.writeEndObject();
                            g.writeStringField("description", calls.hmac("corporate SSO"));
                            g.writeStringField("type", calls.hmac("oidc"));
                        })
                        : calls.sysWrite(admin, "update", "sys/auth/approle/tune", g -> {
                            g.writeStringField("default_lease_ttl", calls.hmac("768h"));
                            g.writeStringField("max_lease_ttl", calls.hmac("8760h"));
                        }), rule)));
            }
            case SEAL_OR_CLUSTER_CHANGE -> {
                Client admin = admin();
                boolean stepDown = k % 2 == 0;
                one(rule, at, stepDown ? 3 : 4, S, t -> {
                    Call change = stepDown ? calls.sysWrite(admin, "update", "sys/step-down", null)
                            : calls.sysWrite(admin, "update", "sys/storage/raft/remove-peer",
                                    g -> g.writeStringField("server_id", calls.hmac("vault-3")));
                    change.requestOnly = stepDown; // Vault logs only the request of sys/step-down
                    return List.of(calls.login(admin, t, false), mark(change, rule));
                });
            }
            case PERMISSION_DENIED_BURST -> {
                Client c = app(tenant, tenant + "-legacy-job" + suffix);
                one(rule, at, 2 + 12 * 2, S / 2, t -> {
                    List<Call> out = new ArrayList<>();
                    out.add(calls.login(c, t, false));
                    for (int i = 0; i < 12; i++) {
                        out.add(calls.denied(c, tenant, "treasury/cold-wallet"));
                    }
                    mark(out.get(10), rule); // the 10th denial reaches the default threshold
                    return out;
                });
            }
            case LOGIN_FAILURE_BURST -> {
                Client c = app(tenant, tenant + "-ci-runner" + suffix);
                one(rule, at, 6 * 2, 2 * S, t -> {
                    List<Call> out = new ArrayList<>();
                    for (int i = 0; i < 6; i++) {
                        out.add(calls.login(c, t, true));
                    }
                    mark(out.get(4), rule); // the 5th failure reaches the default threshold
                    return out;
                });
            }
            case READ_RATE_SPIKE -> {
                Client c = app(tenant, tenant + "-exporter" + suffix);
                long warm = base + span / 50 + k * 10 * S;
                // a baseline of one read, then 120 reads within one minute, after the 30-minute warm-up
                steps.add(new Step(warm, rule, 4, S, false, false,
                        t -> List.of(calls.login(c, t, false), calls.kvRead(c, tenant))));
                steps.add(new Step(warm + 32 * MINUTE + k * 70 * S, rule, 120 * 2, S / 10, true, true, t -> {
                    List<Call> out = new ArrayList<>();
                    for (int i = 0; i < 120; i++) {
                        out.add(calls.kvRead(c, tenant));
                    }
                    mark(out.get(99), rule);
                    return out;
                }));
            }
            case SECRET_ENUMERATION -> {
                Client c = app(tenant, tenant + "-inventory" + suffix);
                one(rule, at, 2 + 55 * 2, S / 4, t -> {
                    List<Call> out = new ArrayList<>();
                    out.add(calls.login(c, t, false));
                    for (int i = 0; i < 55; i++) {
                        out.add(calls.kvList(c, tenant));
                    }
                    mark(out.get(50), rule);
                    return out;
                });
            }
            case NEW_SOURCE_ADDRESS -> {
                Client c = app(tenant, tenant + "-settlement" + suffix);
                String elsewhere = address();
                steps.add(new Step(at, rule, 4, S, false, false,
                        t -> List.of(calls.login(c, t, false), calls.kvRead(c, tenant))));
                steps.add(new Step(at + 3 * MINUTE, rule, 2, S, false, true, t -> {
                    Call read = calls.kvRead(c, tenant); // the same token, used from another host
                    read.remoteAddress = elsewhere;
                    return List.of(mark(read, rule));
                }));
            }
            case OFF_HOURS_ACCESS -> {
                Client c = app(OFF_HOURS_TENANT, OFF_HOURS_TENANT + "-ops" + suffix);
                // all instances within minutes of the first: the tenant's hours are set hours away from them
                one(rule, offHoursStart() + k * MINUTE, 4, S,
                        t -> List.of(calls.login(c, t, false), mark(calls.kvRead(c, OFF_HOURS_TENANT), rule)));
            }
            case LONG_LIVED_TOKEN -> {
                Client admin = admin();
                one(rule, at, 4, S, t -> List.of(calls.login(admin, t, false),
                        mark(calls.tokenCreate(admin, t, LONG_TTL_SECONDS, "ci-deployer"), rule)));
            }
            case AUDIT_GAP -> {
                Client c = app(tenant, tenant + "-trader" + suffix);
                // early: the live pipeline releases it only after 60 s of *receive* time (the pairing timeout runs
                // on record timestamps), so as much real traffic as possible must follow it
                one(rule, base + span * 3 / 100 + k * 10 * S, 3, S, t -> {
                    Call login = calls.login(c, t, false);
                    Call read = calls.kvRead(c, tenant);
                    read.unanswered = true; // the node died before its response entry reached the receiver
                    return List.of(login, mark(read, rule));
                });
            }
        }
    }

    private long offHoursStart() {
        return base + span / 3;
    }

    private TenantProfileRecord offHoursProfile() {
        // hours start 2 h after the hour of the last instance (all lie within 20 minutes), so none is inside them
        long lastNanos = offHoursStart() + AnomalyMix.MAX_PER_RULE * MINUTE;
        LocalTime last = Instant.ofEpochSecond(0, lastNanos).atOffset(ZoneOffset.UTC).toLocalTime();
        LocalTime start = LocalTime.of((last.getHour() + 2) % 24, 0);
        LocalTime end = start.plusHours(1);
        String json = "{\"tenant_id\":\"" + OFF_HOURS_TENANT + "\",\"name\":\"Nightowl Trading\",\"time_zone\":\"UTC\","
                + "\"business_hours\":{\"days\":[\"MONDAY\",\"TUESDAY\",\"WEDNESDAY\",\"THURSDAY\",\"FRIDAY\","
                + "\"SATURDAY\",\"SUNDAY\"],\"start\":\"" + start + "\",\"end\":\"" + end + "\"},\"entity_ids\":[]}";
        return new TenantProfileRecord(OFF_HOURS_TENANT, json);
    }

    private void one(PlantedRule rule, long at, int lines, long maxDelta, Calls build) {
        steps.add(new Step(at, rule, lines, maxDelta, false, true, build));
    }

    private static Call mark(Call c, PlantedRule rule) {
        c.plant = rule;
        return c;
    }

    private Client app(String tenant, String role) {
        TreeMap<String, String> meta = new TreeMap<>();
        meta.put("role_name", role);
        meta.put("tenant_id", tenant);
        return new Client(nextClient++, tenant, role, calls.uuid(), address(), node(), Mount.APPROLE, "approle",
                List.of("default", tenant + "-app"), meta);
    }

    private Client admin() {
        String name = ADMINS[random.nextInt(ADMINS.length)] + "-" + (nextClient % 1000);
        TreeMap<String, String> meta = new TreeMap<>();
        meta.put("username", name);
        return new Client(nextClient++, null, name, calls.uuid(), address(), node(), Mount.USERPASS,
                "userpass-" + name, List.of("default", "platform-admin"), meta);
    }

    /** Documentation ranges (RFC 5737): never an address of normal traffic. */
    private String address() {
        int n = nextAddress++;
        String[] nets = {"192.0.2.", "198.51.100.", "203.0.113."};
        return nets[(n / 254) % nets.length] + (n % 254 + 1);
    }

    private int node() {
        return random.nextInt(nodes);
    }

    private String base62(int length) {
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
