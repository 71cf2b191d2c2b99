package io.auditrail.archive;

import io.auditrail.core.config.CoreConfig;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
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

    /** Keys per listing request: S3's maximum, unless a test asks for small pages. */
    static final int PAGE_SIZE = 1000;

    private final int pageSize;

    ArchiveStore(S3Client s3, ArchiveConfig config, Clock clock) {
        this(s3, config, clock, PAGE_SIZE);
    }

    ArchiveStore(S3Client s3, ArchiveConfig config, Clock clock, int pageSize) {
        this.pageSize = pageSize;
        this.s3 = s3;
        this.bucket = config.bucket();
        this.config = config;
        this.clock = clock;
    }

    public static ArchiveStore open(ArchiveConfig config, Clock clock) {
        return new ArchiveStore(client(config).build(), config, clock);
    }

    /** The S3 client of {@code config}'s settings, for tests to add to (e.g. a request counter). */
    static S3ClientBuilder client(ArchiveConfig config) {
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
        return b;
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
        return unlessMissing(() -> s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
    }

    /** What {@code call} returns, or empty when S3 says there is no such key. */
    private static <T> Optional<T> unlessMissing(Supplier<T> call) {
        try {
            return Optional.of(call.get());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The object's bytes, read only while they stay within {@code maxBytes}: what a reader fetches when the bucket's
     * content may be hostile (an object far larger than its digest says is refused without being held in memory).
     *
     * @throws ObjectTooLarge when the object holds more than {@code maxBytes}
     */
    public Optional<byte[]> get(String key, long maxBytes) {
        return unlessMissing(() -> {
            try (ResponseInputStream<GetObjectResponse> in = s3.getObject(r -> r.bucket(bucket).key(key))) {
                Long length = in.response().contentLength();
                byte[] body = length != null && length > maxBytes ? null
                        : in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
                if (body == null || body.length > maxBytes) {
                    in.abort(); // the rest is not read: a hostile object costs no more than the limit
                    throw new ObjectTooLarge(key, maxBytes);
                }
                return body;
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + key + ": " + e.getMessage(), e);
            }
        });
    }

    /** An object that holds more bytes than its reader accepts. */
    public static final class ObjectTooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ObjectTooLarge(String key, long maxBytes) {
            super(key + " holds more than " + maxBytes + " bytes");
        }
    }

    /** Larger than any digest the archiver writes (an hour of objects of every partition). */
    static final long MAX_DIGEST_BYTES = 64L << 20;

    /**
     * A digest and its signature as stored; empty when the digest is not there. The signature is null when its
     * object is missing, and empty bytes when it is not base64 (both fail verification).
     */
    public Optional<SignedDigest> digest(String key) {
        return get(key, MAX_DIGEST_BYTES).map(body -> new SignedDigest(key, body,
                get(Digest.signatureKey(key), 4096).map(ArchiveStore::decodeSignature).orElse(null)));
    }

    private static byte[] decodeSignature(byte[] text) {
        try {
            return Base64.getDecoder().decode(new String(text, StandardCharsets.US_ASCII).strip());
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    /** A key as listed, with when it was stored and its size. */
    public record Listed(String key, Instant lastModified, long bytes) {
    }

    /**
     * Keys under {@code prefix} that sort after {@code startAfter} (null for all), in key order, listed lazily: a page
     * of keys is requested only when the stream reaches it, so a caller that stops at its bound ({@code takeWhile})
     * lists no further. Close the stream or consume it; it holds no connection between pages.
     */
    public Stream<String> keys(String prefix, String startAfter) {
        return listed(prefix, startAfter).map(Listed::key);
    }

    /** Like {@link #keys}, with each object's last-modified time and size. */
    public Stream<Listed> listed(String prefix, String startAfter) {
        ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix)
                .maxKeys(pageSize);
        if (startAfter != null) {
            req.startAfter(startAfter);
        }
        return s3.listObjectsV2Paginator(req.build()).contents().stream()
                .map(o -> new Listed(o.key(), o.lastModified(), o.size() == null ? -1 : o.size()));
    }

    /** Keys under {@code prefix} that sort after {@code startAfter} and before {@code stopAt}: listing stops there. */
    public Stream<String> keys(String prefix, String startAfter, String stopAt) {
        return keys(prefix, startAfter).takeWhile(k -> k.compareTo(stopAt) < 0);
    }

    /** The first key under {@code prefix} (one request of one key), empty when there is none. */
    public Optional<String> firstKey(String prefix) {
        return s3.listObjectsV2(r -> r.bucket(bucket).prefix(prefix).maxKeys(1)).contents().stream()
                .map(S3Object::key).findFirst();
    }

    /**
     * Every key under {@code prefix} after {@code startAfter}, collected: only for prefixes known to be small (one
     * hour, one month of digests). Anything bounded by a key range uses {@link #keys(String, String, String)}.
     */
    public List<String> list(String prefix, String startAfter) {
        try (Stream<String> keys = keys(prefix, startAfter)) {
            return keys.toList();
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
