package io.auditrail.core.event;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditrail.core.entry.AuditEntry;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One event as the topology emits it: the core event with its {@link Pairing}. On the wire the event's own
 * fields plus a {@code pairing} object, so consumers of schema 1 that ignore unknown fields read it unchanged.
 */
public record PairedEvent(AuditEvent event, Pairing pairing) {
    private static final ObjectMapper JSON = EventCodec.mapper();

    /** The outcome that counts: the response's for a paired request, else the entry's own. */
    public Outcome effectiveOutcome() {
        return pairing.responseOutcome() != null ? pairing.responseOutcome() : event.outcome();
    }

    /** The token TTL a login or token creation issued, from the response (carried onto the paired request). */
    public Long issuedTokenTtl() {
        return pairing.issuedTokenTtl() != null ? pairing.issuedTokenTtl() : event.issuedTokenTtl();
    }

    /**
     * The one event per Vault request that rules look at: the request entry (paired or not), or a response whose
     * request never arrived. Paired responses repeat their request and would make every rule fire twice.
     */
    public boolean isPrimary() {
        return AuditEntry.REQUEST.equals(event.type())
                || (AuditEntry.RESPONSE.equals(event.type()) && pairing.status() == PairingStatus.RESPONSE_ONLY);
    }

    /** The record key on {@code vault.audit.events}: the tenant, or {@code -} for platform events. */
    public String topicKey() {
        return event.tenantId() == null ? "-" : event.tenantId();
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(new Wire(event, pairing));
        } catch (IOException e) {
            throw new IllegalStateException("a PairedEvent always serialises", e);
        }
    }

    public static PairedEvent fromJson(byte[] json) {
        try {
            Wire w = JSON.readValue(json, Wire.class);
            return new PairedEvent(w.event, w.pairing == null ? Pairing.of(PairingStatus.NOT_PAIRED) : w.pairing);
        } catch (IOException e) {
            throw new UncheckedIOException("not a paired event", e);
        }
    }

    /** The wire shape: the event's fields at the top level, {@code pairing} beside them. */
    static final class Wire {
        @JsonUnwrapped
        public AuditEvent event;
        public Pairing pairing;

        Wire() {
        }

        Wire(AuditEvent event, Pairing pairing) {
            this.event = event;
            this.pairing = pairing;
        }
    }
}
