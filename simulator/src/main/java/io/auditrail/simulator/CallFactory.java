package io.auditrail.simulator;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Builds the calls of the simulated cluster with the field shapes of current Vault: KV v2 under
 * {@code secret/data/tenants/<tenant>/...}, AppRole and userpass logins, token renewals and lookups, LISTs,
 * denials and system endpoints; every string in {@code data} HMAC'd. Not thread-safe: one per generator.
 */
final class CallFactory {
    static final String MULTI_ERROR_DENIED = "1 error occurred:\n\t* permission denied\n\n";
    static final long TOKEN_TTL_SECONDS = 3600;
    private static final String[] EXCHANGES = {"binance", "coinbase", "kraken", "bitstamp", "gemini", "okx", "bybit",
        "kucoin", "bitfinex", "deribit", "bitget", "htx", "upbit", "bithumb"};
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    // kinds of HMAC'd values: distinct numbers so equal ids of different kinds hash differently
    private static final long TOKEN = 1, ACCESSOR = 2, SECRET = 3, META = 4, FIELD = 5;

    private final AuditHmac hmac;
    private final SplittableRandom random;
    private final Map<String, Secrets> secrets = new HashMap<>();

    /** A tenant's KV v2 secrets under {@code exchanges/} and their current versions. */
    private record Secrets(int tenantHash, String[] names, int[] versions) {
    }

    CallFactory(AuditHmac hmac, SplittableRandom random) {
        this.hmac = hmac;
        this.random = random;
    }

    String uuid() {
        long a = random.nextLong();
        long b = random.nextLong();
        char[] c = new char[36];
        int p = 0;
        for (int i = 0; i < 32; i++) {
            if (i == 8 || i == 12 || i == 16 || i == 20) {
                c[p++] = '-';
            }
            long word = i < 16 ? a : b;
            c[p++] = HEX[(int) (word >>> (60 - 4 * (i % 16))) & 0xF];
        }
        return new String(c);
    }

    /** A token issued to {@code c} now; its HMAC'd token and accessor are unique per client and login. */
    Identity issue(Client c, long now, long ttlSeconds) {
        c.generation++;
        long id = ((long) c.id << 24) | c.generation;
        Identity i = new Identity(hmac.of(TOKEN, id), hmac.of(ACCESSOR, id), c.displayName, c.policies, c.metadata,
                c.entityId, "service", ttlSeconds, now);
        c.identity = i;
        c.expiresNanos = now + ttlSeconds * Client.SECOND;
        return i;
    }

    private Call base(Client c, OperationKind kind, Mount mount, String operation, String path) {
        Call x = new Call();
        x.requestId = uuid();
        x.kind = kind;
        x.auth = c.identity == null ? Identity.UNAUTHENTICATED : c.identity;
        x.mount = mount;
        x.operation = operation;
        x.path = path;
        x.remoteAddress = c.address;
        x.remotePort = 32768 + random.nextInt(28232);
        x.node = c.node;
        x.tenant = c.tenant;
        x.responseTenant = c.tenant;
        return x;
    }

    /** AppRole or userpass login; a failed one issues nothing. */
    Call login(Client c, long now, boolean fail) {
        boolean approle = c.loginMount == Mount.APPROLE;
        Call x = base(c, fail ? OperationKind.LOGIN_FAILED
                : approle ? OperationKind.APPROLE_LOGIN : OperationKind.USERPASS_LOGIN, c.loginMount, "update",
                c.loginPath());
        x.auth = Identity.UNAUTHENTICATED;
        x.tenant = null; // no token yet and no tenant in the path
        long salt = random.nextLong();
        x.requestData = approle
                ? g -> {
                    g.writeStringField("role_id", hmac.of(FIELD, c.id));
                    g.writeStringField("secret_id", hmac.of(FIELD, salt));
                }
                : g -> g.writeStringField("password", hmac.of(FIELD, c.id + 7));
        if (fail) {
            String message = approle ? "invalid role or secret ID" : "invalid username or password";
            x.responseData = g -> g.writeStringField("error", hmac.of(message));
            x.responseError = message;
            x.responseTenant = null;
        } else {
            x.issued = issue(c, now, TOKEN_TTL_SECONDS);
        }
        return x;
    }

