package io.auditrail.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.anomaly.Severity;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The targets file (docs/ALERTS.md): named targets and the routes that send anomalies to them. Unknown fields, unknown
 * target names and inline routing keys are refused with a message naming the place, so a typo stops start-up instead
 * of silencing an alert. Secrets ({@code url}, {@code routing_key}) may come from {@code <field>_env} (an environment
 * variable) or {@code <field>_file} (a file, trimmed); the routing key only from those two. A plain {@code http://} URL is
 * refused unless its host is loopback or {@code alerts.allow.plain.http} is set: the URL of a Slack webhook is its
 * credential, and every body says who touched which secret.
 */
public record AlertTargets(Map<String, Target> targets, List<Route> routes) {
    public static final AlertTargets NONE = new AlertTargets(Map.of(), List.of());
    static final URI PAGERDUTY_EVENTS_URL = URI.create("https://events.pagerduty.com/v2/enqueue");
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Set<String> TOP_FIELDS = Set.of("targets", "routes");
    private static final Set<String> TARGET_FIELDS = Set.of("name", "type", "url", "url_env", "url_file",
            "routing_key_env", "routing_key_file");
    private static final Set<String> ROUTE_FIELDS = Set.of("name", "min_severity", "rules", "tenants", "targets");

    public AlertTargets {
        targets = Collections.unmodifiableMap(new LinkedHashMap<>(targets));
        routes = List.copyOf(routes);
    }

    /** The targets of every route the anomaly matches, each once, in the order the file names them. */
    public List<Target> route(Anomaly anomaly) {
        Set<String> names = new LinkedHashSet<>();
        for (Route r : routes) {
            if (r.matches(anomaly)) {
                names.addAll(r.targets());
            }
        }
        return names.stream().map(targets::get).toList();
    }

    public static AlertTargets load(Path file, Map<String, String> env, boolean allowPlainHttp) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the alert targets file " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(bytes, env, allowPlainHttp);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a targets file that may use plain http only towards loopback. */
    public static AlertTargets parse(byte[] json, Map<String, String> env) {
        return parse(json, env, false);
    }

    public static AlertTargets parse(byte[] json, Map<String, String> env, boolean allowPlainHttp) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            // Jackson's message may quote the file's content, which may hold a secret: keep only the position
            throw new IllegalArgumentException("not JSON (" + (e instanceof JsonProcessingException p
                    && p.getLocation() != null ? "line " + p.getLocation().getLineNr() : "unreadable") + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the targets file must hold one JSON object");
        }
        refuseUnknown(root, TOP_FIELDS, "the file");
        Map<String, Target> targets = new LinkedHashMap<>();
        for (JsonNode t : array(root, "targets", "the file")) {
            Target target = target(t, env, allowPlainHttp);
            if (targets.put(target.name(), target) != null) {
                throw new IllegalArgumentException("target " + target.name() + " is defined twice");
            }
        }
        List<Route> routes = new ArrayList<>();
        int i = 0;
        for (JsonNode r : array(root, "routes", "the file")) {
            routes.add(route(r, "routes[" + i++ + "]", targets.keySet()));
        }
        return new AlertTargets(targets, routes);
    }

    private static Target target(JsonNode t, Map<String, String> env, boolean allowPlainHttp) {
        if (!t.isObject()) {
            throw new IllegalArgumentException("each target must be an object");
        }
        String name = text(t, "name", "a target", true);
        String where = "target " + name;
        if (t.has("routing_key")) {
            throw new IllegalArgumentException(where + ": routing_key must not be written inline; use routing_key_env "
                    + "or routing_key_file");
        }
        refuseUnknown(t, TARGET_FIELDS, where);
        TargetType type;
        try {
            type = TargetType.of(text(t, "type", where, true));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        String url = secret(t, "url", where, env);
        if (url == null && type == TargetType.PAGERDUTY) {
            url = PAGERDUTY_EVENTS_URL.toString();
        }
        if (url == null) {
            throw new IllegalArgumentException(where + ": url (or url_env, url_file) is required");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(where + ": url is not a URI", e); // not echoed: it may hold a token
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(where + ": url must be an http or https URL");
        }
        if ("http".equals(uri.getScheme()) && !allowPlainHttp && !isLoopback(uri.getHost())) {
            // the host alone is no secret, but keep the whole URL out of the message, as everywhere
            throw new IllegalArgumentException(where + ": url is plain http to a host that is not loopback; use https, "
                    + "or set " + AlertsConfig.ALLOW_PLAIN_HTTP + "=true if the network path is trusted");
        }
        String routingKey = secret(t, "routing_key", where, env);
        if (type == TargetType.PAGERDUTY && routingKey == null) {
            throw new IllegalArgumentException(where + ": a pagerduty target needs routing_key_env or routing_key_file");
        }
        if (type != TargetType.PAGERDUTY && routingKey != null) {
            throw new IllegalArgumentException(where + ": only pagerduty targets take a routing key");
        }
        return new Target(name, type, uri, routingKey);
    }

    /**
     * Loopback by its literal form only (127.0.0.0/8, ::1, localhost): a name is not resolved here, since what it
     * resolves to at start-up says nothing about where later deliveries go.
     */
    static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
            return true;
        }
        return h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
    }

    /** The value of {@code field}, {@code field_env} or {@code field_file} (at most one of them); null when none. */
    private static String secret(JsonNode t, String field, String where, Map<String, String> env) {
        int given = (t.has(field) ? 1 : 0) + (t.has(field + "_env") ? 1 : 0) + (t.has(field + "_file") ? 1 : 0);
        if (given > 1) {
            throw new IllegalArgumentException(where + ": give only one of " + field + ", " + field + "_env, "
                    + field + "_file");
        }
        if (t.has(field)) {
            return text(t, field, where, true);
        }
        if (t.has(field + "_env")) {
            String var = text(t, field + "_env", where, true);
            String value = env.get(var);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(where + ": environment variable " + var + " (" + field
                        + "_env) is not set");
            }
            return value.trim();
        }
        if (t.has(field + "_file")) {
            Path file = Path.of(text(t, field + "_file", where, true));
            try {
                String value = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (value.isEmpty()) {
                    throw new IllegalArgumentException(where + ": " + field + "_file " + file + " is empty");
                }
                return value;
            } catch (IOException e) {
                throw new IllegalArgumentException(where + ": cannot read " + field + "_file " + file + ": "
                        + e.getClass().getSimpleName(), e);
            }
        }
        return null;
    }

    private static Route route(JsonNode r, String where, Set<String> targetNames) {
        if (!r.isObject()) {
            throw new IllegalArgumentException(where + " must be an object");
        }
        String name = r.has("name") ? text(r, "name", where, true) : where;
        String at = "route " + name;
        refuseUnknown(r, ROUTE_FIELDS, at);
        Severity min;
        try {
            min = r.has("min_severity") ? Severity.of(text(r, "min_severity", at, true)) : Severity.LOW;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
        }
        List<String> targets = strings(r, "targets", at);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException(at + ": targets must name at least one target");
        }
        for (String t : targets) {
            if (!targetNames.contains(t)) {
                throw new IllegalArgumentException(at + ": unknown target " + t);
            }
        }
        return new Route(name, min, Set.copyOf(strings(r, "rules", at)), Set.copyOf(strings(r, "tenants", at)),
                targets);
    }

    private static List<JsonNode> array(JsonNode node, String field, String where) {
        JsonNode a = node.get(field);
        if (a == null || a.isNull()) {
            return List.of();
        }
        if (!a.isArray()) {
            throw new IllegalArgumentException(where + ": " + field + " must be an array");
        }
        List<JsonNode> out = new ArrayList<>();
        a.forEach(out::add);
        return out;
    }

    private static List<String> strings(JsonNode node, String field, String where) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : array(node, field, where)) {
            if (!v.isTextual() || v.asText().isBlank()) {
                throw new IllegalArgumentException(where + ": " + field + " must hold non-empty strings");
            }
            out.add(v.asText());
        }
        return out;
    }

    private static String text(JsonNode node, String field, String where, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(where + ": " + field + " is required");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": " + field + " must be a non-empty string");
        }
        return v.asText().trim();
    }

    private static void refuseUnknown(JsonNode node, Set<String> known, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw new IllegalArgumentException(where + ": unknown field " + f + " (known: "
                        + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }
}
