package io.auditrail.ingest;

import java.util.Locale;

/** What ingest does with newly read lines when the disk spool has reached {@code ingest.spool.max.bytes}. */
public enum SpoolFullPolicy {
    /**
     * Stop reading from Vault until the sender frees space. Nothing already read is lost; Vault's writes then
     * time out after its {@code write_timeout} and Vault reports the audit failure (and, if this is its only
     * device, fails client requests): completeness over availability. Logged loudly and counted.
     */
    BLOCK,
    /**
     * Keep reading and discard the lines that do not fit, each counted as dropped with reason
     * {@code spool_full} and logged: Vault keeps serving, availability over completeness. Use only with a
     * second audit device (a file device) that keeps what is dropped here.
     */
    REJECT;

    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static SpoolFullPolicy of(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
