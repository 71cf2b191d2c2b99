package io.auditrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, item 4, from outside: an ingest process with the deployed 256 MiB heap, 40 peers each sending 8 MiB
 * without a newline (320 MiB wanted in unfinished lines, again whenever cut off) and 1,500 idle connections (over the
 * 1,024 limit) while Vault writes and reconnects twice: every line Vault wrote is on the raw topic, no write of
 * Vault's failed, the process lives, and the unfinished lines stayed within their budget. Without the budget the
 * same flood exhausts the heap (bench/RESULTS.md, "Ingest under a flood").
 */
@ExtendWith(EmbeddedServicesExtension.class)
class IngestFloodIT {
    @TempDir
    Path temp;

    @Test
    @Timeout(300)
    void theDeployedHeapHoldsUnderTheFloodAndVaultKeepsDelivering(EmbeddedKafka kafka) throws Exception {
        IngestFlood.Result r = IngestFlood.run(kafka, temp, "flood-" + UUID.randomUUID(), Map.of(),
                IngestFlood.Shape.DEFAULT);
        System.out.println("ingest flood: " + r);
        assertThat(r.childAlive()).isTrue();
        assertThat(r.vaultFailed()).as("Vault writes that failed twice (a 500 in Vault)").isZero();
        assertThat(r.vaultWritten()).isGreaterThan(2000);
        assertThat(r.vaultDelivered()).as("every line Vault wrote is on the raw topic").isEqualTo(r.vaultWritten());
        assertThat(r.hogBytesSent()).as("the hogs did push their lines").isGreaterThan(320L << 20);
        assertThat(r.idleOpened()).isGreaterThan(1024);
        assertThat(r.stat(true, "partial_max_mb")).isBetween(1L, 64L);
        // at the limit, less the hogs that were just cut off by the budget and are connecting again
        assertThat(r.stat(true, "open_connections")).as("open connections under the flood")
                .isBetween(1024L - IngestFlood.Shape.DEFAULT.hogs(), 1024L);
        assertThat(r.stat(false, "closed_partial_budget")).isPositive();
        assertThat(r.stat(false, "closed_evicted")).isPositive();
        assertThat(r.stat(false, "dropped")).isZero();
        assertThat(r.stat(true, "heap_after_gc_mb")).as("live heap under the flood").isLessThan(200);
    }
}
