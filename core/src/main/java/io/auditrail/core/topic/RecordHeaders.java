package io.auditrail.core.topic;

/** Names of the Kafka record headers the stages write and read; values are UTF-8 text. */
public final class RecordHeaders {
    /** On {@code vault.audit.raw}: the Vault node's address as ingest saw it (host:port of the peer). */
    public static final String SOURCE_NODE = "auditrail.source";
    /**
     * On {@code vault.audit.raw}: the name of the {@code ingest.auth.prefixes} entry whose prefix the line carried,
     * i.e. which Vault cluster or node vouched for it; absent when ingest checks no prefix.
     */
    public static final String SOURCE_NAME = "auditrail.source.name";
    /** On {@code vault.audit.raw}: when ingest read the line, RFC 3339 UTC. */
    public static final String RECEIVED_AT = "auditrail.received";
    /** On {@code vault.audit.raw}: the listener that accepted it, e.g. {@code tcp://0.0.0.0:9090}. */
    public static final String LISTENER = "auditrail.listener";
    /** On {@code vault.audit.dlq}: the failure kind, e.g. {@code NOT_JSON} or {@code OVERSIZE}. */
    public static final String DLQ_FAILURE = "auditrail.dlq.failure";
    /** On {@code vault.audit.dlq}: a one-line human reason; never contains the line's content. */
    public static final String DLQ_REASON = "auditrail.dlq.reason";
    /** On {@code vault.audit.dlq}: the stage that gave up on the record ({@code ingest}, {@code streams}, ...). */
    public static final String DLQ_STAGE = "auditrail.dlq.stage";
    /** On {@code vault.audit.dlq}: where the record came from, {@code topic/partition/offset}, when it had a place. */
    public static final String DLQ_ORIGIN = "auditrail.dlq.origin";

    /**
     * On records re-published from the archive ({@code auditrail replay}): the line's original
     * {@code partition/offset} in {@code vault.audit.raw}. Kafka Streams carries headers from the raw record to the
     * events and anomalies derived from it, so consumers that notify people (alerts) skip records that have it, and
     * the archiver does not store a line twice.
     */
    public static final String REPLAY_ORIGIN = "auditrail.replay.origin";

    private RecordHeaders() {
    }
}
