package io.auditrail.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A batch written on several connections at once gives exactly what one connection gives: the same rows, the
 * duplicates counted once each (copies of one event share a slice), and the expired rows reported by their place in
 * the batch as given.
 */
@ExtendWith(EmbeddedServicesExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EventRowWriterSlicesIT {
    @Test
    void slicesOnTwoConnectionsWriteWhatOneConnectionWrites(EmbeddedKafka kafka, EmbeddedPostgres pg)
            throws Exception {
        List<EventRow> batch = batch();
        EventRowWriter.Result one = write(kafka, pg, batch, 1);
        EventRowWriter.Result two = write(kafka, pg, batch, 2);
        EventRowWriter.Result four = write(kafka, pg, batch, 4);
        for (EventRowWriter.Result r : List.of(one, two, four)) {
            assertThat(r.inserted()).isEqualTo(3000);
            assertThat(r.duplicates()).isEqualTo(400);
            assertThat(r.expired()).containsExactlyElementsOf(IntStream.range(3400, 3900).boxed().toList());
            assertThat(r.rejected()).isEmpty();
        }
    }

    /** 3,000 distinct events over two open days, 400 copies among them, then 500 events of a dropped day. */
    private static List<EventRow> batch() throws RowRejected {
        List<EventRow> rows = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            rows.add(row("ev-" + i, i % 2 == 0 ? "2026-03-02T10:00:00Z" : "2026-03-03T10:00:00Z"));
        }
        for (int i = 0; i < 400; i++) {
            rows.add(row("ev-" + (i * 7), i * 7 % 2 == 0 ? "2026-03-02T10:00:00Z" : "2026-03-03T10:00:00Z"));
        }
        for (int i = 0; i < 500; i++) {
            rows.add(row("late-" + i, "2026-01-05T10:00:00Z"));
        }
        return rows;
    }

    private static EventRow row(String id, String time) throws RowRejected {
        return EventRow.of(Events.read(Events.id(id), Instant.parse(time), "acme", "secret/data/tenants/acme/db"));
    }

    private static EventRowWriter.Result write(EmbeddedKafka kafka, EmbeddedPostgres pg, List<EventRow> batch,
                                               int connections) throws Exception {
        IndexFixture f = IndexFixture.create(kafka, pg);
        Migrations.migrate(f.settings);
        try (HikariDataSource ds = new IndexConfig(f.settings).postgres().pool("slices-it")) {
            // 2026-01-05 existed and was dropped by retention: its events are expired
            new PartitionRetention(ds, new RetentionPolicy(90, 1),
                    Clock.fixed(Instant.parse("2026-01-05T00:00:00Z"), ZoneOffset.UTC)).run();
            new PartitionRetention(ds, new RetentionPolicy(30, 1),
                    Clock.fixed(Instant.parse("2026-03-02T00:00:00Z"), ZoneOffset.UTC)).run();
            EventRowWriter writer = new EventRowWriter(ds, connections);
            try {
                EventRowWriter.Result r = writer.write(batch);
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    var rs = s.executeQuery("SELECT count(*) FROM audit_event");
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(3000);
                }
                return r;
            } finally {
                writer.close();
            }
        }
    }
}
