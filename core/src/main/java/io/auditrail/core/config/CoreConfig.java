package io.auditrail.core.config;

import io.auditrail.core.event.EventEnricher;
import io.auditrail.core.parse.AuditEntryParser;
import io.auditrail.core.tenant.SecretPath;
import io.auditrail.core.tenant.TenantDirectory;
import io.auditrail.core.tenant.TenantResolver;
import io.auditrail.core.topic.Topics;
import java.util.HashSet;
import java.util.List;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** Settings every stage shares: Kafka, topic names and shape, and how entries are parsed and enriched. */
public final class CoreConfig extends AbstractConfig {
    public static final String KAFKA_BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    private static final String KAFKA_BOOTSTRAP_SERVERS_DOC = "Kafka brokers. Any other kafka.* key is passed to the "
            + "Kafka clients with the prefix removed (kafka.security.protocol, kafka.sasl.mechanism, ...).";

    public static final String TOPIC_RAW = "topic.raw";
    public static final String TOPIC_EVENTS = "topic.events";
    public static final String TOPIC_ANOMALIES = "topic.anomalies";
    public static final String TOPIC_DLQ = "topic.dlq";
    public static final String TOPIC_TENANTS = "topic.tenants";
    public static final String TOPIC_PARTITIONS = "topic.partitions";
    private static final String TOPIC_PARTITIONS_DOC = "Partitions of each topic auditrail creates when it is missing.";
    public static final String TOPIC_REPLICATION_FACTOR = "topic.replication.factor";
    private static final String TOPIC_REPLICATION_FACTOR_DOC = "Replication factor of the topics auditrail creates "
            + "(1 suits the embedded broker; use 3 in production).";

    public static final String AUDIT_PREFIX = "audit.prefix";
    private static final String AUDIT_PREFIX_DOC = "The prefix option of the Vault audit device, stripped before the JSON.";
    public static final String AUDIT_MAX_LINE_BYTES = "audit.max.line.bytes";
    private static final String AUDIT_MAX_LINE_BYTES_DOC = "Longest audit line accepted; longer lines go to the "
            + "dead-letter topic with reason OVERSIZE.";

    public static final String TENANT_METADATA_KEY = "tenant.metadata.key";
    private static final String TENANT_METADATA_KEY_DOC = "Key in the token's auth.metadata that names its tenant.";
    public static final String TENANT_PATH_PATTERN = "tenant.path.pattern";
    private static final String TENANT_PATH_PATTERN_DOC = "Regular expression with a named group (?<tenant>...) "
            + "that finds the tenant in a request path.";
    public static final String KV_V2_MOUNTS = "kv.v2.mounts";
    private static final String KV_V2_MOUNTS_DOC = "KV version 2 mounts whose data/metadata paths are normalised to "
            + "the secret they name, for entries that do not log their mount (Vault before 1.15).";

    public static final String POSTGRES_URL = "postgres.url";
    private static final String POSTGRES_URL_DOC = "JDBC URL of the PostgreSQL database holding the index.";
    public static final String POSTGRES_USER = "postgres.user";
    private static final String POSTGRES_USER_DOC = "PostgreSQL user: the owner of the schema, which 'auditrail "
            + "migrate' (and the index stage's migration on start) uses, and the user of every stage that names none "
            + "of its own (index.postgres.user, alerts.postgres.user, reports.postgres.user; docs/SECURITY.md).";
    public static final String POSTGRES_PASSWORD = "postgres.password";
    private static final String POSTGRES_PASSWORD_DOC = "Password of postgres.user (empty for trust or peer auth).";

