package io.auditrail.core.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.auditrail.core.entry.AuditEntry;
import io.auditrail.core.entry.Auth;
import io.auditrail.core.entry.GrantingPolicy;
import io.auditrail.core.entry.Namespace;
import io.auditrail.core.entry.PolicyResults;
import io.auditrail.core.entry.RawJson;
import io.auditrail.core.entry.Request;
import io.auditrail.core.entry.Response;
import io.auditrail.core.entry.Secret;
import io.auditrail.core.entry.WrapInfo;
import java.io.CharConversionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one line of Vault's JSON audit format into an {@link AuditEntry}: by field name (key order
 * changed between Vault versions), with an optional socket-device {@code prefix} before the JSON.
 * Unknown fields and free-form maps are kept as exact JSON text. Streaming, because this runs for
 * every line in every stage; thread-safe, as it holds only configuration.
 */
public final class AuditEntryParser {
    /** Elastic's Vault integration uses the same 1 MiB bound for a single entry. */
    public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

    // no source excerpt in error locations: a line may hold secrets in the clear (raw logging)
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private final byte[] prefix;
    private final int maxLineBytes;

    public AuditEntryParser() {
        this("", DEFAULT_MAX_LINE_BYTES);
    }

    /**
     * @param prefix the {@code prefix} option of the Vault audit device ("" for none). Vault 1.15's
     *               socket device ignored it, so a line without the prefix is accepted as well.
     */
    public AuditEntryParser(String prefix, int maxLineBytes) {
        this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
        if (maxLineBytes <= 0) {
            throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
    }

    public AuditEntry parse(byte[] line) throws MalformedEntryException {
        return parse(line, 0, line.length);
    }

    /** Parses {@code len} bytes of {@code buf} from {@code off}; a trailing newline is allowed. */
    public AuditEntry parse(byte[] buf, int off, int len) throws MalformedEntryException {
        int end = off + len;
        while (end > off && isWhitespace(buf[end - 1])) {
            end--;
        }
        if (end - off > maxLineBytes) {
            throw new MalformedEntryException(ParseFailure.OVERSIZE, maxLineBytes,
                    "line of " + (end - off) + " bytes exceeds the maximum of " + maxLineBytes);
        }
        int start = off;
        if (prefix.length > 0 && startsWith(buf, start, end, prefix)) {
            start += prefix.length;
        }
        int json = start;
        while (json < end && isWhitespace(buf[json])) {
            json++;
        }
        if (json == end) {
            throw new MalformedEntryException(start == off ? ParseFailure.EMPTY : ParseFailure.NOT_JSON, json - off,
                    start == off ? "empty line" : "prefix without an entry");
        }
        if (buf[json] != '{') {
            int brace = indexOf(buf, json, end, (byte) '{');
            if (brace > json && buf[json] != '[' && buf[json] != '"') {
                throw new MalformedEntryException(ParseFailure.BAD_PREFIX, json - off, "unexpected bytes before the JSON"
                        + (prefix.length > 0 ? " (configured prefix not found)" : " (is the device's prefix configured?)"));
            }
        }
        try (JsonParser p = JSON.createParser(buf, json, end - json)) {
            return new EntryReader(p, buf, json, json - off).entry();
        } catch (MalformedEntryException e) {
            throw e;
        } catch (CharConversionException e) {
            throw new MalformedEntryException(ParseFailure.NOT_UTF8, -1, e.getMessage());
        } catch (JsonParseException e) {
            long at = e.getLocation() == null ? -1 : (json - off) + e.getLocation().getByteOffset();
            ParseFailure failure = e.getOriginalMessage() != null && e.getOriginalMessage().contains("UTF-8")
                    ? ParseFailure.NOT_UTF8 : ParseFailure.NOT_JSON;
            throw new MalformedEntryException(failure, at, firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new MalformedEntryException(ParseFailure.NOT_JSON, -1, firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable JSON";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static boolean isWhitespace(byte b) {
        return b == '\n' || b == '\r' || b == ' ' || b == '\t';
    }

    private static boolean startsWith(byte[] buf, int from, int end, byte[] p) {
        if (end - from < p.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (buf[from + i] != p[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] buf, int from, int end, byte b) {
        for (int i = from; i < end; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Reads one entry from one parser; lives for one line. */
    private static final class EntryReader {
        private final JsonParser p;
        private final byte[] buf;
        private final int base;
        private final int lineOffset;

        EntryReader(JsonParser p, byte[] buf, int base, int lineOffset) {
            this.p = p;
            this.buf = buf;
            this.base = base;
            this.lineOffset = lineOffset;
        }

        AuditEntry entry() throws IOException, MalformedEntryException {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw fail(ParseFailure.NOT_AN_OBJECT, "the entry is a JSON " + describe(first) + ", not an object");
            }
            Instant time = null;
            String type = null;
            Auth auth = null;
            Request request = null;
            Response response = null;
            String error = null;
            String forwardedFrom = null;
            Boolean forwarded = null;
            Map<String, RawJson> unknown = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "time" -> time = instant(name);
                    case "type" -> type = string(name);
                    case "auth" -> auth = auth(name);
                    case "request" -> request = request(name);
                    case "response" -> response = response(name);
                    case "error" -> error = string(name);
                    case "forwarded_from" -> forwardedFrom = string(name);
                    case "forwarded" -> forwarded = bool(name);
                    default -> unknown = keep(unknown, name);
                }
            }
            if (p.nextToken() != null) {
                throw fail(ParseFailure.TRAILING_DATA, "more JSON after the entry's closing brace");
            }
            if (type == null || type.isEmpty()) {
                throw new MalformedEntryException(ParseFailure.MISSING_TYPE, lineOffset, "no \"type\" field");
            }
            if (time == null) {
                throw new MalformedEntryException(ParseFailure.MISSING_TIME, lineOffset, "no \"time\" field");
            }
            return new AuditEntry(time, type, auth == null ? EMPTY_AUTH : auth,
                    request == null ? EMPTY_REQUEST : request, response, error, forwardedFrom, forwarded, unknown);
        }

        private Auth auth(String field) throws IOException, MalformedEntryException {
            if (!object(field)) {
                return null;
            }
            String clientToken = null;
            String accessor = null;
            String displayName = null;
            List<String> policies = null;
            List<String> tokenPolicies = null;
            List<String> identityPolicies = null;
            Map<String, List<String>> external = null;
            Boolean noDefaultPolicy = null;
            PolicyResults policyResults = null;
            Map<String, String> metadata = null;
            Integer numUses = null;
            Integer remainingUses = null;
            String entityId = null;
            Boolean entityCreated = null;
            String tokenType = null;
            Long tokenTtl = null;
            OffsetDateTime tokenIssueTime = null;
            Map<String, RawJson> unknown = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "client_token" -> clientToken = string(name);
                    case "accessor" -> accessor = string(name);
                    case "display_name" -> displayName = string(name);
                    case "policies" -> policies = strings(name);
                    case "token_policies" -> tokenPolicies = strings(name);
                    case "identity_policies" -> identityPolicies = strings(name);
                    case "external_namespace_policies" -> external = stringLists(name);
                    case "no_default_policy" -> noDefaultPolicy = bool(name);
                    case "policy_results" -> policyResults = policyResults(name);
                    case "metadata" -> metadata = stringMap(name);
                    case "num_uses" -> numUses = integer(name);
                    case "remaining_uses" -> remainingUses = integer(name);
                    case "entity_id" -> entityId = string(name);
                    case "entity_created" -> entityCreated = bool(name);
                    case "token_type" -> tokenType = string(name);
                    case "token_ttl" -> tokenTtl = number(name);
                    case "token_issue_time" -> tokenIssueTime = offsetDateTime(name);
                    default -> unknown = keep(unknown, name);
                }
            }
            return new Auth(clientToken, accessor, displayName, policies, tokenPolicies, identityPolicies, external,
                    noDefaultPolicy, policyResults, metadata, numUses, remainingUses, entityId, entityCreated,
                    tokenType, tokenTtl, tokenIssueTime, unknown);
        }

        private Request request(String field) throws IOException, MalformedEntryException {
            if (!object(field)) {
                return null;
            }
            String id = null;
            String clientId = null;
            String replicationCluster = null;
            String operation = null;
            String mountPoint = null;
            String mountType = null;
            String mountAccessor = null;
            String mountRunningVersion = null;
            String mountRunningSha256 = null;
            String mountClass = null;
            Boolean mountIsExternalPlugin = null;
            String clientToken = null;
            String clientTokenAccessor = null;
            Namespace namespace = null;
            String path = null;
            RawJson data = null;
            Boolean policyOverride = null;
            String remoteAddress = null;
            Integer remotePort = null;
            Long wrapTtl = null;
            Map<String, List<String>> headers = null;
            String clientCertificateSerialNumber = null;
            String requestUri = null;
            Map<String, RawJson> unknown = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "id" -> id = string(name);
                    case "client_id" -> clientId = string(name);
                    case "replication_cluster" -> replicationCluster = string(name);
                    case "operation" -> operation = string(name);
                    case "mount_point" -> mountPoint = string(name);
                    case "mount_type" -> mountType = string(name);
                    case "mount_accessor" -> mountAccessor = string(name);
                    case "mount_running_version" -> mountRunningVersion = string(name);
                    case "mount_running_sha256" -> mountRunningSha256 = string(name);
                    case "mount_class" -> mountClass = string(name);
                    case "mount_is_external_plugin" -> mountIsExternalPlugin = bool(name);
                    case "client_token" -> clientToken = string(name);
                    case "client_token_accessor" -> clientTokenAccessor = string(name);
                    case "namespace" -> namespace = namespace(name);
                    case "path" -> path = string(name);
                    case "data" -> data = p.currentToken() == JsonToken.VALUE_NULL ? null : raw();
                    case "policy_override" -> policyOverride = bool(name);
                    case "remote_address" -> remoteAddress = string(name);
                    case "remote_port" -> remotePort = integer(name);
                    case "wrap_ttl" -> wrapTtl = number(name);
                    case "headers" -> headers = stringLists(name);
                    case "client_certificate_serial_number" -> clientCertificateSerialNumber = string(name);
                    case "request_uri" -> requestUri = string(name);
                    default -> unknown = keep(unknown, name);
                }
            }
            return new Request(id, clientId, replicationCluster, operation, mountPoint, mountType, mountAccessor,
                    mountRunningVersion, mountRunningSha256, mountClass, mountIsExternalPlugin, clientToken,
                    clientTokenAccessor, namespace, path, data, policyOverride, remoteAddress, remotePort, wrapTtl,
                    headers, clientCertificateSerialNumber, requestUri, unknown);
        }

        private Response response(String field) throws IOException, MalformedEntryException {
            if (!object(field)) {
                return null;
            }
            Auth auth = null;
            String mountPoint = null;
            String mountType = null;
            String mountAccessor = null;
            String mountRunningPluginVersion = null;
            String mountRunningSha256 = null;
            String mountClass = null;
            Boolean mountIsExternalPlugin = null;
            Secret secret = null;
            RawJson data = null;
            List<String> warnings = null;
            String redirect = null;
            WrapInfo wrapInfo = null;
            Map<String, List<String>> headers = null;
            Map<String, RawJson> unknown = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "auth" -> auth = auth(name);
                    case "mount_point" -> mountPoint = string(name);
                    case "mount_type" -> mountType = string(name);
                    case "mount_accessor" -> mountAccessor = string(name);
                    case "mount_running_plugin_version" -> mountRunningPluginVersion = string(name);
                    case "mount_running_sha256" -> mountRunningSha256 = string(name);
                    case "mount_class" -> mountClass = string(name);
                    case "mount_is_external_plugin" -> mountIsExternalPlugin = bool(name);
                    case "secret" -> secret = secret(name);
                    case "data" -> data = p.currentToken() == JsonToken.VALUE_NULL ? null : raw();
                    case "warnings" -> warnings = strings(name);
                    case "redirect" -> redirect = string(name);
                    case "wrap_info" -> wrapInfo = wrapInfo(name);
                    case "headers" -> headers = stringLists(name);
                    default -> unknown = keep(unknown, name);
                }
            }
            return new Response(auth, mountPoint, mountType, mountAccessor, mountRunningPluginVersion,
                    mountRunningSha256, mountClass, mountIsExternalPlugin, secret, data, warnings, redirect, wrapInfo,
                    headers, unknown);
        }

