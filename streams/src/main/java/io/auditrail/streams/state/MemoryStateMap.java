package io.auditrail.streams.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A {@link StateMap} in memory, for {@code auditrail inspect} and tests; sorted, so sweeps are deterministic. */
public final class MemoryStateMap<V> implements StateMap<V> {
    private final TreeMap<String, V> map = new TreeMap<>();

    @Override
    public V get(String key) {
        return map.get(key);
    }

    @Override
    public void put(String key, V value) {
        map.put(key, value);
    }

    @Override
    public void delete(String key) {
        map.remove(key);
    }

    @Override
    public List<Map.Entry<String, V>> entries() {
        List<Map.Entry<String, V>> out = new ArrayList<>(map.size());
        map.forEach((k, v) -> out.add(Map.entry(k, v)));
        return out;
    }

    public int size() {
        return map.size();
    }
}
