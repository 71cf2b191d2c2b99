package io.auditrail.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Builds Vault audit lines for tests, shaped like the real ones (reference/vault-audit.md 2.6). */
final class AuditLine {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String requestId;
    private Instant time = Instant.parse("2026-11-02T10:00:00Z");
    private String operation = "read";
    private String path = "secret/data/app/db";
    private String tenant;
    private String entity = "e-alice";
    private String displayName = "userpass-alice";
    private String[] policies = {"default", "app"};
    private String accessor = "hmac-sha256:acc-alice";
    private String address = "10.0.0.7";
    private String error;
    private Long issuedTtl;

    private AuditLine(String requestId) {
        this.requestId = requestId;
    }

    static AuditLine of(String requestId) {
        return new AuditLine(requestId);
    }

    AuditLine at(Instant t) {
        this.time = t;
        return this;
    }

    AuditLine op(String op, String p) {
        this.operation = op;
        this.path = p;
        return this;
    }

    AuditLine tenant(String t) {
        this.tenant = t;
        return this;
    }

    AuditLine entity(String e, String name) {
        this.entity = e;
        this.displayName = name;
        return this;
    }

    AuditLine policies(String... p) {
        this.policies = p;
        return this;
    }

    AuditLine accessor(String a) {
        this.accessor = a;
        return this;
    }

    AuditLine from(String a) {
        this.address = a;
        return this;
    }

    AuditLine error(String e) {
        this.error = e;
        return this;
    }

    AuditLine issuesToken(long ttlSeconds) {
        this.issuedTtl = ttlSeconds;
        return this;
    }

    /** A failed login: no identity yet, an error in the response. */
    AuditLine failedLogin(String mountPath) {
        this.operation = "update";
        this.path = mountPath;
        this.entity = null;
        this.displayName = null;
        this.policies = new String[0];
        this.accessor = null;
        this.error = "invalid username or password";
        return this;
    }

    byte[] request() {
        return line("request", time, error == null ? null : errorFor("request"));
    }

    byte[] response() {
        return line("response", time.plusMillis(2), error == null ? null : errorFor("response"));
    }

    private String errorFor(String type) {
        return type.equals("response") && error.equals("permission denied")
                ? "1 error occurred:\n\t* permission denied\n\n" : error;
    }

    private byte[] line(String type, Instant t, String err) {
        ObjectNode root = JSON.createObjectNode();
        root.put("time", t.toString());
        root.put("type", type);
        ObjectNode auth = root.putObject("auth");
        if (displayName != null) {
            auth.put("client_token", "hmac-sha256:tok-" + displayName);
            if (accessor != null) {
                auth.put("accessor", accessor);
            }
            auth.put("display_name", displayName);
            ArrayNode p = auth.putArray("policies");
            for (String s : policies) {
                p.add(s);
            }
            if (tenant != null) {
                auth.putObject("metadata").put("tenant_id", tenant);
            }
            if (entity != null) {
                auth.put("entity_id", entity);
            }
            auth.put("token_type", "service");
        }
        ObjectNode req = root.putObject("request");
        if (requestId != null) {
            req.put("id", requestId);
        }
        req.put("operation", operation);
        req.put("path", path);
        req.put("remote_address", address);
        if (type.equals("response")) {
            ObjectNode resp = root.putObject("response");
            if (issuedTtl != null) {
                ObjectNode ra = resp.putObject("auth");
                ra.put("client_token", "hmac-sha256:new");
                ra.put("accessor", "hmac-sha256:new-acc");
                ra.put("token_ttl", issuedTtl);
            }
        }
        if (err != null) {
            root.put("error", err);
        }
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }
}
