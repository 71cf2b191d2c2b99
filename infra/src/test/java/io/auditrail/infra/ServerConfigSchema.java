package io.auditrail.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys a Vault / OpenBao server config may use, per block path, as the servers' own parsers define them
 * (Vault command/server/config.go, listener.go, the storage and seal docs; OpenBao adds the declarative
 * {@code audit} block). Both servers only warn on an unknown key ("unknown or unsupported field") and start anyway,
 * so a misspelt {@code retry_jion} or {@code prometheus_retention} would silently drop the setting: the test refuses
 * it instead. Only what our configs need is listed; a new key is added here with its source.
 */
final class ServerConfigSchema {
    private static final Map<String, Set<String>> KEYS = Map.ofEntries(
            Map.entry("", Set.of("ui", "cluster_name", "disable_mlock", "api_addr", "cluster_addr", "log_level",
                    "log_format", "plugin_directory", "default_lease_ttl", "max_lease_ttl", "disable_cache",
                    "pid_file", "raw_storage_endpoint", "disable_clustering", "disable_performance_standby",
                    "listener", "storage", "ha_storage", "seal", "telemetry", "audit", "service_registration",
                    "allow_audit_log_prefixing")),
            Map.entry("listener", Set.of("address", "cluster_address", "tls_disable", "tls_cert_file", "tls_key_file",
                    "tls_min_version", "tls_max_version", "tls_client_ca_file", "tls_require_and_verify_client_cert",
                    "tls_disable_client_certs", "max_request_size", "max_request_duration", "proxy_protocol_behavior",
                    "x_forwarded_for_authorized_addrs", "telemetry")),
            Map.entry("listener/telemetry", Set.of("unauthenticated_metrics_access")),
            Map.entry("storage", Set.of("path", "node_id", "retry_join", "performance_multiplier", "trailing_logs",
                    "snapshot_threshold", "snapshot_interval", "max_entry_size", "autopilot_reconcile_interval")),
            Map.entry("storage/retry_join", Set.of("leader_api_addr", "auto_join", "auto_join_scheme",
                    "auto_join_port", "leader_tls_servername", "leader_ca_cert_file", "leader_client_cert_file",
                    "leader_client_key_file")),
            Map.entry("seal", Set.of("address", "key_name", "mount_path", "namespace", "disable_renewal", "token",
                    "tls_ca_cert", "tls_client_cert", "tls_client_key", "tls_server_name", "tls_skip_verify",
                    "region", "kms_key_id", "endpoint", "access_key", "secret_key", "disabled", "priority", "name")),
            Map.entry("telemetry", Set.of("prometheus_retention_time", "disable_hostname", "usage_gauge_period",
                    "maximum_gauge_cardinality", "enable_hostname_label", "statsd_address", "statsite_address")),
            Map.entry("audit", Set.of("description", "local", "options")),
            Map.entry("audit/options", Set.of("file_path", "mode", "address", "socket_type", "write_timeout",
                    "prefix", "format", "hmac_accessor", "log_raw", "elide_list_responses")),
            Map.entry("service_registration", Set.of("namespace", "pod_name")));

    private ServerConfigSchema() {
    }

    /** Every key of {@code config} the schema does not know, as "where: key (line n)". */
    static List<String> unknownKeys(String where, Hcl.Block config) {
        List<String> v = new ArrayList<>();
        check(where, "", config, v);
        return v;
    }

    private static void check(String where, String path, Hcl.Block block, List<String> v) {
        Set<String> allowed = KEYS.get(path);
        if (allowed == null) {
            v.add(where + ": block " + path + " (line " + block.line() + ") has no known keys");
            return;
        }
        for (String key : block.attributes().keySet()) {
            if (!allowed.contains(key)) {
                v.add(where + ": unknown key " + (path.isEmpty() ? "" : path + ".") + key + " (block at line "
                        + block.line() + ")");
            }
        }
        for (Hcl.Block child : block.blocks()) {
            if (!allowed.contains(child.type())) {
                v.add(where + ": unknown block " + (path.isEmpty() ? "" : path + "/") + child.type() + " (line "
                        + child.line() + ")");
            } else {
                check(where, path.isEmpty() ? child.type() : path + "/" + child.type(), child, v);
            }
        }
    }
}