    public static final String S3_ENDPOINT = "s3.endpoint";
    private static final String S3_ENDPOINT_DOC = "S3 API endpoint; empty means AWS's own endpoint for s3.region.";
    public static final String S3_REGION = "s3.region";
    public static final String S3_BUCKET = "s3.bucket";
    public static final String S3_PATH_STYLE = "s3.path.style";
    private static final String S3_PATH_STYLE_DOC = "Path-style requests (bucket in the path), as MinIO and "
            + "s3proxy need; false for AWS.";
    public static final String S3_ACCESS_KEY = "s3.access.key";
    private static final String S3_ACCESS_KEY_DOC = "Access key id; empty uses the AWS default credential chain "
            + "(environment, instance or pod role).";
    public static final String S3_SECRET_KEY = "s3.secret.key";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(KAFKA_BOOTSTRAP_SERVERS, Type.STRING, "127.0.0.1:9092", Importance.HIGH, KAFKA_BOOTSTRAP_SERVERS_DOC)
            .define(TOPIC_RAW, Type.STRING, "vault.audit.raw", Importance.LOW, "Raw audit lines, byte-exact.")
            .define(TOPIC_EVENTS, Type.STRING, "vault.audit.events", Importance.LOW, "Enriched events.")
            .define(TOPIC_ANOMALIES, Type.STRING, "vault.audit.anomalies", Importance.LOW, "Anomalies.")
            .define(TOPIC_DLQ, Type.STRING, "vault.audit.dlq", Importance.LOW,
                    "Lines that could not be handled, unchanged, with the reason in a header.")
            .define(TOPIC_TENANTS, Type.STRING, "vault.audit.tenants", Importance.LOW,
                    "Compacted tenant directory (tenant id, name, hours, entity ids).")
            .define(TOPIC_PARTITIONS, Type.INT, 3, ConfigDef.Range.atLeast(1), Importance.MEDIUM, TOPIC_PARTITIONS_DOC)
            .define(TOPIC_REPLICATION_FACTOR, Type.SHORT, (short) 1, ConfigDef.Range.atLeast(1), Importance.HIGH,
                    TOPIC_REPLICATION_FACTOR_DOC)
            .define(AUDIT_PREFIX, Type.STRING, "", Importance.MEDIUM, AUDIT_PREFIX_DOC)
            .define(AUDIT_MAX_LINE_BYTES, Type.INT, AuditEntryParser.DEFAULT_MAX_LINE_BYTES,
                    ConfigDef.Range.between(1024, 64 << 20), Importance.MEDIUM, AUDIT_MAX_LINE_BYTES_DOC)
            .define(TENANT_METADATA_KEY, Type.STRING, "tenant_id", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    TENANT_METADATA_KEY_DOC)
            .define(TENANT_PATH_PATTERN, Type.STRING, TenantResolver.DEFAULT_PATH_PATTERN, Importance.MEDIUM,
                    TENANT_PATH_PATTERN_DOC)
            .define(KV_V2_MOUNTS, Type.LIST, List.of("secret/"), Importance.LOW, KV_V2_MOUNTS_DOC)
            .define(POSTGRES_URL, Type.STRING, "jdbc:postgresql://127.0.0.1:5433/auditrail", Importance.HIGH,
                    POSTGRES_URL_DOC)
            .define(POSTGRES_USER, Type.STRING, "auditrail", Importance.HIGH, POSTGRES_USER_DOC)
            .define(POSTGRES_PASSWORD, Type.PASSWORD, "", Importance.HIGH, POSTGRES_PASSWORD_DOC)
            .define(S3_ENDPOINT, Type.STRING, "http://127.0.0.1:9000", Importance.HIGH, S3_ENDPOINT_DOC)
            .define(S3_REGION, Type.STRING, "us-east-1", Importance.MEDIUM, "S3 region.")
            .define(S3_BUCKET, Type.STRING, "auditrail-archive", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Bucket of the raw-line archive and its digests.")
            .define(S3_PATH_STYLE, Type.BOOLEAN, true, Importance.MEDIUM, S3_PATH_STYLE_DOC)
            .define(S3_ACCESS_KEY, Type.STRING, "", Importance.MEDIUM, S3_ACCESS_KEY_DOC)
            .define(S3_SECRET_KEY, Type.PASSWORD, "", Importance.MEDIUM, "Secret access key of s3.access.key.");

    public CoreConfig(Settings settings) {
        super(DEFINITION, settings.only(DEFINITION), false);
        try {
            tenantResolver(TenantDirectory.EMPTY);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(TENANT_PATH_PATTERN, getString(TENANT_PATH_PATTERN), e.getMessage());
        }
    }

    public AuditEntryParser parser() {
        return new AuditEntryParser(getString(AUDIT_PREFIX), getInt(AUDIT_MAX_LINE_BYTES));
    }

    public TenantResolver tenantResolver(TenantDirectory directory) {
        return new TenantResolver(getString(TENANT_METADATA_KEY), getString(TENANT_PATH_PATTERN), directory);
    }

    public EventEnricher enricher(TenantDirectory directory) {
        var mounts = new HashSet<String>();
        for (String m : getList(KV_V2_MOUNTS)) {
            mounts.add(m.endsWith("/") ? m : m + "/");
        }
        return new EventEnricher(tenantResolver(directory), new SecretPath(mounts));
    }

    /**
     * The largest record a pipeline topic must accept: the longest audit line plus room for the key and headers
     * (64 KiB). Every stage that creates topics or sends lines sizes them with it.
     */
    public int maxRecordBytes() {
        return getInt(AUDIT_MAX_LINE_BYTES) + (64 << 10);
    }

    public Topics topics() {
        return new Topics(getString(TOPIC_RAW), getString(TOPIC_EVENTS), getString(TOPIC_ANOMALIES),
                getString(TOPIC_DLQ), getString(TOPIC_TENANTS), getInt(TOPIC_PARTITIONS),
                getShort(TOPIC_REPLICATION_FACTOR));
    }
}
