package io.auditrail.core.event;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How an event relates to its counterpart entry (request or response with the same {@code request.id}). */
public enum PairingStatus {
    /** A request and its response met; both events carry it. */
    PAIRED,
    /** A request whose response did not arrive within the pairing timeout: an audit gap. */
    UNANSWERED,
    /** A request Vault never answers in the audit log ({@code sys/seal}, {@code sys/step-down}, ...). */
    NO_RESPONSE_EXPECTED,
    /** A response whose request was not waiting (it came after the timeout, or was lost before Kafka). */
    RESPONSE_ONLY,
    /** Not pairable: no {@code request.id}, or a type other than request/response ({@code kmip-request}). */
    NOT_PAIRED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