        private Namespace namespace(String field) throws IOException, MalformedEntryException {
            if (!object(field)) {
                return null;
            }
            String id = null;
            String path = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "id" -> id = string(name);
                    case "path" -> path = string(name);
                    default -> p.skipChildren();
                }
            }
            return new Namespace(id, path);
        }

        private PolicyResults policyResults(String field) throws IOException, MalformedEntryException {
            if (!object(field)) {
                return null;
            }
            boolean allowed = false;
            List<GrantingPolicy> granting = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "allowed" -> allowed = Boolean.TRUE.equals(bool(name));
                    case "granting_policies" -> {
                        if (array(name)) {
                            while (p.nextToken() != JsonToken.END_ARRAY) {
                                granting.add(grantingPolicy(name));
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            return new PolicyResults(allowed, granting);
        }

        private GrantingPolicy grantingPolicy(String field) throws IOException, MalformedEntryException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw badType(field, "objects");
            }
            String name = null;
            String namespaceId = null;
            String namespacePath = null;
            String type = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                switch (key) {
                    case "name" -> name = string(key);
                    case "namespace_id" -> namespaceId = string(key);
                    case "namespace_path" -> namespacePath = string(key);
                    case "type" -> type = string(key);
                    default -> p.skipChildren();
                }
            }
            return new GrantingPolicy(name, namespaceId, namespacePath, type);
        }

        private Secret secret(String field) throws IOException, MalformedEntryException {
            if (!object(field)) {
                return null;
            }
            String leaseId = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("lease_id")) {
                    leaseId = string(name);
                } else {
                    p.skipChildren();
                }
            }
            return new Secret(leaseId);
        }

        private WrapInfo wrapInfo(String field) throws IOException, MalformedEntryException {
            if (!object(field)) {
                return null;
            }
            Long ttl = null;
            String token = null;
            String accessor = null;
            String creationTime = null;
            String creationPath = null;
            String wrappedAccessor = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "ttl" -> ttl = number(name);
                    case "token" -> token = string(name);
                    case "accessor" -> accessor = string(name);
                    case "creation_time" -> creationTime = string(name);
                    case "creation_path" -> creationPath = string(name);
                    case "wrapped_accessor" -> wrappedAccessor = string(name);
                    default -> p.skipChildren();
                }
            }
            return new WrapInfo(ttl, token, accessor, creationTime, creationPath, wrappedAccessor);
        }

        // --- values ---------------------------------------------------------------------------

        private boolean object(String field) throws MalformedEntryException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return false;
            }
            if (t != JsonToken.START_OBJECT) {
                throw badType(field, "an object");
            }
            return true;
        }

        private boolean array(String field) throws MalformedEntryException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return false;
            }
            if (t != JsonToken.START_ARRAY) {
                throw badType(field, "an array");
            }
            return true;
        }

        private String string(String field) throws IOException, MalformedEntryException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_STRING) {
                return p.getText();
            }
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            throw badType(field, "a string");
        }

        private Boolean bool(String field) throws MalformedEntryException {
            return switch (p.currentToken()) {
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NULL -> null;
                default -> throw badType(field, "a boolean");
            };
        }

        private Long number(String field) throws IOException, MalformedEntryException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_INT) {
                return p.getLongValue();
            }
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            throw badType(field, "an integer");
        }

        private Integer integer(String field) throws IOException, MalformedEntryException {
            Long v = number(field);
            if (v == null) {
                return null;
            }
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw badType(field, "a 32-bit integer");
            }
            return v.intValue();
        }

        private Instant instant(String field) throws IOException, MalformedEntryException {
            String s = string(field);
            if (s == null) {
                return null;
            }
            try {
                return Rfc3339.instant(s);
            } catch (DateTimeException e) {
                throw fail(ParseFailure.BAD_TIME, "\"" + field + "\" is not an RFC 3339 timestamp: " + s);
            }
        }

        private OffsetDateTime offsetDateTime(String field) throws IOException, MalformedEntryException {
            String s = string(field);
            if (s == null || s.isEmpty()) {
                return null;
            }
            try {
                return Rfc3339.offsetDateTime(s);
            } catch (DateTimeException e) {
                throw fail(ParseFailure.BAD_TIME, "\"" + field + "\" is not an RFC 3339 timestamp: " + s);
            }
        }

        private List<String> strings(String field) throws IOException, MalformedEntryException {
            if (!array(field)) {
                return null;
            }
            List<String> out = new ArrayList<>(4);
            while (p.nextToken() != JsonToken.END_ARRAY) {
                String s = string(field);
                if (s != null) {
                    out.add(s);
                }
            }
            return out;
        }

        /** {@code map[string][]string}; a bare string value is taken as a one-element list. */
        private Map<String, List<String>> stringLists(String field) throws IOException, MalformedEntryException {
            if (!object(field)) {
                return null;
            }
            Map<String, List<String>> out = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken t = p.nextToken();
                if (t == JsonToken.VALUE_STRING) {
                    out.put(key, List.of(p.getText()));
                } else {
                    List<String> values = strings(field);
                    out.put(key, values == null ? List.of() : values);
                }
            }
            return out;
        }

        /** {@code map[string]string}; newer Vault allows any JSON value, kept as its JSON text. */
        private Map<String, String> stringMap(String field) throws IOException, MalformedEntryException {
            if (!object(field)) {
                return null;
            }
            Map<String, String> out = new HashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken t = p.nextToken();
                if (t == JsonToken.VALUE_STRING) {
                    out.put(key, p.getText());
                } else if (t != JsonToken.VALUE_NULL) {
                    out.put(key, raw().json());
                }
            }
            return out;
        }

        private Map<String, RawJson> keep(Map<String, RawJson> unknown, String name) throws IOException {
            Map<String, RawJson> m = unknown == null ? new LinkedHashMap<>() : unknown;
            m.put(name, raw());
            return m;
        }

        /** The current value's exact bytes, read off the line rather than re-encoded. */
        private RawJson raw() throws IOException {
            long from = p.currentTokenLocation().getByteOffset();
            JsonToken t = p.currentToken();
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                p.skipChildren();
            } else {
                p.finishToken();
            }
            long to = p.currentLocation().getByteOffset();
            return new RawJson(new String(buf, base + (int) from, (int) (to - from), StandardCharsets.UTF_8));
        }

        private MalformedEntryException badType(String field, String expected) {
            return fail(ParseFailure.BAD_FIELD_TYPE,
                    "\"" + field + "\" should be " + expected + ", found " + describe(p.currentToken()));
        }

        private MalformedEntryException fail(ParseFailure failure, String reason) {
            return new MalformedEntryException(failure, lineOffset + p.currentTokenLocation().getByteOffset(), reason);
        }

        private static String describe(JsonToken t) {
            if (t == null) {
                return "nothing";
            }
            return switch (t) {
                case START_OBJECT -> "object";
                case START_ARRAY -> "array";
                case VALUE_STRING -> "string";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
                case VALUE_TRUE, VALUE_FALSE -> "boolean";
                case VALUE_NULL -> "null";
                default -> t.name().toLowerCase(java.util.Locale.ROOT);
            };
        }
    }

    private static final Auth EMPTY_AUTH = new Auth(null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null);
    private static final Request EMPTY_REQUEST = new Request(null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
}
