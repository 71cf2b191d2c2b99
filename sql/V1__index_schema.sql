-- auditrail index schema, version 1: events (daily partitions), partition bookkeeping, anomalies and their
-- dispositions. Flyway applies this file (index/ ships sql/ as db/migration); it is the only way the schema
-- changes. Reports' tables (API tokens, meta-audit) come with issue 7 as V2+; archive bookkeeping with archive.

-- One row per event of vault.audit.events. Range-partitioned by day (UTC) on event_time; the day partitions
-- (audit_event_pYYYYMMDD) are created ahead and dropped after the retention period by the index stage
-- (io.auditrail.index.PartitionRetention), never by a migration.
-- The primary key has to include the partition key. (event_id, event_time) still dedupes: an event's time is
-- part of its identity (event_id hashes type, request id and time, or the whole line), so a re-delivered event
-- always lands in the same partition with the same key.
CREATE TABLE audit_event (
    event_id           uuid        NOT NULL,
    event_time         timestamptz NOT NULL,   -- Vault's time, truncated to microseconds
    tenant_id          text,                   -- null for platform events (topic key '-')
    tenant_source      text,                   -- metadata, path, directory, none
    type               text        NOT NULL,   -- request, response, kmip-request, ...
    request_id         text,
    operation          text,
    path               text,
    secret_path        text,                   -- KV v2 verb removed: the secret itself
    mount_type         text,
    mount_point        text,
    namespace          text,
    outcome            text        NOT NULL CHECK (outcome IN ('ok', 'denied', 'error')), -- effective outcome
    actor_entity_id    text,
    actor_display_name text,
    remote_address     text,                   -- text, not inet: whatever Vault logged must be indexable
    pairing_status     text,
    raw_partition      integer,                -- where the raw line sits in vault.audit.raw (and the archive)
    raw_offset         bigint,
    detail             jsonb       NOT NULL,   -- every other field of the event (actor policies, error, pairing ...)
    indexed_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, event_time)
) PARTITION BY RANGE (event_time);

-- An auditor's first page: one tenant, newest first (a backward scan), keyset on (event_time, event_id).
CREATE INDEX audit_event_tenant_time ON audit_event (tenant_id, event_time, event_id);
-- Everything one identity did.
CREATE INDEX audit_event_actor_time ON audit_event (actor_entity_id, event_time DESC);
-- Path prefix (path LIKE 'secret/data/tenants/acme/%'): text_pattern_ops works whatever the database collation.
CREATE INDEX audit_event_path_prefix ON audit_event (path text_pattern_ops, event_time);

-- One row per day partition ever created: when, and when it was dropped with how many rows. Dropped rows stay
-- as the proof of retention auditors ask for, and tell the writer that late events for that day are expired.
CREATE TABLE event_partition (
    day          date        PRIMARY KEY,
    table_name   text        NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    dropped_at   timestamptz,
    rows_dropped bigint,
    CHECK ((dropped_at IS NULL) = (rows_dropped IS NULL))
);

-- Anomalies of vault.audit.anomalies, upserted by anomaly_id keeping the highest revision. Not partitioned and
-- not subject to event retention: they and their dispositions are SOC2 evidence, and few.
CREATE TABLE anomaly (
    anomaly_id         uuid        PRIMARY KEY,
    rule               text        NOT NULL,
    severity           text        NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
    tenant_id          text,
    actor              text        NOT NULL,
    actor_display_name text,
    remote_address     text,
    event_ids          uuid[]      NOT NULL,
    window_start       timestamptz NOT NULL,
    window_end         timestamptz NOT NULL,
    fired_count        bigint      NOT NULL,
    revision           integer     NOT NULL,
    description        text,
    -- the latest disposition's status; written by reports together with its anomaly_disposition row
    status             text        NOT NULL DEFAULT 'open'
                                   CHECK (status IN ('open', 'acknowledged', 'resolved', 'false_positive')),
    first_indexed_at   timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX anomaly_tenant_time ON anomaly (tenant_id, window_start DESC);
CREATE INDEX anomaly_time ON anomaly (window_start DESC);
CREATE INDEX anomaly_rule_time ON anomaly (rule, window_start DESC);

-- Every disposition decided on an anomaly, append-only (who, when, what, why).
CREATE TABLE anomaly_disposition (
    disposition_id bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    anomaly_id     uuid        NOT NULL REFERENCES anomaly (anomaly_id),
    status         text        NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved', 'false_positive')),
    note           text,
    decided_by     text        NOT NULL,   -- API token id (reports)
    decided_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX anomaly_disposition_anomaly ON anomaly_disposition (anomaly_id, decided_at);
