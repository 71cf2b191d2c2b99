package io.auditrail.core.entry;

import java.util.Objects;

/**
 * A JSON value kept exactly as Vault wrote it: free-form maps ({@code data}, {@code headers}) and
 * fields this version of the model does not know, so nothing in a line is lost and no tree is built
 * on the hot path.
 */
public record RawJson(String json) {
    public RawJson {
        Objects.requireNonNull(json, "json");
    }

    @Override
    public String toString() {
        return json;
    }
}
