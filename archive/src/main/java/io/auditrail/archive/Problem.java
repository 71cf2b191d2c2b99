package io.auditrail.archive;

/** One thing verify found wrong, naming the object or digest it concerns. */
public record Problem(Kind kind, String key, String detail) {
    public enum Kind {
        /** An object a digest lists is not in the bucket. */
        MISSING_OBJECT,
        /** An object's bytes do not hash to what its digest says. */
        ALTERED_OBJECT,
        /** A digest does not follow its predecessor: missing, different hash, or a sequence jump. */
        BROKEN_CHAIN,
        /** A digest's signature is missing or does not verify with the public key. */
        BAD_SIGNATURE,
        /**
         * An object in the bucket that no digest lists although a later digest exists: not written by the archiver
         * (an inserted object), or written and never digested.
         */
        UNLISTED_OBJECT,
        /** The listed objects of a partition skip or repeat offsets: lines that were never archived, or twice. */
        OFFSET_GAP,
        /** No digest was created in the period: nothing in the archive vouches for it. */
        NO_DIGEST,
        /**
         * The chain stops short of the head recorded outside the bucket, or a digest differs from its recorded hash:
         * the newest digests (or some of a period's) were deleted or replaced.
         */
        TRUNCATED_CHAIN,
        /**
         * The head recorded outside the bucket is older than the digest interval allows, missing or unreadable: the
         * archiver is not writing (or not recording) digests, and a truncation of the newest ones cannot be ruled out.
         */
        CHAIN_HEAD
    }

    @Override
    public String toString() {
        return kind + " " + key + ": " + detail;
    }
}
