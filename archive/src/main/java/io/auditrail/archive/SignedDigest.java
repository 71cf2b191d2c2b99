package io.auditrail.archive;

/**
 * A digest as stored: its key, its exact bytes and the signature object's content (null when that object is missing).
 */
public record SignedDigest(String key, byte[] body, byte[] signature) {
    public String sha256() {
        return Hashes.sha256Hex(body);
    }
}
