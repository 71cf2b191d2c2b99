package io.auditrail.simulator;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Writes audit entries as Vault 1.15-1.18 does: struct field order ({@code time, type, auth, request, response,
 * error}), Go's sorted map keys inside {@code data} and {@code metadata}, omitted empty fields, one JSON object
 * followed by a newline. Not thread-safe: one per generator.
 */
final class EntryWriter {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(4096);
    private final VaultTime time = new VaultTime();

    byte[] request(Call c, long nanos) {
        return entry(c, nanos, false);
    }

    byte[] response(Call c, long nanos) {
        return entry(c, nanos, true);
    }

    private byte[] entry(Call c, long nanos, boolean response) {
        buffer.reset();
        try (JsonGenerator g = JSON.createGenerator(buffer, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("time", time.nano(nanos));
            g.writeStringField("type", response ? "response" : "request");
            Identity auth = response ? c.responseEntryAuth() : c.auth;
            auth(g, "auth", auth, c.allowed, true);
            request(g, c);
            if (response) {
                g.writeObjectFieldStart("response");
                if (c.issued != null) {
                    auth(g, "auth", c.issued, true, false);
                }
                mount(g, c.mount, "mount_running_plugin_version");
                if (c.responseData != null) {
                    g.writeObjectFieldStart("data");
                    c.responseData.write(g);
                    g.writeEndObject();
                }
                g.writeEndObject();
                if (c.responseError != null) {
                    g.writeStringField("error", c.responseError);
                }
            } else if (c.requestError != null) {
                g.writeStringField("error", c.requestError);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        buffer.write('\n');
        return buffer.toByteArray();
    }

    private static void auth(JsonGenerator g, String field, Identity a, boolean allowed, boolean withResults)
            throws IOException {
        g.writeObjectFieldStart(field);
        if (a.clientToken() != null) {
            g.writeStringField("client_token", a.clientToken());
        }
        if (a.accessor() != null) {
            g.writeStringField("accessor", a.accessor());
        }
        if (a.displayName() != null) {
            g.writeStringField("display_name", a.displayName());
        }
        if (!a.policies().isEmpty()) {
            strings(g, "policies", a.policies());
            strings(g, "token_policies", a.policies());
        }
        if (withResults) {
            g.writeObjectFieldStart("policy_results");
            g.writeBooleanField("allowed", allowed);
            if (allowed && a.authenticated() && a.grantingPolicy() != null) {
                g.writeArrayFieldStart("granting_policies");
                g.writeStartObject();
                g.writeStringField("name", a.grantingPolicy());
                g.writeStringField("namespace_id", "root");
                g.writeStringField("type", "acl");
                g.writeEndObject();
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        if (!a.metadata().isEmpty()) {
            g.writeObjectFieldStart("metadata");
            for (Map.Entry<String, String> m : a.metadata().entrySet()) {
                g.writeStringField(m.getKey(), m.getValue());
            }
            g.writeEndObject();
        }
        if (a.entityId() != null) {
            g.writeStringField("entity_id", a.entityId());
        }
        g.writeStringField("token_type", a.tokenType());
        if (a.tokenTtl() > 0) {
            g.writeNumberField("token_ttl", a.tokenTtl());
        }
        if (a.authenticated()) {
            g.writeStringField("token_issue_time", VaultTime.seconds(a.issueNanos()));
        }
        g.writeEndObject();
    }

    private static void request(JsonGenerator g, Call c) throws IOException {
        g.writeObjectFieldStart("request");
        g.writeStringField("id", c.requestId);
        if (c.auth.entityId() != null) {
            // Vault derives client_id from policies for tokens without an entity; not simulated
            g.writeStringField("client_id", c.auth.entityId());
        }
        g.writeStringField("operation", c.operation);
        mount(g, c.mount, "mount_running_version");
        if (c.auth.authenticated()) {
            g.writeStringField("client_token", c.auth.clientToken());
            g.writeStringField("client_token_accessor", c.auth.accessor());
        }
        g.writeObjectFieldStart("namespace");
        g.writeStringField("id", "root");
        g.writeEndObject();
        g.writeStringField("path", c.path);
        if (c.requestData != null) {
            g.writeObjectFieldStart("data");
            c.requestData.write(g);
            g.writeEndObject();
        }
        g.writeStringField("remote_address", c.remoteAddress);
        g.writeNumberField("remote_port", c.remotePort);
        g.writeEndObject();
    }

    private static void mount(JsonGenerator g, Mount m, String versionField) throws IOException {
        g.writeStringField("mount_point", m.point);
        g.writeStringField("mount_type", m.type);
        g.writeStringField("mount_accessor", m.accessor);
        g.writeStringField(versionField, m.runningVersion);
        if (m.mountClass != null) {
            g.writeStringField("mount_class", m.mountClass);
        }
    }

    static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
