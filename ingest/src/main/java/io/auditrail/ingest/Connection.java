package io.auditrail.ingest;

import io.micrometer.core.instrument.Counter;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;

/**
 * One accepted connection and what ingest knows of it: who it is, how far it is trusted, its unfinished line and
 * its timers. Owned by the receiver thread.
 */
final class Connection {
    /** How far a connection is trusted, lowest first: what is shed first when room runs out. */
    enum Standing {
        /** From an address outside {@code ingest.allowed.cidrs}: its first line is kept aside, then it is closed. */
        STRANGER,
        /** Allowed address, no accepted line yet on this connection nor from its address. */
        UNPROVEN,
        /**
         * No accepted line yet, but its address sent some before: Vault reconnecting (a SIGHUP reopens the socket
         * device's connection, which may then stay quiet for as long as Vault has nothing to audit).
         */
        KNOWN,
        /** Has delivered an accepted line (with a valid prefix, when prefixes are configured). */
        PROVEN
    }

    final String peer;
    /** The address without the port (the listener for a unix socket peer): what the per-address cap counts. */
    final String host;
    final String listener;
    final byte[] peerBytes;
    final byte[] listenerBytes;
    /** Null for a stranger, whose bytes go to {@link #head} instead. */
    final LineFramer framer;
    final long openedNanos;
    SelectionKey key;
    Standing standing;
    boolean closed;
    long lastActivityNanos;
    /** When the unfinished line began; 0 when there is none. */
    long partialSinceNanos;
    /** Lines of the source node counted once this connection delivered an accepted line. */
    Counter nodeLines;

    /** A stranger's first bytes, up to its first newline. */
    byte[] head;
    int headLength;
    boolean headKept;

    /** Source bytes per prefix entry ("name NUL peer"), made once per connection and entry. */
    private byte[][] sourceByEntry;

    Connection(String peer, String host, String listener, LineFramer framer, Standing standing, long nowNanos) {
        this.peer = peer;
        this.host = host;
        this.listener = listener;
        this.peerBytes = peer.getBytes(StandardCharsets.UTF_8);
        this.listenerBytes = listener.getBytes(StandardCharsets.UTF_8);
        this.framer = framer;
        this.standing = standing;
        this.openedNanos = nowNanos;
        this.lastActivityNanos = nowNanos;
    }

    /**
     * The spool's source field for a line: the peer, or, for a line that carried prefix {@code entry}, the entry's
     * name, a NUL and the peer (the sender splits them into two headers).
     */
    byte[] source(AuditPrefixes prefixes, int entry) {
        if (entry < 0) {
            return peerBytes;
        }
        if (sourceByEntry == null) {
            sourceByEntry = new byte[prefixes.size()][];
        }
        byte[] s = sourceByEntry[entry];
        if (s == null) {
            s = SpoolRecord.source(prefixes.entry(entry).name(), peer);
            sourceByEntry[entry] = s;
        }
        return s;
    }

    /** Bytes this connection holds for its unfinished line. */
    long heldBytes() {
        return framer == null ? 0 : framer.heldBytes();
    }
}
