package io.auditrail.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedServicesExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MigrationsIT {
    @Test
    void migratesAnEmptyDatabaseOnceAndThenFindsItCurrent(EmbeddedKafka kafka, EmbeddedPostgres pg) throws Exception {
        IndexFixture f = IndexFixture.create(kafka, pg);
        Migrations.Result first = Migrations.migrate(f.settings);
        assertThat(first.applied()).isGreaterThanOrEqualTo(1);
        assertThat(first.schemaVersion()).isNotBlank();
        for (String table : new String[] {"audit_event", "event_partition", "anomaly", "anomaly_disposition"}) {
            assertThat(f.count("SELECT count(*) FROM pg_class WHERE relname = '" + table + "'")).as(table).isOne();
        }
        assertThat(f.count("SELECT count(*) FROM pg_partitioned_table pt JOIN pg_class c ON c.oid = pt.partrelid "
                + "WHERE c.relname = 'audit_event'")).isOne();
        Migrations.Result second = Migrations.migrate(f.settings);
        assertThat(second.applied()).isZero();
        assertThat(second.schemaVersion()).isEqualTo(first.schemaVersion());
    }
}
