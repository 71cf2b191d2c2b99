package io.auditrail.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditrail.core.event.EventCodec;
import io.auditrail.core.event.PairedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventRowTest {
    private static final Instant T = Instant.parse("2026-03-01T10:15:30.123456789Z");

    @Test
    void columnsComeFromTheEventAndTheRestGoesToDetail() throws Exception {
        String id = Events.id("a");
        EventRow row = EventRow.fromJson(Events.json(Events.read(id, T, "acme", "secret/data/tenants/acme/db")));
        assertThat(row.eventId()).isEqualTo(UUID.fromString(id));
        assertThat(row.eventTime()).isEqualTo(Instant.parse("2026-03-01T10:15:30.123456Z"));
        assertThat(row.partition()).isEqualTo(new EventPartition(LocalDate.of(2026, 3, 1)));
        assertThat(row.tenantId()).isEqualTo("acme");
        assertThat(row.tenantSource()).isEqualTo("metadata");
        assertThat(row.type()).isEqualTo("request");
        assertThat(row.operation()).isEqualTo("read");
        assertThat(row.path()).isEqualTo("secret/data/tenants/acme/db");
        assertThat(row.secretPath()).isEqualTo("secret/tenants/acme/db");
        assertThat(row.actorEntityId()).isEqualTo("entity-acme");
        assertThat(row.actorDisplayName()).isEqualTo("approle-acme");
        assertThat(row.remoteAddress()).isEqualTo("10.0.0.7");
        assertThat(row.pairingStatus()).isEqualTo("paired");
        assertThat(row.rawPartition()).isEqualTo(0);
        assertThat(row.rawOffset()).isEqualTo(42L);
        // the request was answered "permission denied": the effective outcome is the response's
        assertThat(row.outcome()).isEqualTo("denied");
        JsonNode detail = EventCodec.mapper().readTree(row.detailJson());
        assertThat(detail.get("entry_outcome").asText()).isEqualTo("ok");
        assertThat(detail.get("actor").get("policies").get(0).asText()).isEqualTo("default");
        assertThat(detail.get("actor").get("remote_port").asInt()).isEqualTo(51234);
        assertThat(detail.get("pairing").get("status").asText()).isEqualTo("paired");
        assertThat(detail.has("raw_logging")).as("empty lists and nulls are left out").isFalse();
        assertThat(detail.has("path")).as("columns are not repeated").isFalse();
    }

    @Test
    void platformEventsHaveNoTenant() throws Exception {
        EventRow row = EventRow.of(Events.read(Events.id("p"), T, null, "sys/health"));
        assertThat(row.tenantId()).isNull();
        assertThat(row.tenantSource()).isEqualTo("none");
    }

    @Test
    void whatCanNeverBeARowIsRejectedWithAReason() {
        assertThatThrownBy(() -> EventRow.fromJson("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(RowRejected.class, r -> assertThat(r.failure()).isEqualTo(IndexFailure.NOT_AN_EVENT));
        assertThatThrownBy(() -> EventRow.fromJson(null))
                .isInstanceOfSatisfying(RowRejected.class, r -> assertThat(r.failure()).isEqualTo(IndexFailure.NOT_AN_EVENT));
        assertThatThrownBy(() -> EventRow.fromJson("{\"schema\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(RowRejected.class, r -> assertThat(r.failure()).isEqualTo(IndexFailure.MISSING_FIELD));
        assertThatThrownBy(() -> EventRow.of(Events.read("not-a-uuid", T, "acme", "secret/x")))
                .isInstanceOfSatisfying(RowRejected.class, r -> assertThat(r.failure()).isEqualTo(IndexFailure.BAD_ID));
        assertThatThrownBy(() -> EventRow.of(Events.read(Events.id("n"), T, "acme", "secret/a\0b")))
                .isInstanceOfSatisfying(RowRejected.class, r -> {
                    assertThat(r.failure()).isEqualTo(IndexFailure.NUL_CHARACTER);
                    assertThat(r.getMessage()).doesNotContain("secret/");
                });
    }

    @Test
    void copyTextEscapesWhatTheFormatReserves() throws Exception {
        PairedEvent e = Events.read(Events.id("c"), T, "ac\\me", "secret/a\tb\nc\rd");
        StringBuilder out = new StringBuilder();
        EventRow.of(e).appendCopy(out);
        String line = out.toString();
        assertThat(line).endsWith("\n").contains("\tac\\\\me\t").contains("secret/a\\tb\\nc\\rd");
        assertThat(line.chars().filter(c -> c == '\t').count()).isEqualTo(EventRow.COLUMNS.size() - 1);
        assertThat(line.chars().filter(c -> c == '\n').count()).isEqualTo(1);
        assertThat(line).contains("\t2026-03-01T10:15:30.123456Z\t");
    }

    @Test
    void nullsAreBackslashN() throws Exception {
        StringBuilder out = new StringBuilder();
        EventRow.of(Events.read(Events.id("p"), T, null, "sys/health")).appendCopy(out);
        assertThat(out.toString().split("\t")[2]).isEqualTo("\\N");
    }
}
