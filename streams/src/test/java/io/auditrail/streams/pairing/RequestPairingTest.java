package io.auditrail.streams.pairing;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.EventEnricher;
import io.auditrail.core.event.Outcome;
import io.auditrail.core.event.PairedEvent;
import io.auditrail.core.event.Pairing;
import io.auditrail.core.event.PairingStatus;
import io.auditrail.core.parse.AuditEntryParser;
import io.auditrail.streams.state.MemoryStateMap;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RequestPairingTest {
    private final MemoryStateMap<WaitingEntry> waiting = new MemoryStateMap<>();
    private final RequestPairing pairing = new RequestPairing(waiting, Duration.ofSeconds(60), Set.of("sys/seal"),
            Long.MIN_VALUE);

    private static AuditEvent event(String type, String id, String path) throws Exception {
        return event(type, id, path, "2026-11-02T10:00:00Z", null);
    }

    private static AuditEvent event(String type, String id, String path, String time, String error) throws Exception {
        String err = error == null ? "" : ",\"error\":\"" + error + "\"";
        byte[] line = ("{\"time\":\"" + time + "\",\"type\":\"" + type + "\",\"request\":{\"id\":\"" + id
                + "\",\"operation\":\"update\",\"path\":\"" + path + "\"}" + err + "}").getBytes(StandardCharsets.UTF_8);
        return EventEnricher.defaults().enrich(new AuditEntryParser().parse(line), line);
    }

    private static List<PairedEvent> events(List<RequestPairing.Release> released) {
        return released.stream().map(RequestPairing.Release::event).toList();
    }

    @Test
    void aResponseThatArrivesFirstWaitsAndPairsWithItsLateRequest() throws Exception {
        AuditEvent request = event("request", "r-1", "secret/data/x");
        AuditEvent response = event("response", "r-1", "secret/data/x", "2026-11-02T10:00:00.002Z",
                "1 error occurred:\\n\\t* permission denied\\n\\n");
        assertThat(pairing.accept(response, 0, null)).isEmpty();
        List<PairedEvent> out = events(pairing.accept(request, 59_000, null));
        assertThat(out).extracting(e -> e.event().type()).containsExactly("request", "response");
        assertThat(out).allSatisfy(e -> assertThat(e.pairing().status()).isEqualTo(PairingStatus.PAIRED));
        assertThat(out.get(0).pairing().counterpartEventId()).isEqualTo(response.eventId());
        assertThat(out.get(1).pairing().counterpartEventId()).isEqualTo(request.eventId());
        // the request carries the response's outcome whichever came first
        assertThat(out.get(0).pairing().responseOutcome()).isEqualTo(Outcome.DENIED);
        assertThat(waiting.size()).isZero();
        assertThat(pairing.flush()).isEmpty();
    }

    @Test
    void aResentLineWaitsOnceFromItsFirstArrivalAndPairsOnce() throws Exception {
        AuditEvent request = event("request", "r-1", "secret/data/x");
        assertThat(pairing.accept(request, 0, null)).isEmpty();
        assertThat(pairing.accept(request, 30_000, null)).isEmpty();
        assertThat(waiting.size()).isEqualTo(1);
        // the copy did not push the deadline out
        assertThat(events(pairing.expire(60_000))).singleElement()
                .satisfies(e -> assertThat(e.pairing().status()).isEqualTo(PairingStatus.UNANSWERED));
        assertThat(pairing.accept(event("request", "r-2", "x"), 0, null)).isEmpty();
        assertThat(pairing.accept(event("response", "r-2", "x"), 10, null)).hasSize(2);
        assertThat(waiting.size()).isZero();
    }

    @Test
    void aSecondDistinctEntryOfTheSameTypeIsLetGoUnpairedNotLost() throws Exception {
        AuditEvent first = event("request", "r-1", "x", "2026-11-02T10:00:00Z", null);
        AuditEvent second = event("request", "r-1", "x", "2026-11-02T10:00:01Z", null);
        pairing.accept(first, 0, null);
        assertThat(events(pairing.accept(second, 5, null))).singleElement().satisfies(e -> {
            assertThat(e.event().eventId()).isEqualTo(first.eventId());
            assertThat(e.pairing().status()).isEqualTo(PairingStatus.NOT_PAIRED);
        });
        assertThat(events(pairing.accept(event("response", "r-1", "x"), 10, null)))
                .extracting(e -> e.event().eventId()).first().isEqualTo(second.eventId());
    }

    @Test
    void theTimeoutCountsFromArrivalIsInclusiveAndReleasesTheLongestWaitingFirst() throws Exception {
        pairing.accept(event("request", "r-2", "a"), 1_000, null);
        pairing.accept(event("response", "r-1", "b"), 0, null);
        assertThat(pairing.expire(59_999)).isEmpty();
        assertThat(events(pairing.expire(61_000))).extracting(p -> p.event().requestId() + ":" + p.pairing().status())
                .containsExactly("r-1:RESPONSE_ONLY", "r-2:UNANSWERED");
        assertThat(pairing.flush()).isEmpty();
    }

    @Test
    void entriesRestoredFromAnEarlierRunWaitAWholeTimeoutFromTheRestart() throws Exception {
        pairing.accept(event("request", "r-1", "a"), 0, null);
        // the stage was down for ten minutes; the new instance takes the state over at 600 s
        RequestPairing resumed = new RequestPairing(waiting, Duration.ofSeconds(60), Set.of(), 600_000);
        assertThat(resumed.expire(659_999)).isEmpty();
        assertThat(events(resumed.accept(event("response", "r-1", "a"), 650_000, null)))
                .allSatisfy(e -> assertThat(e.pairing().status()).isEqualTo(PairingStatus.PAIRED));
        resumed.accept(event("request", "r-2", "a"), 0, null);
        assertThat(resumed.expire(660_000)).hasSize(1);
    }

    @Test
    void theReplayMarkOfEachEntryTravelsToItsOwnEvent() throws Exception {
        pairing.accept(event("response", "r-1", "a"), 0, "0/41");
        List<RequestPairing.Release> out = pairing.accept(event("request", "r-1", "a"), 1, "0/40");
        assertThat(out).extracting(RequestPairing.Release::replayOrigin).containsExactly("0/40", "0/41");
        pairing.accept(event("request", "r-2", "a"), 0, "0/42");
        assertThat(pairing.expire(60_000)).extracting(RequestPairing.Release::replayOrigin).containsExactly("0/42");
    }

    @Test
    void requestsVaultNeverAnswersAndUnpairableEntriesPassStraightThrough() throws Exception {
        assertThat(events(pairing.accept(event("request", "r-8", "sys/seal"), 0, null))).singleElement()
                .satisfies(p -> assertThat(p.pairing().status()).isEqualTo(PairingStatus.NO_RESPONSE_EXPECTED));
        assertThat(events(pairing.accept(event("kmip-request", "r-9", "x"), 0, null))).singleElement()
                .satisfies(p -> assertThat(p.pairing().status()).isEqualTo(PairingStatus.NOT_PAIRED));
        assertThat(waiting.size()).isZero();
    }

    @Test
    void anyOrderGivesTheSameEventsAndOnlyTheTrulyUnansweredAreGaps() throws Exception {
        List<AuditEvent> lines = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            lines.add(event("request", "r-" + i, "secret/data/x"));
            if (i % 20 != 7) { // ten requests whose response never comes
                lines.add(event("response", "r-" + i, "secret/data/x"));
            }
        }
        Map<String, PairingStatus> inOrder = statuses(lines);
        assertThat(inOrder.values().stream().filter(s -> s == PairingStatus.UNANSWERED).count()).isEqualTo(10);
        assertThat(inOrder).hasSize(390);
        for (long seed = 1; seed <= 5; seed++) {
            List<AuditEvent> shuffled = new ArrayList<>(lines);
            Collections.shuffle(shuffled, new Random(seed));
            assertThat(statuses(shuffled)).isEqualTo(inOrder);
        }
    }

    private static Map<String, PairingStatus> statuses(List<AuditEvent> lines) {
        RequestPairing p = new RequestPairing(new MemoryStateMap<>(), Duration.ofSeconds(60), Set.of(), Long.MIN_VALUE);
        List<PairedEvent> out = new ArrayList<>();
        long now = 0;
        for (AuditEvent e : lines) {
            out.addAll(events(p.accept(e, now++, null)));
        }
        out.addAll(events(p.expire(now + 60_000)));
        return out.stream().collect(Collectors.toMap(e -> e.event().eventId(), e -> e.pairing().status(),
                (a, b) -> { throw new AssertionError("one event twice"); }, TreeMap::new));
    }

    @Test
    void thePairedEventJsonIsTheEventPlusAPairingObject() throws Exception {
        PairedEvent e = new PairedEvent(event("request", "r-1", "x"), Pairing.of(PairingStatus.UNANSWERED));
        String json = new String(e.toJson(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"event_id\":", "\"pairing\":{\"status\":\"unanswered\"");
        assertThat(PairedEvent.fromJson(e.toJson())).isEqualTo(e);
    }
}
