package io.auditrail.archive;

/** What a raw-line read found: the line, checked against a signed digest, or why there is none to serve. */
public sealed interface RawLookup {
    /** The line, from an object whose bytes hash to what the signed digest {@code digestKey} lists. */
    record Found(byte[] line, String objectKey, String digestKey) implements RawLookup {
    }

    /** Nothing to serve yet: no object holds the position, or its object is newer than the next digest. */
    record Absent(String why) implements RawLookup {
    }

    /**
     * An object holds the position but no signed digest vouches for its bytes (altered, replaced, inserted, or its
     * digests deleted): never served, and worth an alert.
     */
    record Refused(String objectKey, String why) implements RawLookup {
    }
}
