package io.auditrail.core.event;

/** Where the raw line of an event sits in {@code vault.audit.raw}, so the archived line can be found. */
public record RawPosition(int partition, long offset) {
}