    private Secrets secrets(String tenant) {
        return secrets.computeIfAbsent(tenant, t -> {
            int h = t.hashCode();
            int n = 6 + Math.floorMod(h, EXCHANGES.length - 6);
            String[] names = new String[n];
            int[] versions = new int[n];
            for (int i = 0; i < n; i++) {
                names[i] = EXCHANGES[Math.floorMod(h + i * 5, EXCHANGES.length)];
                versions[i] = 1 + Math.floorMod(h + i, 4);
            }
            // distinct names: the stride 5 is coprime with 14, so the first n are distinct
            return new Secrets(h, names, versions);
        });
    }

    Call kvRead(Client c, String pathTenant) {
        Secrets s = secrets(pathTenant);
        int i = random.nextInt(s.names.length);
        Call x = base(c, OperationKind.KV_READ, Mount.KV, "read",
                "secret/data/tenants/" + pathTenant + "/exchanges/" + s.names[i]);
        long secret = ((long) s.tenantHash << 20) | ((long) i << 8);
        int version = s.versions[i];
        x.responseData = g -> {
            g.writeObjectFieldStart("data");
            g.writeStringField("api_key", hmac.of(SECRET, secret | 1 | ((long) version << 40)));
            g.writeStringField("api_secret", hmac.of(SECRET, secret | 2 | ((long) version << 40)));
            if ((secret & 0x100) != 0) {
                g.writeStringField("passphrase", hmac.of(SECRET, secret | 3 | ((long) version << 40)));
            }
            g.writeEndObject();
            g.writeObjectFieldStart("metadata");
            kvMetadata(g, secret, version);
            g.writeEndObject();
        };
        return x;
    }

    private void kvMetadata(JsonGenerator g, long secret, int version) throws IOException {
        g.writeStringField("created_time", hmac.of(META, secret ^ ((long) version << 32)));
        g.writeNullField("custom_metadata");
        g.writeStringField("deletion_time", hmac.of(""));
        g.writeBooleanField("destroyed", false);
        g.writeNumberField("version", version);
    }

    Call kvWrite(Client c) {
        Secrets s = secrets(c.tenant);
        int i = random.nextInt(s.names.length);
        int cas = s.versions[i];
        s.versions[i] = cas + 1;
        Call x = base(c, OperationKind.KV_WRITE, Mount.KV, "update",
                "secret/data/tenants/" + c.tenant + "/exchanges/" + s.names[i]);
        long secret = ((long) s.tenantHash << 20) | ((long) i << 8);
        int version = cas + 1;
        x.requestData = g -> {
            g.writeObjectFieldStart("data");
            g.writeStringField("api_key", hmac.of(SECRET, secret | 1 | ((long) version << 40)));
            g.writeStringField("api_secret", hmac.of(SECRET, secret | 2 | ((long) version << 40)));
            g.writeEndObject();
            g.writeObjectFieldStart("options");
            g.writeNumberField("cas", cas);
            g.writeEndObject();
        };
        x.responseData = g -> kvMetadata(g, secret, version);
        return x;
    }

    Call kvList(Client c, String pathTenant) {
        Secrets s = secrets(pathTenant);
        Call x = base(c, OperationKind.KV_LIST, Mount.KV, "list",
                "secret/metadata/tenants/" + pathTenant + "/exchanges/");
        x.responseData = g -> {
            g.writeArrayFieldStart("keys");
            for (String name : s.names) {
                g.writeString(hmac.of(name));
            }
            g.writeEndArray();
        };
        return x;
    }

    Call kvDelete(Client c) {
        Secrets s = secrets(c.tenant);
        int i = random.nextInt(s.names.length);
        return base(c, OperationKind.KV_DELETE, Mount.KV, "delete",
                "secret/data/tenants/" + c.tenant + "/exchanges/" + s.names[i]);
    }

    /** A read the client's policy does not allow: a path of {@code pathTenant} outside its grant. */
    Call denied(Client c, String pathTenant, String path) {
        Call x = base(c, OperationKind.PERMISSION_DENIED, Mount.KV, "read",
                "secret/data/tenants/" + pathTenant + "/" + path);
        deny(x);
        return x;
    }

