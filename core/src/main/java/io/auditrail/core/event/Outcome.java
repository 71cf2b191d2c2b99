package io.auditrail.core.event;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a request ended, derived from Vault's error text by substring (its wording varies by version). */
public enum Outcome {
    OK, DENIED, ERROR;

    /**
     * {@code permission denied} appears plain in request entries and inside Go's multi-error text
     * ({@code "1 error occurred:\n\t* permission denied\n\n"}) in response entries; since 1.17 a bad
     * token also says {@code invalid token}.
     */
    public static Outcome of(String error) {
        if (error == null || error.isEmpty()) {
            return OK;
        }
        String e = error.toLowerCase(Locale.ROOT);
        if (e.contains("permission denied") || e.contains("invalid token")) {
            return DENIED;
        }
        return ERROR;
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
