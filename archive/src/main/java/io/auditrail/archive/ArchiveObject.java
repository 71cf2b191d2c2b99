package io.auditrail.archive;

/**
 * One sealed archive object, ready to upload: the gzip body and what the digest will say about it.
 *
 * @param body the gzip member holding the lines, each followed by {@code \n}
 */
public record ArchiveObject(ObjectKey key, byte[] body, DigestEntry entry) {
    public int lines() {
        return entry.lines();
    }
}
