package io.auditrail.core.anomaly;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Deterministic anomaly ids: SHA-256 of rule, actor and the id of the first event that fired the rule,
 * formatted as a UUID version 8 like event ids. The same events in the same order (a replay, a restart
 * under exactly-once) give the same id, so a consumer that upserts never shows an anomaly twice.
 */
public final class AnomalyId {
    private AnomalyId() {
    }

    public static String of(String rule, String actor, String firstEventId) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        byte[] d = sha.digest(("v1|anomaly|" + rule + '|' + actor + '|' + firstEventId)
                .getBytes(StandardCharsets.UTF_8));
        d[6] = (byte) ((d[6] & 0x0f) | 0x80); // version 8
        d[8] = (byte) ((d[8] & 0x3f) | 0x80); // variant 10
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (d[i] & 0xff);
            lo = (lo << 8) | (d[i + 8] & 0xff);
        }
        return new UUID(hi, lo).toString();
    }
}
