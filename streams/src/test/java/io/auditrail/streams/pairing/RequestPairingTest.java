package io.auditrail.streams.pairing;

import io.auditrail.core.event.PairedEvent;
import io.auditrail.core.event.PairingStatus;
import io.auditrail.core.event.Pairing;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.EventEnricher;
import io.auditrail.core.parse.AuditEntryParser;
import io.auditrail.streams.state.MemoryStateMap;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestPairingTest {
    private final MemoryStateMap<PendingRequest> open = new MemoryStateMap<>();
    private final RequestPairing pairing = new RequestPairing(open, Duration.ofSeconds(60), Set.of("sys/seal"));

    private static AuditEvent event(String type, String id, String path) throws Exception {
        byte[] line = ("{\"time\":\"2026-11-02T10:00:00Z\",\"type\":\"" + type + "\",\"request\":{\"id\":\"" + id
                + "\",\"operation\":\"update\",\"path\":\"" + path + "\"}}").getBytes(StandardCharsets.UTF_8);
        return EventEnricher.defaults().enrich(new AuditEntryParser().parse(line), line);
    }

    @Test
    void aResentRequestWaitsOnceAndPairsOnce() throws Exception {
        AuditEvent request = event("request", "r-1", "secret/data/x");
        assertThat(pairing.accept(request, 0)).isEmpty();
        assertThat(pairing.accept(request, 5)).isEmpty();
        assertThat(open.size()).isEqualTo(1);
        assertThat(pairing.accept(event("response", "r-1", "secret/data/x"), 10)).hasSize(2);
        assertThat(open.size()).isZero();
    }

    @Test
    void theDeadlineIsInclusiveAndOldestFirst() throws Exception {
        pairing.accept(event("request", "r-2", "a"), 1_000);
        pairing.accept(event("request", "r-1", "b"), 0);
        assertThat(pairing.expire(59_999)).isEmpty();
        assertThat(pairing.expire(61_000)).extracting(p -> p.event().requestId()).containsExactly("r-1", "r-2");
        assertThat(pairing.flush()).isEmpty();
    }

    @Test
    void aLateResponseIsEmittedAlone() throws Exception {
        assertThat(pairing.accept(event("response", "r-9", "x"), 0)).singleElement()
                .satisfies(p -> assertThat(p.pairing().status()).isEqualTo(PairingStatus.RESPONSE_ONLY));
        assertThat(pairing.accept(event("request", "r-8", "sys/seal"), 0)).singleElement()
                .satisfies(p -> assertThat(p.pairing().status()).isEqualTo(PairingStatus.NO_RESPONSE_EXPECTED));
    }

    @Test
    void thePairedEventJsonIsTheEventPlusAPairingObject() throws Exception {
        PairedEvent e = new PairedEvent(event("request", "r-1", "x"), Pairing.of(PairingStatus.UNANSWERED));
        String json = new String(e.toJson(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"event_id\":", "\"pairing\":{\"status\":\"unanswered\"");
        assertThat(PairedEvent.fromJson(e.toJson())).isEqualTo(e);
    }
}