    static void deny(Call x) {
        x.allowed = false;
        x.requestError = "permission denied";
        x.responseError = MULTI_ERROR_DENIED;
        x.responseData = g -> g.writeStringField("error", DENIED_HMAC);
    }

    // response.data.error is HMAC'd like every data string; one fixed look-alike serves every denial
    private static final String DENIED_HMAC = AuditHmac.PREFIX
            + "7c2b4e0a915d3f68b2e4a1c09d7f5e3b6a8c1d2e4f60718293a4b5c6d7e8f901";

    Call lookupSelf(Client c, long now) {
        Call x = base(c, OperationKind.TOKEN_LOOKUP, Mount.TOKEN, "read", "auth/token/lookup-self");
        Identity i = c.identity;
        long remaining = Math.max(0, (c.expiresNanos - now) / Client.SECOND);
        x.responseData = g -> {
            g.writeStringField("accessor", i.accessor());
            g.writeNumberField("creation_time", i.issueNanos() / Client.SECOND);
            g.writeNumberField("creation_ttl", i.tokenTtl());
            g.writeStringField("display_name", hmac.of(i.displayName()));
            if (i.entityId() != null) {
                g.writeStringField("entity_id", hmac.of(i.entityId()));
            }
            g.writeStringField("expire_time", Instant.ofEpochSecond(0, c.expiresNanos).toString());
            g.writeNumberField("explicit_max_ttl", 0);
            g.writeStringField("id", i.clientToken());
            g.writeStringField("issue_time", Instant.ofEpochSecond(0, i.issueNanos()).toString());
            g.writeObjectFieldStart("meta");
            for (var m : i.metadata().entrySet()) {
                g.writeStringField(m.getKey(), hmac.of(m.getValue()));
            }
            g.writeEndObject();
            g.writeNumberField("num_uses", 0);
            g.writeBooleanField("orphan", true);
            g.writeStringField("path", hmac.of(c.loginPath()));
            g.writeArrayFieldStart("policies");
            for (String p : i.policies()) {
                g.writeString(hmac.of(p));
            }
            g.writeEndArray();
            g.writeBooleanField("renewable", true);
            g.writeNumberField("ttl", remaining);
            g.writeStringField("type", hmac.of("service"));
        };
        return x;
    }

    Call renewSelf(Client c, long now) {
        Call x = base(c, OperationKind.TOKEN_RENEW, Mount.TOKEN, "update", "auth/token/renew-self");
        x.requestData = g -> g.writeStringField("increment", hmac.of("1h"));
        x.issued = c.identity;
        c.expiresNanos = now + TOKEN_TTL_SECONDS * Client.SECOND;
        return x;
    }

    /** A new token created by {@code c} through {@code auth/token/create} with the given TTL. */
    Call tokenCreate(Client c, long now, long ttlSeconds, String role) {
        Call x = base(c, OperationKind.TOKEN_CREATE, Mount.TOKEN, "update", "auth/token/create");
        x.requestData = g -> {
            g.writeStringField("display_name", hmac.of(role));
            EntryWriter.strings(g, "policies", List.of(hmac.of(role)));
            g.writeStringField("ttl", hmac.of(ttlSeconds / 3600 + "h"));
        };
        long id = random.nextLong();
        TreeMap<String, String> meta = new TreeMap<>();
        x.issued = new Identity(hmac.of(TOKEN, id), hmac.of(ACCESSOR, id), "token-" + role, List.of("default", role),
                meta, null, "service", ttlSeconds, now);
        return x;
    }

