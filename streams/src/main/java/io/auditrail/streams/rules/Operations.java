package io.auditrail.streams.rules;

import java.util.Set;

/** Vault operations that change configuration: what the *_change rules watch for. */
final class Operations {
    private static final Set<String> WRITES = Set.of("create", "update", "delete", "patch");

    private Operations() {
    }

    static boolean isWrite(String operation) {
        return operation != null && WRITES.contains(operation);
    }
}
