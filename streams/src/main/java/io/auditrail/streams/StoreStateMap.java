package io.auditrail.streams;

import io.auditrail.streams.state.StateMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** A {@link StateMap} backed by a Kafka Streams key-value store (changelogged, so it survives a restart). */
final class StoreStateMap<V> implements StateMap<V> {
    private final KeyValueStore<String, V> store;

    StoreStateMap(KeyValueStore<String, V> store) {
        this.store = store;
    }

    @Override
    public V get(String key) {
        return store.get(key);
    }

    @Override
    public void put(String key, V value) {
        store.put(key, value);
    }

    /** A put of null, not {@code store.delete}: that returns the old value, decoding what is thrown away. */
    @Override
    public void delete(String key) {
        store.put(key, null);
    }

    @Override
    public List<Map.Entry<String, V>> entries() {
        List<Map.Entry<String, V>> out = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, V> kv = it.next();
                out.add(Map.entry(kv.key, kv.value));
            }
        }
        return out;
    }
}
