package io.auditrail.infra;

import java.util.List;
import java.util.Map;

/** Null-tolerant navigation of parsed YAML (maps, lists, scalars). */
final class Y {
    private Y() {
    }

    /** The value at a path of map keys; null when any step is missing or not a map. */
    static Object at(Object node, String... keys) {
        Object cur = node;
        for (String k : keys) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(k);
        }
        return cur;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String... keys) {
        Object v = at(node, keys);
        return v instanceof Map ? (Map<String, Object>) v : Map.of();
    }

    static List<?> list(Object node, String... keys) {
        Object v = at(node, keys);
        return v instanceof List<?> l ? l : List.of();
    }

    static String str(Object node, String... keys) {
        Object v = at(node, keys);
        return v == null ? null : String.valueOf(v);
    }
}
