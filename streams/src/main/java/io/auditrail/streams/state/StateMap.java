package io.auditrail.streams.state;

import java.util.List;
import java.util.Map;

/**
 * The state a rule or the pairing keeps, by string key: the one seam between the plain logic and where the state
 * lives. The topology backs it with a Kafka Streams key-value store (changelogged, restored after a restart);
 * {@code auditrail inspect} with a map in memory. Single-threaded: one processor task owns each instance.
 */
public interface StateMap<V> {
    V get(String key);

    void put(String key, V value);

    void delete(String key);

    /** Every entry, copied out, so the caller may delete while walking it (sweeps of expired state). */
    List<Map.Entry<String, V>> entries();
}
