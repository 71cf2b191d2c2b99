package io.auditrail.archive;

import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.PostgresLogin;
import io.auditrail.core.config.Settings;
import io.auditrail.core.topic.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The archive stage's settings: object size and age, digests and their key, and the S3 options for production. */
public final class ArchiveConfig extends AbstractConfig {
    public static final String OBJECT_MAX_BYTES = "archive.object.max.bytes";
    private static final String OBJECT_MAX_BYTES_DOC = "Uncompressed line bytes after which an object is cut. The open "
            + "object of each partition is held in memory, compressed.";
    public static final String OBJECT_MAX_AGE_MS = "archive.object.max.age.ms";
    private static final String OBJECT_MAX_AGE_MS_DOC = "An object is cut before a line whose record timestamp is this "
            + "much after the object's first line, and also when it has been open this long (quiet partitions).";
    public static final String DIGEST_INTERVAL_MS = "archive.digest.interval.ms";
    private static final String DIGEST_INTERVAL_MS_DOC = "How often a signed digest is written (also on shutdown). "
            + "A digest is written even when no object was, so the chain shows the archiver was running.";
    public static final String SIGNING_KEY_FILE = "archive.signing.key.file";
    private static final String SIGNING_KEY_FILE_DOC = "PEM file of the Ed25519 private key that signs digests "
            + "(auditrail archive keygen). Either this or archive.signing.key is needed to run the archiver, and only "
            + "the archiver holds it: serve gets archive.public.key(.file) and signs packs with a key of their own.";
    public static final String SIGNING_KEY = "archive.signing.key";
    private static final String SIGNING_KEY_DOC = "The Ed25519 private key itself (PEM or base64 PKCS#8), for "
            + "AUDITRAIL_ARCHIVE_SIGNING_KEY from a secret store. Never logged, never written to the bucket.";
    public static final String PUBLIC_KEY_FILE = "archive.public.key.file";
    private static final String PUBLIC_KEY_FILE_DOC = "PEM file of the Ed25519 public key of the digest chain: verify "
            + "checks digests with it, and serve checks every raw line it returns against a digest signed by it. Either "
            + "this or archive.public.key.";
    public static final String PUBLIC_KEY = "archive.public.key";
    private static final String PUBLIC_KEY_DOC = "The digest chain's Ed25519 public key itself (PEM or base64 X.509), "
            + "for AUDITRAIL_ARCHIVE_PUBLIC_KEY where mounting a file is awkward.";
    public static final String SSE_KMS_KEY_ID = "archive.sse.kms.key.id";
    private static final String SSE_KMS_KEY_ID_DOC = "KMS key id or ARN: objects and digests are written with SSE-KMS "
            + "under it. Empty: the bucket's default encryption.";
    public static final String OBJECT_LOCK_MODE = "archive.object.lock.mode";
    private static final String OBJECT_LOCK_MODE_DOC = "Object Lock mode set on every object and digest: 'compliance' "
            + "(nobody can delete before the retention date), 'governance', or empty for none. The bucket must have "
            + "been created with Object Lock enabled; see docs/ARCHIVE.md for checking it.";
    public static final String OBJECT_LOCK_RETENTION_DAYS = "archive.object.lock.retention.days";
    private static final String OBJECT_LOCK_RETENTION_DAYS_DOC = "Retention of each object under Object Lock, in days "
            + "from its upload; required with archive.object.lock.mode.";
    public static final String STORAGE_CLASS = "archive.storage.class";
    private static final String STORAGE_CLASS_DOC = "S3 storage class of objects (e.g. STANDARD_IA, GLACIER_IR); "
            + "empty for the bucket's default. Digests always use the default class, since verify reads them all.";
    public static final String CONSUMER_GROUP = "archive.consumer.group";
    private static final String CONSUMER_GROUP_DOC = "Consumer group whose committed offsets record archived lines "
            + "(the bucket is the authority: on start the archiver resumes after the last archived offset).";
    public static final String RETRY_BACKOFF_MAX_MS = "archive.retry.backoff.max.ms";
    private static final String RETRY_BACKOFF_MAX_MS_DOC = "Longest wait between attempts while S3 fails; waits "
            + "double from 200 ms up to this, with equal jitter.";
    public static final String POSTGRES_USER = "archive.postgres.user";
    private static final String POSTGRES_USER_DOC = "PostgreSQL user the archiver records the chain head as (and "
            + "'auditrail verify' reads it as): a member of auditrail_archive (docs/SECURITY.md). Empty: postgres.user. "
            + "Serve reads the chain head as reports.postgres.user.";
    public static final String POSTGRES_PASSWORD = "archive.postgres.password";
    private static final String POSTGRES_PASSWORD_DOC = "Password of archive.postgres.user (empty for trust or "
            + "certificate authentication); never postgres.password when archive.postgres.user is set.";
    public static final String SHUTDOWN_TIMEOUT_MS = "archive.shutdown.timeout.ms";
    private static final String SHUTDOWN_TIMEOUT_MS_DOC = "On shutdown, how long to try to store open objects and the "
            + "last digest; what is not stored is read again from Kafka on the next start.";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(OBJECT_MAX_BYTES, Type.LONG, 16L << 20, Range.between(1L, 1L << 30), Importance.MEDIUM,
                    OBJECT_MAX_BYTES_DOC)
            .define(OBJECT_MAX_AGE_MS, Type.LONG, 300_000L, Range.atLeast(1), Importance.MEDIUM, OBJECT_MAX_AGE_MS_DOC)
            .define(DIGEST_INTERVAL_MS, Type.LONG, 3_600_000L, Range.atLeast(1), Importance.MEDIUM,
                    DIGEST_INTERVAL_MS_DOC)
            .define(SIGNING_KEY_FILE, Type.STRING, "", Importance.HIGH, SIGNING_KEY_FILE_DOC)
            .define(SIGNING_KEY, Type.PASSWORD, "", Importance.HIGH, SIGNING_KEY_DOC)
            .define(PUBLIC_KEY_FILE, Type.STRING, "", Importance.HIGH, PUBLIC_KEY_FILE_DOC)
            .define(PUBLIC_KEY, Type.STRING, "", Importance.HIGH, PUBLIC_KEY_DOC)
            .define(SSE_KMS_KEY_ID, Type.STRING, "", Importance.HIGH, SSE_KMS_KEY_ID_DOC)
            .define(OBJECT_LOCK_MODE, Type.STRING, "", ValidString.in("", "compliance", "governance"), Importance.HIGH,
                    OBJECT_LOCK_MODE_DOC)
            .define(OBJECT_LOCK_RETENTION_DAYS, Type.INT, 0, Range.between(0, 36_500), Importance.HIGH,
                    OBJECT_LOCK_RETENTION_DAYS_DOC)
            .define(STORAGE_CLASS, Type.STRING, "", Importance.MEDIUM, STORAGE_CLASS_DOC)
            .define(CONSUMER_GROUP, Type.STRING, "auditrail-archive", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    CONSUMER_GROUP_DOC)
            .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 30_000L, Range.atLeast(200), Importance.LOW,
                    RETRY_BACKOFF_MAX_MS_DOC)
            .define(POSTGRES_USER, Type.STRING, "", Importance.HIGH, POSTGRES_USER_DOC)
            .define(POSTGRES_PASSWORD, Type.PASSWORD, "", Importance.HIGH, POSTGRES_PASSWORD_DOC)
            .define(SHUTDOWN_TIMEOUT_MS, Type.LONG, 30_000L, Range.atLeast(0), Importance.LOW, SHUTDOWN_TIMEOUT_MS_DOC);

    private final CoreConfig core;
    private final Map<String, Object> kafkaPassThrough;

    public ArchiveConfig(Settings settings) {
        super(DEFINITION, settings.only(DEFINITION), false);
        this.core = new CoreConfig(settings);
        this.kafkaPassThrough = settings.kafkaClientProperties();
        if (!getString(OBJECT_LOCK_MODE).isEmpty() && getInt(OBJECT_LOCK_RETENTION_DAYS) < 1) {
            throw new ConfigException(OBJECT_LOCK_RETENTION_DAYS, getInt(OBJECT_LOCK_RETENTION_DAYS),
                    "must be at least 1 with " + OBJECT_LOCK_MODE);
        }
        if (!getString(SIGNING_KEY_FILE).isEmpty() && !getPassword(SIGNING_KEY).value().isEmpty()) {
            throw new ConfigException(SIGNING_KEY, "[hidden]", "set either it or " + SIGNING_KEY_FILE + ", not both");
        }
        if (!getString(PUBLIC_KEY_FILE).isEmpty() && !getString(PUBLIC_KEY).isEmpty()) {
            throw new ConfigException(PUBLIC_KEY, "[set]", "set either it or " + PUBLIC_KEY_FILE + ", not both");
        }
    }

    public CoreConfig core() {
        return core;
    }

    /** The role the archiver and verify log in as for the chain head table. */
    public PostgresLogin postgresLogin() {
        return PostgresLogin.of(core, getString(POSTGRES_USER), getPassword(POSTGRES_PASSWORD));
    }

    public Topics topics() {
        return core.topics();
    }

    public long objectMaxBytes() {
        return getLong(OBJECT_MAX_BYTES);
    }

    public Duration objectMaxAge() {
        return Duration.ofMillis(getLong(OBJECT_MAX_AGE_MS));
    }

    public Duration digestInterval() {
        return Duration.ofMillis(getLong(DIGEST_INTERVAL_MS));
    }

    /** What a digest may take beyond the interval: the loop's latency and a few S3 retries. */
    static final Duration DIGEST_GRACE = Duration.ofMinutes(5);

    /**
     * How long after a digest the next one is due at the latest: a chain head older than this means the archiver is not
     * writing digests (or cannot record them), and an object stored longer ago than this should be in a digest.
     */
    public Duration digestDueWithin() {
        return digestInterval().plus(DIGEST_GRACE);
    }

    /**
     * The most an object of {@code key} can decompress to when the archiver wrote it: objects are cut before the line
     * that would pass {@code archive.object.max.bytes}, so they hold at most that plus one record and the newlines.
     * Readers decompress no further (see {@link ObjectContent}).
     */
    public long maxContentBytes(ObjectKey key) {
        return objectMaxBytes() + core.maxRecordBytes() + key.offsetCount();
    }

    /** The most an object of {@code key} can take as stored: gzip of incompressible lines is a little larger. */
    public long maxStoredBytes(ObjectKey key) {
        return maxContentBytes(key) + (64 << 10);
    }

    public Duration retryBackoffMax() {
        return Duration.ofMillis(getLong(RETRY_BACKOFF_MAX_MS));
    }

    public Duration shutdownTimeout() {
        return Duration.ofMillis(getLong(SHUTDOWN_TIMEOUT_MS));
    }

    public String bucket() {
        return core.getString(CoreConfig.S3_BUCKET);
    }

    public Optional<String> sseKmsKeyId() {
        return nonEmpty(getString(SSE_KMS_KEY_ID));
    }

    /** "COMPLIANCE" or "GOVERNANCE" as S3 spells it, empty when Object Lock is not used. */
    public Optional<String> objectLockMode() {
        return nonEmpty(getString(OBJECT_LOCK_MODE)).map(m -> m.toUpperCase(java.util.Locale.ROOT));
    }

    public Duration objectLockRetention() {
        return Duration.ofDays(getInt(OBJECT_LOCK_RETENTION_DAYS));
    }

    public Optional<String> storageClass() {
        return nonEmpty(getString(STORAGE_CLASS));
    }

    /** The signing key from the file or the setting; {@link ConfigException} when neither is set or it is invalid. */
    public PrivateKey signingKey() {
        return ArchiveKeys.configuredPrivateKey(SIGNING_KEY_FILE, getString(SIGNING_KEY_FILE), SIGNING_KEY,
                getPassword(SIGNING_KEY).value()).orElseThrow(() -> new ConfigException("no digest signing key: set "
                + SIGNING_KEY_FILE + " or " + Settings.keyToEnv(SIGNING_KEY) + " (make one with 'auditrail archive "
                + "keygen')"));
    }

    /** The digest chain's public key; {@link ConfigException} when neither setting is given or the key is invalid. */
    public PublicKey publicKey() {
        return configuredPublicKey().orElseThrow(() -> new ConfigException("no public key to verify digests with: set "
                + PUBLIC_KEY_FILE + " or " + Settings.keyToEnv(PUBLIC_KEY)));
    }

    /** The digest chain's public key when one is configured; {@link ConfigException} when it is invalid. */
    public Optional<PublicKey> configuredPublicKey() {
        String file = getString(PUBLIC_KEY_FILE);
        String inline = getString(PUBLIC_KEY);
        try {
            if (!file.isEmpty()) {
                return Optional.of(ArchiveKeys.readPublicKey(Path.of(file)));
            }
            if (!inline.isEmpty()) {
                return Optional.of(ArchiveKeys.publicKey(inline));
            }
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(file.isEmpty() ? PUBLIC_KEY : PUBLIC_KEY_FILE, file.isEmpty() ? "[set]" : file,
                    e.getMessage());
        }
    }

    /** Consumer settings: defaults, then {@code kafka.*} pass-through, then what the stage's correctness needs. */
    public Map<String, Object> consumerProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "auditrail-archive");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        p.putAll(kafkaPassThrough);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, core.getString(CoreConfig.KAFKA_BOOTSTRAP_SERVERS));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, getString(CONSUMER_GROUP));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return p;
    }

    /** Producer settings of replay: idempotent, acks=all. */
    public Map<String, Object> producerProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put(org.apache.kafka.clients.producer.ProducerConfig.CLIENT_ID_CONFIG, "auditrail-replay");
        p.putAll(kafkaPassThrough);
        p.put(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                core.getString(CoreConfig.KAFKA_BOOTSTRAP_SERVERS));
        p.put(org.apache.kafka.clients.producer.ProducerConfig.ACKS_CONFIG, "all");
        p.put(org.apache.kafka.clients.producer.ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(org.apache.kafka.clients.producer.ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.ByteArraySerializer.class);
        p.put(org.apache.kafka.clients.producer.ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.ByteArraySerializer.class);
        return p;
    }

    private static Optional<String> nonEmpty(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }
}
