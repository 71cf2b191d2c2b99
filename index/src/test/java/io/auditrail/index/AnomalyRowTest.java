package io.auditrail.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class AnomalyRowTest {
    @Test
    void mapsTheAnomaly() throws Exception {
        String id = Events.id("an");
        AnomalyRow r = AnomalyRow.fromJson(Events.json(Events.anomaly(id, 2, 7, Events.id("e1"), Events.id("e2"))));
        assertThat(r.anomalyId()).isEqualTo(UUID.fromString(id));
        assertThat(r.severity()).isEqualTo("critical");
        assertThat(r.revision()).isEqualTo(2);
        assertThat(r.firedCount()).isEqualTo(7);
        assertThat(r.eventIds()).containsExactly(UUID.fromString(Events.id("e1")), UUID.fromString(Events.id("e2")));
    }

    @Test
    void theHighestRevisionOfEachIdWinsWithinABatch() throws Exception {
        AnomalyRow a1 = AnomalyRow.of(Events.anomaly(Events.id("a"), 1, 1));
        AnomalyRow b1 = AnomalyRow.of(Events.anomaly(Events.id("b"), 1, 1));
        AnomalyRow a2 = AnomalyRow.of(Events.anomaly(Events.id("a"), 2, 5));
        AnomalyRow a1again = AnomalyRow.of(Events.anomaly(Events.id("a"), 1, 1));
        assertThat(AnomalyRow.latestPerId(List.of(a1, b1, a2, a1again), Function.identity()))
                .containsExactly(a2, b1);
    }

    @Test
    void badAnomaliesAreRejected() {
        assertThatThrownBy(() -> AnomalyRow.fromJson("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(RowRejected.class, e -> assertThat(e.failure()).isEqualTo(IndexFailure.NOT_AN_ANOMALY));
        assertThatThrownBy(() -> AnomalyRow.fromJson("{\"severity\":\"bogus\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(RowRejected.class, e -> assertThat(e.failure()).isEqualTo(IndexFailure.NOT_AN_ANOMALY));
        assertThatThrownBy(() -> AnomalyRow.of(Events.anomaly("x", 1, 1)))
                .isInstanceOfSatisfying(RowRejected.class, e -> assertThat(e.failure()).isEqualTo(IndexFailure.BAD_ID));
        assertThatThrownBy(() -> AnomalyRow.of(Events.anomaly(Events.id("a"), 1, 1, "nope")))
                .isInstanceOfSatisfying(RowRejected.class, e -> assertThat(e.failure()).isEqualTo(IndexFailure.BAD_ID));
    }
}
