package io.auditrail.core.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the topology adds to an event (the {@code pairing} object on {@code vault.audit.events}).
 *
 * @param counterpartEventId the other entry's event id (the response's on a request, the request's on a response)
 * @param responseOutcome    on a paired request: the response's outcome, which is the request's real outcome
 * @param responseError      on a paired request: the response's error text
 * @param issuedTokenTtl     on a paired request: TTL (s) of a token the response created
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Pairing(PairingStatus status, String counterpartEventId, Outcome responseOutcome, String responseError,
                      Long issuedTokenTtl) {

    public static Pairing of(PairingStatus status) {
        return new Pairing(status, null, null, null, null);
    }
}
