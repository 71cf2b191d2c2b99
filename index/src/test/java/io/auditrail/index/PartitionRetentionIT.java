package io.auditrail.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedServicesExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PartitionRetentionIT {
    private static final RetentionPolicy NINETY_DAYS = new RetentionPolicy(90, 7);

    @Test
    void dropsExactlyThePartitionsPastThePeriodAndKeepsTheRestQueryable(EmbeddedKafka kafka, EmbeddedPostgres pg)
            throws Exception {
        IndexFixture f = IndexFixture.create(kafka, pg);
        Migrations.migrate(f.settings);
        try (HikariDataSource ds = new IndexConfig(f.settings).postgres().pool("retention-it")) {
            PartitionRetention january = new PartitionRetention(ds, NINETY_DAYS, at("2026-01-01"));
            PartitionRetention.Result created = january.run();
            assertThat(created.created()).extracting(EventPartition::tableName)
                    .containsExactly("audit_event_p20260101", "audit_event_p20260102", "audit_event_p20260103",
                            "audit_event_p20260104", "audit_event_p20260105", "audit_event_p20260106",
                            "audit_event_p20260107", "audit_event_p20260108");
            assertThat(created.dropped()).isEmpty();

            EventRowWriter writer = new EventRowWriter(ds);
            List<EventRow> rows = new ArrayList<>();
            rows.addAll(rows("2026-01-01T12:00:00Z", 10));
            rows.addAll(rows("2026-01-05T00:00:00Z", 5));
            rows.addAll(rows("2026-01-08T23:59:59.999999Z", 3));
            rows.addAll(rows("2026-01-10T08:00:00Z", 4)); // the oldest day 90 days keep on 2026-04-10
            rows.addAll(rows("2026-04-09T08:00:00Z", 2)); // no partition yet: created on demand
            EventRowWriter.Result written = writer.write(rows);
            assertThat(written.inserted()).isEqualTo(24);
            assertThat(written.created()).extracting(EventPartition::tableName)
                    .containsExactly("audit_event_p20260110", "audit_event_p20260409");

            PartitionRetention april = new PartitionRetention(ds, NINETY_DAYS, at("2026-04-10"));
            PartitionRetention.Result r = april.run();
            assertThat(r.retentionStart()).isEqualTo(LocalDate.of(2026, 1, 10));
            assertThat(r.dropped()).extracting(PartitionRetention.Dropped::table, PartitionRetention.Dropped::rows)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("audit_event_p20260101", 10L),
                            org.assertj.core.groups.Tuple.tuple("audit_event_p20260102", 0L),
                            org.assertj.core.groups.Tuple.tuple("audit_event_p20260103", 0L),
                            org.assertj.core.groups.Tuple.tuple("audit_event_p20260104", 0L),
                            org.assertj.core.groups.Tuple.tuple("audit_event_p20260105", 5L),
                            org.assertj.core.groups.Tuple.tuple("audit_event_p20260106", 0L),
                            org.assertj.core.groups.Tuple.tuple("audit_event_p20260107", 0L),
                            org.assertj.core.groups.Tuple.tuple("audit_event_p20260108", 3L));
            assertThat(r.created()).hasSize(8); // 04-10 .. 04-17
            assertThat(r.oldestRetainedDay()).contains(LocalDate.of(2026, 1, 10));
            assertThat(f.count("SELECT count(*) FROM audit_event")).isEqualTo(6);
            assertThat(f.count("SELECT count(*) FROM audit_event WHERE tenant_id = 'acme' "
                    + "AND event_time >= '2026-01-10' ORDER BY 1")).isEqualTo(6);
            assertThat(f.count("SELECT rows_dropped FROM event_partition WHERE day = '2026-01-01' "
                    + "AND dropped_at IS NOT NULL")).isEqualTo(10);

            // a late event for a dropped day is expired, not an error and not a resurrected partition
            EventRowWriter.Result late = writer.write(rows("2026-01-05T10:00:00Z", 2));
            assertThat(late.expired()).containsExactly(0, 1);
            assertThat(late.inserted()).isZero();
            assertThat(late.created()).isEmpty();

            PartitionRetention.Result again = april.run();
            assertThat(again.dropped()).isEmpty();
            assertThat(again.created()).isEmpty();
        }
    }

    private static Clock at(String day) {
        return Clock.fixed(Instant.parse(day + "T06:00:00Z"), ZoneOffset.UTC);
    }

    private static int seq;

    private static List<EventRow> rows(String time, int n) throws RowRejected {
        List<EventRow> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(EventRow.of(Events.read(Events.id("ret-" + (seq++)), Instant.parse(time), "acme",
                    "secret/data/tenants/acme/db")));
        }
        return out;
    }
}
