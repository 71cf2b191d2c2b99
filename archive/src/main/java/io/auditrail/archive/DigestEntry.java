package io.auditrail.archive;

import java.time.Instant;

/**
 * What a digest says about one archive object.
 *
 * @param sha256        hex SHA-256 of the object's bytes as stored (the gzip)
 * @param contentSha256 hex SHA-256 of the decompressed NDJSON, which does not depend on the gzip implementation
 * @param bytes         size of the stored object
 * @param lines         lines in the object
 */
public record DigestEntry(String key, String sha256, String contentSha256, long bytes, int lines, int partition,
                          long firstOffset, long lastOffset, Instant firstTime, Instant lastTime) {

    static DigestEntry of(ObjectKey key, String sha256, String contentSha256, long bytes, int lines) {
        return new DigestEntry(key.key(), sha256, contentSha256, bytes, lines, key.partition(), key.firstOffset(),
                key.lastOffset(), key.firstTime(), key.lastTime());
    }
}
