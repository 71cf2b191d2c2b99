package io.auditrail.streams.state;

/** Hands out the named state a component needs; the topology opens Kafka stores, inspect makes maps in memory. */
public interface StateMaps {
    StateMaps IN_MEMORY = new StateMaps() {
        @Override
        public <V> StateMap<V> open(String storeName, Class<V> type) {
            return new MemoryStateMap<>();
        }
    };

    <V> StateMap<V> open(String storeName, Class<V> type);
}
