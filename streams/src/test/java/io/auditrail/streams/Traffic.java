package io.auditrail.streams;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Realistic, deterministic Vault traffic for tests and the benchmark: tenants' apps reading and listing their own
 * secrets, request and response for each, with a stated share of denials. Times advance 1 ms per request.
 */
final class Traffic {
    record Entry(String requestId, byte[] line) {
    }

    private Traffic() {
    }

    static List<Entry> pairs(String prefix, int count, Instant start, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Entry> out = new ArrayList<>(count * 2);
        for (int i = 0; i < count; i++) {
            int tenant = random.nextInt(8);
            int app = random.nextInt(20);
            String id = prefix + "-" + i;
            boolean list = random.nextInt(10) == 0;
            AuditLine line = AuditLine.of(id).tenant("t" + tenant)
                    .entity("e-" + tenant + "-" + app, "approle-app" + app)
                    .accessor("hmac-sha256:acc-" + tenant + "-" + app)
                    .from("10.1." + tenant + "." + app)
                    .op(list ? "list" : "read", list ? "secret/metadata/tenants/t" + tenant + "/app" + app + "/"
                            : "secret/data/tenants/t" + tenant + "/app" + app + "/db" + random.nextInt(5))
                    .at(start.plusMillis(i));
            if (random.nextInt(200) == 0) {
                line.error("permission denied");
            }
            out.add(new Entry(id, line.request()));
            out.add(new Entry(id, line.response()));
        }
        return out;
    }
}
