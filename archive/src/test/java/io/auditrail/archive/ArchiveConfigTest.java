package io.auditrail.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditrail.core.config.Settings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

class ArchiveConfigTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T16:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void defaultsAreTheDocumentedOnes() {
        ArchiveConfig c = new ArchiveConfig(Settings.of(Map.of()));
        assertThat(c.objectMaxBytes()).isEqualTo(16L << 20);
        assertThat(c.objectMaxAge()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.digestInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(c.sseKmsKeyId()).isEmpty();
        assertThat(c.objectLockMode()).isEmpty();
        assertThat(c.storageClass()).isEmpty();
        assertThat(c.getString(ArchiveConfig.CONSUMER_GROUP)).isEqualTo("auditrail-archive");
        assertThat(c.retryBackoffMax()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.bucket()).isEqualTo("auditrail-archive");
        assertThatThrownBy(c::signingKey).isInstanceOf(ConfigException.class)
                .hasMessageContaining("AUDITRAIL_ARCHIVE_SIGNING_KEY");
        assertThatThrownBy(c::publicKey).isInstanceOf(ConfigException.class)
                .hasMessageContaining("AUDITRAIL_ARCHIVE_PUBLIC_KEY");
        assertThat(c.configuredPublicKey()).isEmpty();
        assertThat(c.digestDueWithin()).isEqualTo(Duration.ofMinutes(65));
        ObjectKey key = new ObjectKey(Instant.EPOCH, Instant.EPOCH, 0, 0, 99);
        assertThat(c.maxContentBytes(key)).isEqualTo((16L << 20) + (1 << 20) + (64 << 10) + 100);
    }

    @Test
    void thePublicKeyComesFromAFileOrTheSettingNeverBoth() throws Exception {
        ArchiveKeys.generate(dir.resolve("k"), dir.resolve("p"));
        String pem = java.nio.file.Files.readString(dir.resolve("p"));
        var fromFile = new ArchiveConfig(Settings.of(Map.of(ArchiveConfig.PUBLIC_KEY_FILE, dir.resolve("p").toString())))
                .publicKey();
        assertThat(new ArchiveConfig(Settings.of(Map.of(ArchiveConfig.PUBLIC_KEY, pem))).publicKey().getEncoded())
                .isEqualTo(fromFile.getEncoded());
        assertThatThrownBy(() -> new ArchiveConfig(Settings.of(Map.of(ArchiveConfig.PUBLIC_KEY, pem,
                ArchiveConfig.PUBLIC_KEY_FILE, "x")))).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> new ArchiveConfig(Settings.of(Map.of(ArchiveConfig.PUBLIC_KEY, "not a key")))
                .publicKey()).isInstanceOf(ConfigException.class).hasMessageContaining(ArchiveConfig.PUBLIC_KEY);
    }

    @Test
    void objectLockNeedsARetention() {
        assertThatThrownBy(() -> new ArchiveConfig(Settings.of(Map.of(ArchiveConfig.OBJECT_LOCK_MODE, "compliance"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ArchiveConfig.OBJECT_LOCK_RETENTION_DAYS);
        assertThatThrownBy(() -> new ArchiveConfig(Settings.of(Map.of(ArchiveConfig.OBJECT_LOCK_MODE, "strict"))))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void theKeyComesFromAFileOrTheSettingNeverBoth() throws Exception {
        ArchiveKeys.generate(dir.resolve("k"), dir.resolve("p"));
        String pem = java.nio.file.Files.readString(dir.resolve("k"));
        assertThat(new ArchiveConfig(Settings.of(Map.of(ArchiveConfig.SIGNING_KEY_FILE, dir.resolve("k").toString())))
                .signingKey()).isNotNull();
        assertThat(new ArchiveConfig(Settings.of(Map.of(ArchiveConfig.SIGNING_KEY, pem))).signingKey()).isNotNull();
        assertThatThrownBy(() -> new ArchiveConfig(Settings.of(Map.of(ArchiveConfig.SIGNING_KEY, pem,
                ArchiveConfig.SIGNING_KEY_FILE, "x")))).isInstanceOf(ConfigException.class)
                .message().doesNotContain("PRIVATE");
        assertThatThrownBy(() -> new ArchiveConfig(Settings.of(Map.of(ArchiveConfig.SIGNING_KEY, "not a key")))
                .signingKey()).isInstanceOf(ConfigException.class).message().doesNotContain("not a key");
    }

    @Test
    void aPlainPutIsCreateOnlyAndNothingElse() {
        PutObjectRequest r = ArchiveStore.putRequest(new ArchiveConfig(Settings.of(Map.of())), "b", "raw/k", "application/gzip",
                true, CLOCK);
        assertThat(r.ifNoneMatch()).isEqualTo("*");
        assertThat(r.serverSideEncryption()).isNull();
        assertThat(r.objectLockMode()).isNull();
        assertThat(r.storageClass()).isNull();
        assertThat(r.contentEncoding()).isNull();
    }

    @Test
    void productionSettingsShapeEveryPut() {
        ArchiveConfig c = new ArchiveConfig(Settings.of(Map.of(
                ArchiveConfig.SSE_KMS_KEY_ID, "arn:aws:kms:eu-west-1:111122223333:key/abc",
                ArchiveConfig.OBJECT_LOCK_MODE, "compliance",
                ArchiveConfig.OBJECT_LOCK_RETENTION_DAYS, "2555",
                ArchiveConfig.STORAGE_CLASS, "STANDARD_IA")));
        PutObjectRequest object = ArchiveStore.putRequest(c, "b", "raw/k", "application/gzip", true, CLOCK);
        assertThat(object.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(object.ssekmsKeyId()).isEqualTo("arn:aws:kms:eu-west-1:111122223333:key/abc");
        assertThat(object.objectLockMode()).isEqualTo(ObjectLockMode.COMPLIANCE);
        assertThat(object.objectLockRetainUntilDate()).isEqualTo(Instant.parse("2026-11-28T16:00:00Z").plus(
                Duration.ofDays(2555)));
        assertThat(object.storageClass()).isEqualTo(StorageClass.STANDARD_IA);
        assertThat(object.ifNoneMatch()).isEqualTo("*");

        PutObjectRequest digest = ArchiveStore.putRequest(c, "b", "digests/k.json", "application/json", false, CLOCK);
        assertThat(digest.objectLockMode()).isEqualTo(ObjectLockMode.COMPLIANCE);
        assertThat(digest.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(digest.storageClass()).isNull();
    }
}
