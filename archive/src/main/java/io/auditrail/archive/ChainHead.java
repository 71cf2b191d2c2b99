package io.auditrail.archive;

import java.time.Instant;

/**
 * A digest as the chain head table records it: what the bucket must still hold, and when the database saw it.
 *
 * @param sha256     hex SHA-256 of the digest's exact bytes
 * @param created    the digest's creation time (its own {@code created})
 * @param recordedAt when the row was written, by the database's clock
 */
public record ChainHead(long sequence, String digestKey, String sha256, Instant created, Instant recordedAt) {
    /** Whether {@code stored} is this digest: same key and the same bytes. */
    public boolean matches(SignedDigest stored) {
        return digestKey.equals(stored.key()) && sha256.equals(stored.sha256());
    }

    @Override
    public String toString() {
        return "digest " + sequence + " (" + digestKey + ", SHA-256 " + sha256.substring(0, 16) + "..., created "
                + created + ")";
    }
}
