package io.auditrail.simulator;

import java.time.Instant;
import java.util.Arrays;

/**
 * One audit line as a Vault node's socket device writes it, with what the generator knows about it.
 *
 * @param node      the Vault node (connection) that writes it, 0-based
 * @param requestId {@code request.id}, the raw topic's key
 * @param type      {@code request} or {@code response}
 * @param line      the bytes on the wire, JSON then {@code \n}
 * @param timeNanos the entry's {@code time}, epoch nanoseconds
 * @param tenant    the tenant the entry resolves to, null for platform entries and logins' requests
 * @param kind      what the request does
 * @param plant     the planted anomaly whose triggering request this line (request or response) is, else null
 */
public record GeneratedLine(int node, String requestId, String type, byte[] line, long timeNanos, String tenant,
                           OperationKind kind, PlantedRule plant) {
    /** The entry without the newline: the value ingest puts on {@code vault.audit.raw}. */
    public byte[] json() {
        return Arrays.copyOf(line, line.length - 1);
    }

    public Instant time() {
        return Instant.ofEpochSecond(0, timeNanos);
    }
}
