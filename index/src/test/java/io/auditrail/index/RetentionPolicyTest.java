package io.auditrail.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 4, 10);

    @Test
    void partitionsAreNamedAndBoundedByUtcDay() {
        EventPartition p = new EventPartition(LocalDate.of(2026, 1, 5));
        assertThat(p.tableName()).isEqualTo("audit_event_p20260105");
        assertThat(p.from()).isEqualTo(Instant.parse("2026-01-05T00:00:00Z"));
        assertThat(p.to()).isEqualTo(Instant.parse("2026-01-06T00:00:00Z"));
        assertThat(EventPartition.parse("audit_event_p20260105")).contains(p);
        assertThat(EventPartition.parse("audit_event_p20261345")).isEmpty();
        assertThat(EventPartition.parse("audit_event_default")).isEmpty();
        assertThat(EventPartition.of(Instant.parse("2026-01-05T23:59:59.999999Z"))).isEqualTo(p);
        assertThat(EventPartition.of(Instant.parse("2026-01-06T00:00:00Z")).day()).isEqualTo(LocalDate.of(2026, 1, 6));
    }

    @Test
    void ninetyDaysKeepsTheNinetyDaysBeforeTodayAndToday() {
        RetentionPolicy p = new RetentionPolicy(90, 7);
        assertThat(p.oldestRetained(TODAY)).isEqualTo(LocalDate.of(2026, 1, 10));
        assertThat(p.isExpired(LocalDate.of(2026, 1, 10), TODAY)).isFalse();
        assertThat(p.isExpired(LocalDate.of(2026, 1, 9), TODAY)).isTrue();
        assertThat(p.isTooFarAhead(LocalDate.of(2026, 4, 17), TODAY)).isFalse();
        assertThat(p.isTooFarAhead(LocalDate.of(2026, 4, 18), TODAY)).isTrue();
    }

    @Test
    void aheadIsTodayThroughTheLastDayAhead() {
        assertThat(new RetentionPolicy(90, 2).ahead(TODAY)).extracting(EventPartition::tableName)
                .containsExactly("audit_event_p20260410", "audit_event_p20260411", "audit_event_p20260412");
    }

    @Test
    void onlyPartitionsBeforeTheRetentionStartAreDropped() {
        RetentionPolicy p = new RetentionPolicy(3, 1);
        List<EventPartition> existing = List.of(day(10), day(6), day(7), day(5), day(8), day(11));
        assertThat(p.toDrop(existing, TODAY)).containsExactly(day(5), day(6));
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> new RetentionPolicy(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetentionPolicy(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static EventPartition day(int d) {
        return new EventPartition(LocalDate.of(2026, 4, d));
    }
}
