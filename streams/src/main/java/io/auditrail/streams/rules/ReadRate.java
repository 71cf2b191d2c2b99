package io.auditrail.streams.rules;

/**
 * One actor's reads: the current minute (epoch minute and count), the exponentially weighted baseline of reads
 * per minute, and how many minutes it has been observed.
 */
public record ReadRate(long minute, long count, double baseline, long observedMinutes) {
}
