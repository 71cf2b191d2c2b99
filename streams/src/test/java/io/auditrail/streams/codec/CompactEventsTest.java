package io.auditrail.streams.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditrail.core.event.Actor;
import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.EventCodec;
import io.auditrail.core.event.EventEnricher;
import io.auditrail.core.event.Outcome;
import io.auditrail.core.event.PairedEvent;
import io.auditrail.core.event.Pairing;
import io.auditrail.core.event.PairingStatus;
import io.auditrail.core.event.RawPosition;
import io.auditrail.core.parse.AuditEntryParser;
import io.auditrail.core.parse.MalformedEntryException;
import io.auditrail.core.testing.VaultSamples;
import io.auditrail.core.tenant.TenantSource;
import io.auditrail.streams.Codecs;
import io.auditrail.streams.pairing.WaitingEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompactEventsTest {
    private static AuditEvent everyField() {
        return new AuditEvent(1, "0b7c6a2e-1f00-8000-8000-000000000001", "req-1", "response",
                Instant.parse("2026-11-02T10:00:00.123456789Z"), "acme", TenantSource.PATH, "globex", "acme", "read",
                "secret/data/tenants/acme/db", "tenants/acme/db", "kv", "secret/", "ns1/",
                Outcome.DENIED, "1 error occurred:\n\t* permission denied\n\n",
                new Actor("e-1", "approle-ü", List.of("default", "app"), "service", 3600L, "hmac-sha256:acc", "10.0.0.7",
                        51234), 2_764_800L, "10.0.0.2:8201", List.of("auth.client_token", "auth.accessor"),
                new RawPosition(2, 1L << 40));
    }

    private static AuditEvent fewestFields() {
        return new AuditEvent(1, "id", null, "request", null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, List.of(), null);
    }

    @Test
    void everyFieldAndEveryAbsenceSurviveARoundTrip() {
        for (AuditEvent e : List.of(everyField(), fewestFields())) {
            for (Pairing p : List.of(new Pairing(PairingStatus.PAIRED, "other", Outcome.ERROR, "boom", 60L),
                    Pairing.of(PairingStatus.UNANSWERED))) {
                PairedEvent paired = new PairedEvent(e, p);
                assertThat(CompactEvents.pairedEvent(CompactEvents.pairedEvent(paired))).isEqualTo(paired);
            }
            WaitingEntry w = new WaitingEntry(e, -5L, "0/41");
            assertThat(CompactEvents.waitingEntry(CompactEvents.waitingEntry(w))).isEqualTo(w);
        }
    }

    @Test
    void everyRealSampleLineSurvivesARoundTripAndIsSmallerThanItsJson() throws Exception {
        Path corpus = VaultSamples.require();
        AuditEntryParser parser = new AuditEntryParser();
        EventEnricher enricher = EventEnricher.defaults();
        List<AuditEvent> events = new ArrayList<>();
        for (VaultSamples.Line line : VaultSamples.lines(corpus)) {
            try {
                events.add(enricher.enrich(parser.parse(line.bytes()), line.bytes()));
            } catch (MalformedEntryException e) {
                // not an entry
            }
        }
        assertThat(events).hasSizeGreaterThan(10);
        for (AuditEvent e : events) {
            PairedEvent paired = new PairedEvent(e, Pairing.of(PairingStatus.NOT_PAIRED));
            byte[] compact = CompactEvents.pairedEvent(paired);
            assertThat(CompactEvents.pairedEvent(compact)).isEqualTo(paired);
            assertThat(compact.length).isLessThan(paired.toJson().length);
        }
    }

    @Test
    void aValueCutShortFailsLoudlyInsteadOfMisreading() {
        byte[] whole = CompactEvents.pairedEvent(new PairedEvent(everyField(), Pairing.of(PairingStatus.PAIRED)));
        for (int cut = 1; cut < whole.length; cut++) {
            byte[] part = Arrays.copyOf(whole, cut);
            assertThatThrownBy(() -> CompactEvents.pairedEvent(part)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> CompactEvents.pairedEvent(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSerdesStillReadTheJsonOfEarlierVersions() {
        PairedEvent paired = new PairedEvent(everyField(), Pairing.of(PairingStatus.PAIRED));
        assertThat(Codecs.internalPairedEvent().deserializer().deserialize("t", paired.toJson())).isEqualTo(paired);
        // what the store held before (PendingRequest): the event's JSON and a deadline
        String oldStoreValue = "{\"event\":" + new String(EventCodec.toBytes(everyField()), StandardCharsets.UTF_8)
                + ",\"deadline_ms\":120000}";
        WaitingEntry old = Codecs.waitingEntry().deserializer().deserialize("t",
                oldStoreValue.getBytes(StandardCharsets.UTF_8));
        assertThat(old.event()).isEqualTo(everyField());
        assertThat(old.sinceMs()).isZero();
        assertThat(old.replayOrigin()).isNull();
    }
}
