package io.auditrail.streams.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TenantProfileTest {
    @Test
    void readsTheDocumentedJson() throws Exception {
        TenantProfile p = TenantProfile.fromJson(("{\"tenant_id\":\"acme\",\"name\":\"Acme\",\"time_zone\":"
                + "\"Europe/Berlin\",\"business_hours\":{\"days\":[\"MONDAY\"],\"start\":\"08:00\",\"end\":\"18:00\"},"
                + "\"entity_ids\":[\"e-1\"],\"added_later\":true}").getBytes(StandardCharsets.UTF_8));
        assertThat(p.businessHours().days()).containsExactly(DayOfWeek.MONDAY);
        assertThat(p.entityIds()).containsExactly("e-1");
        assertThat(TenantProfile.fromJson(p.toJson())).isEqualTo(p);
    }

    @Test
    void aBadZoneIsRefusedWhenRead() {
        assertThatThrownBy(() -> TenantProfile.fromJson("{\"tenant_id\":\"a\",\"time_zone\":\"Mars/Olympus\"}"
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("Mars/Olympus");
    }

    @Test
    void aNightShiftBelongsToTheDayItStarted() {
        TenantProfile night = new TenantProfile("n", null, "UTC", new TenantProfile.BusinessHours(
                Set.of(DayOfWeek.FRIDAY), LocalTime.of(22, 0), LocalTime.of(6, 0)), List.of());
        assertThat(night.isOutsideBusinessHours(Instant.parse("2026-11-06T23:00:00Z"))).isFalse(); // Fri 23:00
        assertThat(night.isOutsideBusinessHours(Instant.parse("2026-11-07T05:00:00Z"))).isFalse(); // Sat 05:00
        assertThat(night.isOutsideBusinessHours(Instant.parse("2026-11-07T23:00:00Z"))).isTrue();  // Sat 23:00
        assertThat(night.isOutsideBusinessHours(Instant.parse("2026-11-06T12:00:00Z"))).isTrue();  // Fri noon
    }

    @Test
    void anEntityClaimedTwiceGoesToTheSmallerTenantId() {
        EntityIndex index = new EntityIndex();
        index.rebuild(List.of(new TenantProfile("b", null, null, null, List.of("e-1", "e-2")),
                new TenantProfile("a", null, null, null, List.of("e-1"))));
        assertThat(index.tenantOfEntity("e-1")).contains("a");
        assertThat(index.tenantOfEntity("e-2")).contains("b");
        index.rebuild(List.of());
        assertThat(index.tenantOfEntity("e-2")).isEmpty();
    }
}
