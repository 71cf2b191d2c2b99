package io.auditrail.archive;

import java.time.Instant;

/**
 * How far a partition is archived as of a digest.
 *
 * @param lastOffset      highest offset in any stored object
 * @param lastObjectTime  first-line time of the object holding it: where a restart starts listing for objects that
 *                        were stored after the digest
 */
public record Coverage(long lastOffset, Instant lastObjectTime) {
}
