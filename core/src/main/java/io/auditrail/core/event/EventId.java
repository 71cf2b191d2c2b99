package io.auditrail.core.event;

import io.auditrail.core.entry.AuditEntry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic event ids, so Vault's resend of a line, a replay from the archive or a restart
 * mid-batch never makes a second row. With a {@code request.id}: from type, request id and time,
 * which Vault writes identically on every device (1.16.2+), so a file-device backfill meets the
 * socket stream. Without one (e.g. {@code help}): from the line's bytes. Formatted as a UUID
 * (version 8, RFC 9562) so PostgreSQL stores it in 16 bytes.
 */
public final class EventId {
    private EventId() {
    }

    public static String of(AuditEntry entry, byte[] line, int off, int len) {
        MessageDigest sha = sha256();
        String requestId = entry.request().id();
        if (requestId != null && !requestId.isEmpty()) {
            sha.update(("v1|" + entry.type() + '|' + requestId + '|' + entry.time()).getBytes(StandardCharsets.UTF_8));
        } else {
            int end = off + len;
            while (end > off && (line[end - 1] == '\n' || line[end - 1] == '\r')) {
                end--;
            }
            sha.update("v1|line|".getBytes(StandardCharsets.UTF_8));
            sha.update(line, off, end - off);
        }
        return uuid(sha.digest());
    }

    private static String uuid(byte[] d) {
        d[6] = (byte) ((d[6] & 0x0f) | 0x80); // version 8
        d[8] = (byte) ((d[8] & 0x3f) | 0x80); // variant 10
        char[] out = new char[36];
        int o = 0;
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                out[o++] = '-';
            }
            out[o++] = HEX[(d[i] >> 4) & 0xf];
            out[o++] = HEX[d[i] & 0xf];
        }
        return new String(out);
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
