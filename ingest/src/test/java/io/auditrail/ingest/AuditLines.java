package io.auditrail.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/** Generated Vault-like audit entries: request/response pairs sharing a request id, about 1 KB each. */
final class AuditLines {
    private AuditLines() {
    }

    static String requestId(long seed, int n) {
        return new UUID(seed, n).toString();
    }

    static List<byte[]> pairs(long seed, int pairs) {
        Random r = new Random(seed);
        List<byte[]> out = new ArrayList<>(pairs * 2);
        for (int i = 0; i < pairs; i++) {
            String id = requestId(seed, i);
            String tenant = "t-" + r.nextInt(50);
            String hmac = "hmac-sha256:" + Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong())
                    + Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong());
            String auth = "\"auth\":{\"client_token\":\"" + hmac + "\",\"accessor\":\"" + hmac
                    + "\",\"display_name\":\"approle\",\"policies\":[\"default\",\"tenant-" + tenant + "\"],"
                    + "\"metadata\":{\"role_name\":\"app\",\"tenant_id\":\"" + tenant + "\"},"
                    + "\"entity_id\":\"" + new UUID(seed + 1, i) + "\",\"token_type\":\"service\"}";
            String request = "\"request\":{\"id\":\"" + id + "\",\"operation\":\"read\",\"mount_type\":\"kv\","
                    + "\"client_token\":\"" + hmac + "\",\"namespace\":{\"id\":\"root\"},"
                    + "\"path\":\"secret/data/tenants/" + tenant + "/db-" + i + "\",\"remote_address\":\"10.0."
                    + r.nextInt(255) + "." + r.nextInt(255) + "\"}";
            String time = "2026-11-28T12:00:" + String.format("%02d", i % 60) + "." + String.format("%09d", i) + "Z";
            out.add(("{\"time\":\"" + time + "\",\"type\":\"request\"," + auth + "," + request + "}")
                    .getBytes(StandardCharsets.UTF_8));
            out.add(("{\"time\":\"" + time + "\",\"type\":\"response\"," + auth + "," + request
                    + ",\"response\":{\"mount_type\":\"kv\",\"data\":{\"data\":{\"password\":\"" + hmac + "\"}}}}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }
}
