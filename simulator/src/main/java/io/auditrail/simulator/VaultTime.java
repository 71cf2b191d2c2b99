package io.auditrail.simulator;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Formats times as Vault does: {@code time} is Go's RFC3339Nano in UTC (fraction with trailing zeros trimmed,
 * none when zero), {@code token_issue_time} RFC 3339 with seconds. Caches the formatted second, since consecutive
 * lines mostly share it. Not thread-safe: one per generator.
 */
final class VaultTime {
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedPrefix = "";

    /** @param epochNanos nanoseconds since the epoch */
    String nano(long epochNanos) {
        long second = Math.floorDiv(epochNanos, 1_000_000_000L);
        int nanos = (int) Math.floorMod(epochNanos, 1_000_000_000L);
        if (second != cachedSecond) {
            cachedSecond = second;
            cachedPrefix = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC).toString();
            if (cachedPrefix.length() == 16) {
                cachedPrefix = cachedPrefix + ":00"; // LocalDateTime drops ":00" seconds
            }
        }
        if (nanos == 0) {
            return cachedPrefix + "Z";
        }
        StringBuilder sb = new StringBuilder(cachedPrefix.length() + 11).append(cachedPrefix).append('.');
        String digits = Integer.toString(nanos + 1_000_000_000).substring(1);
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        return sb.append(digits, 0, end).append('Z').toString();
    }

    static String seconds(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L)).toString();
    }
}