    /** Vault's system endpoints an operator reads; {@code which} picks one. */
    Call sysRead(Client c, int which) {
        return switch (which) {
            case 0 -> sys(c, OperationKind.SYS_READ, "read", "sys/mounts", g -> {
                for (String m : List.of("cubbyhole/", "identity/", "secret/", "sys/")) {
                    mountInfo(g, m);
                }
            });
            case 1 -> sys(c, OperationKind.SYS_READ, "read", "sys/auth", g -> {
                for (String m : List.of("approle/", "token/", "userpass/")) {
                    mountInfo(g, m);
                }
            });
            case 2 -> sys(c, OperationKind.SYS_READ, "read", "sys/audit", g -> {
                g.writeObjectFieldStart("socket/");
                g.writeStringField("description", hmac.of("auditrail"));
                g.writeBooleanField("local", false);
                g.writeObjectFieldStart("options");
                g.writeStringField("address", hmac.of("auditrail-ingest:9090"));
                g.writeStringField("socket_type", hmac.of("tcp"));
                g.writeEndObject();
                g.writeStringField("path", hmac.of("socket/"));
                g.writeStringField("type", hmac.of("socket"));
                g.writeEndObject();
            });
            case 3 -> sys(c, OperationKind.SYS_READ, "read", "sys/storage/raft/configuration", g -> {
                g.writeObjectFieldStart("config");
                g.writeNumberField("index", 0);
                g.writeArrayFieldStart("servers");
                for (int n = 1; n <= 3; n++) {
                    g.writeStartObject();
                    g.writeStringField("address", hmac.of("vault-" + n + ":8201"));
                    g.writeBooleanField("leader", n == 1);
                    g.writeStringField("node_id", hmac.of("vault-" + n));
                    g.writeStringField("protocol_version", hmac.of("3"));
                    g.writeBooleanField("voter", true);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            });
            default -> {
                Call x = sys(c, OperationKind.SYS_READ, "update", "sys/capabilities-self", g -> {
                    EntryWriter.strings(g, "capabilities", List.of(hmac.of("read"), hmac.of("list")));
                    EntryWriter.strings(g, "sys/mounts", List.of(hmac.of("read"), hmac.of("list")));
                });
                x.requestData = g -> EntryWriter.strings(g, "paths", List.of(hmac.of("sys/mounts")));
                yield x;
            }
        };
    }

    Call sysListPolicies(Client c) {
        return sys(c, OperationKind.SYS_LIST, "list", "sys/policies/acl", g -> {
            g.writeArrayFieldStart("keys");
            for (String p : List.of("default", "platform-admin", "platform-ops", "root")) {
                g.writeString(hmac.of(p));
            }
            g.writeEndArray();
        });
    }

    /** Polled by monitoring; Vault never logs a response for it (reference/vault-audit.md 2.5). */
    Call replicationStatus(Client c) {
        Call x = base(c, OperationKind.SYS_REQUEST_ONLY, Mount.SYSTEM, "read", "sys/replication/status");
        x.requestOnly = true;
        return x;
    }

    /** A system write (the planted configuration changes); {@code data} null for none. */
    Call sysWrite(Client c, String operation, String path, Call.Body data) {
        Call x = base(c, OperationKind.SYS_WRITE, Mount.SYSTEM, operation, path);
        x.requestData = data;
        return x;
    }

    Call sys(Client c, OperationKind kind, String operation, String path, Call.Body response) {
        Call x = base(c, kind, Mount.SYSTEM, operation, path);
        x.responseData = response;
        return x;
    }

    String hmac(String value) {
        return hmac.of(value);
    }

    private void mountInfo(JsonGenerator g, String mount) throws IOException {
        g.writeObjectFieldStart(mount);
        g.writeStringField("accessor", hmac.of(mount + "accessor"));
        g.writeObjectFieldStart("config");
        g.writeNumberField("default_lease_ttl", 0);
        g.writeBooleanField("force_no_cache", false);
        g.writeNumberField("max_lease_ttl", 0);
        g.writeEndObject();
        g.writeStringField("description", hmac.of(mount + "description"));
        g.writeBooleanField("external_entropy_access", false);
        g.writeBooleanField("local", false);
        g.writeNullField("options");
        g.writeStringField("plugin_version", hmac.of(""));
        g.writeStringField("running_plugin_version", hmac.of("v1.17.6+builtin.vault"));
        g.writeStringField("running_sha256", hmac.of(""));
        g.writeBooleanField("seal_wrap", false);
        g.writeStringField("type", hmac.of(mount.substring(0, mount.length() - 1)));
        g.writeStringField("uuid", hmac.of(mount + "uuid"));
        g.writeEndObject();
    }
}
