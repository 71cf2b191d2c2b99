package io.auditrail.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.core.event.Actor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Descriptions reach people (alerts, PagerDuty, the console): an actor without a name must not read "null". */
class FindingTest {
    private static Actor actor(String entityId, String displayName) {
        return new Actor(entityId, displayName, List.of("default"), "service", 3600L, null, "10.0.0.1", 4000);
    }

    @Test
    void whoNamesTheSubjectAndTheDisplayNameWhenThereIsOne() {
        assertThat(Finding.who("entity:e1", actor("e1", "alice"))).isEqualTo("entity:e1 (alice)");
        assertThat(Finding.who("entity:e1", actor("e1", null))).isEqualTo("entity:e1");
        assertThat(Finding.who("entity:e1", null)).isEqualTo("entity:e1");
    }

    @Test
    void nameFallsBackToTheEntityThenToAPhrase() {
        assertThat(Finding.name(actor("e1", "alice"))).isEqualTo("alice");
        assertThat(Finding.name(actor("e1", null))).isEqualTo("e1");
        assertThat(Finding.name(actor(null, ""))).isEqualTo("an unnamed token");
    }
}
