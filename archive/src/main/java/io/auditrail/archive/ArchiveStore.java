package io.auditrail.archive;

import io.auditrail.core.config.CoreConfig;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * The archive bucket. Every write is a create-only PUT ({@code If-None-Match: *}): an archived object or digest is
 * never replaced, whatever a restarted or second archiver does. SSE-KMS, Object Lock and the storage class are applied
 * where configured.
 */
public final class ArchiveStore implements AutoCloseable {
    /** What a create-only PUT did. */
    public enum PutOutcome { CREATED, ALREADY_EXISTS }

    private final S3Client s3;
    private final String bucket;
    private final ArchiveConfig config;
    private final Clock clock;

    ArchiveStore(S3Client s3, ArchiveConfig config, Clock clock) {
        this.s3 = s3;
        this.bucket = config.bucket();
        this.config = config;
        this.clock = clock;
    }

    public static ArchiveStore open(ArchiveConfig config, Clock clock) {
        CoreConfig core = config.core();
        S3ClientBuilder b = S3Client.builder()
                .region(Region.of(core.getString(CoreConfig.S3_REGION)))
                .forcePathStyle(core.getBoolean(CoreConfig.S3_PATH_STYLE))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(60)))
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMinutes(2)));
        String endpoint = core.getString(CoreConfig.S3_ENDPOINT);
        if (!endpoint.isBlank()) {
            b.endpointOverride(URI.create(endpoint));
        }
        String accessKey = core.getString(CoreConfig.S3_ACCESS_KEY);
        if (accessKey.isBlank()) {
            b.credentialsProvider(DefaultCredentialsProvider.builder().build());
        } else {
            b.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey,
                    core.getPassword(CoreConfig.S3_SECRET_KEY).value())));
        }
        return new ArchiveStore(b.build(), config, clock);
    }

    public String bucket() {
        return bucket;
    }

    /** Readiness: the bucket answers (what the stage needs, and no more permission than it has). */
    public boolean bucketReachable() {
        try {
            s3.headBucket(r -> r.bucket(bucket));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Creates an archive object; never overwrites. */
    public PutOutcome putObject(String key, byte[] body) {
        return put(putRequest(config, bucket, key, "application/gzip", true, clock), body);
    }

    /** Creates a digest or its signature; never overwrites. Digests keep the default storage class. */
    public PutOutcome putDigestPart(String key, byte[] body, String contentType) {
        return put(putRequest(config, bucket, key, contentType, false, clock), body);
    }

    private PutOutcome put(PutObjectRequest request, byte[] body) {
        try {
            s3.putObject(request, RequestBody.fromBytes(body));
            return PutOutcome.CREATED;
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                return PutOutcome.ALREADY_EXISTS;
            }
            throw e;
        }
    }

    /**
     * The PUT of one archive write, as it goes to S3: create-only, and with SSE-KMS, Object Lock and the storage
     * class when configured. Pure, so tests can check the request shape (no local S3 server enforces Object Lock).
     */
    static PutObjectRequest putRequest(ArchiveConfig config, String bucket, String key, String contentType,
                                       boolean applyStorageClass, Clock clock) {
        PutObjectRequest.Builder r = PutObjectRequest.builder().bucket(bucket).key(key).ifNoneMatch("*")
                .contentType(contentType);
        // no "Content-Encoding: gzip": clients would then decompress on download and the bytes would no longer hash
        // to the digest; the object is a .gz file
        config.sseKmsKeyId().ifPresent(id -> r.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(id));
        config.objectLockMode().ifPresent(mode -> r.objectLockMode(ObjectLockMode.fromValue(mode))
                .objectLockRetainUntilDate(clock.instant().plus(config.objectLockRetention())));
        if (applyStorageClass) {
            config.storageClass().ifPresent(c -> r.storageClass(StorageClass.fromValue(c)));
        }
        return r.build();
    }

    /** The object's bytes, or empty when there is no such key. */
    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** A key as listed, with when it was stored. */
    public record Listed(String key, java.time.Instant lastModified) {
    }

    /** Keys under {@code prefix} that sort after {@code startAfter} (null for all), in key order. */
    public List<String> list(String prefix, String startAfter) {
        return listWithTimes(prefix, startAfter).stream().map(Listed::key).toList();
    }

    /** Like {@link #list}, with each object's last-modified time. */
    public List<Listed> listWithTimes(String prefix, String startAfter) {
        List<Listed> keys = new ArrayList<>();
        ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix);
        if (startAfter != null) {
            req.startAfter(startAfter);
        }
        for (var page : s3.listObjectsV2Paginator(req.build())) {
            for (S3Object o : page.contents()) {
                keys.add(new Listed(o.key(), o.lastModified()));
            }
        }
        return keys;
    }

    @Override
    public void close() {
        s3.close();
    }
}
