package io.auditrail.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class CommitTrackerTest {
    private static final TopicPartition P0 = new TopicPartition("a", 0);
    private static final TopicPartition P1 = new TopicPartition("a", 1);

    @Test
    void anOffsetIsReleasedOnlyWhenEveryRecordBeforeItIsDone() {
        CommitTracker t = new CommitTracker();
        CompletableFuture<Void> slow = new CompletableFuture<>();
        t.add(P0, 10, CompletableFuture.completedFuture(null));
        t.add(P0, 11, slow);
        t.add(P0, 12, CompletableFuture.completedFuture(null));
        t.add(P1, 5, CompletableFuture.completedFuture(null));
        assertThat(t.takeCommittable()).isEqualTo(Map.of(P0, new OffsetAndMetadata(11), P1, new OffsetAndMetadata(6)));
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.takeCommittable()).isEmpty();
        slow.complete(null);
        assertThat(t.takeCommittable()).isEqualTo(Map.of(P0, new OffsetAndMetadata(13)));
        assertThat(t.size()).isZero();
    }

    @Test
    void forgottenPartitionsReleaseNothing() {
        CommitTracker t = new CommitTracker();
        t.add(P0, 1, CompletableFuture.completedFuture(null));
        t.add(P1, 1, new CompletableFuture<>());
        t.forget(List.of(P0));
        assertThat(t.takeCommittable()).isEmpty();
        assertThat(t.size()).isEqualTo(1);
    }
}
