package io.auditrail.app.health;

import software.amazon.awssdk.services.s3.S3Client;

/** S3 is ready when the archive bucket answers a HEAD with these credentials. */
public final class S3Readiness implements ReadinessCheck {
    private final S3Client s3;
    private final String bucket;

    public S3Readiness(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public void check() {
        s3.headBucket(b -> b.bucket(bucket));
    }
}
