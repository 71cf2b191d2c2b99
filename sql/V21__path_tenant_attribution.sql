-- auditrail schema, version 21 (issue 17, item 10): an access by tenant A's token to tenant B's path belongs to both.
-- tenant_id stays the tenant the event belongs to first (token metadata, then path, then directory: A); the path's
-- tenant gets a column of its own, so B's searches, summaries and evidence pack find the attempt by index, and the
-- anomalies it took part in are attributed to B as well.

-- The tenant named by the path (secret/(data|metadata)/tenants/{id}/...), null when none. Events of schema 1 carry it
-- as path_tenant_id (docs/EVENTS.md); the index writes it here and no longer only inside detail.
ALTER TABLE audit_event ADD COLUMN path_tenant_id text;

-- Rows indexed before this version: only those where the path's tenant differs from the event's are looked for by
-- this column, so only those are filled in (a rewrite of the cross-tenant rows, not of every row). Finding them reads
-- every row's detail once: on an index of tens of millions of rows, run this migration in a quiet hour.
UPDATE audit_event SET path_tenant_id = detail->>'path_tenant_id'
 WHERE detail->>'path_tenant_id' IS NOT NULL AND detail->>'path_tenant_id' IS DISTINCT FROM tenant_id;

-- Another tenant's events on B's paths, newest first: small (cross-tenant attempts are rare), and the shape of the
-- tenant index, so B's first page is a backward scan of two indexes merged under the LIMIT.
CREATE INDEX audit_event_path_tenant_time ON audit_event (path_tenant_id, event_time, event_id)
    WHERE path_tenant_id IS NOT NULL AND path_tenant_id IS DISTINCT FROM tenant_id;

-- The tenants whose paths an anomaly's events touched, other than the anomaly's own tenant, event by event: B sees the
-- anomaly filed under A through this table, with only the events that concern it. Written by the index from both
-- sides (the anomaly may be written before or after its events), never by reports. Not subject to event retention,
-- like the anomaly itself.
CREATE TABLE anomaly_path_tenant (
    tenant_id  text        NOT NULL,   -- the tenant whose path the event named
    anomaly_id uuid        NOT NULL,   -- no foreign key: the index may write this before the anomaly's own row
    event_id   uuid        NOT NULL,
    event_time timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, anomaly_id, event_id)
);
CREATE INDEX anomaly_path_tenant_anomaly ON anomaly_path_tenant (anomaly_id);

-- Finding the anomalies that list an event, when the event arrives after them.
CREATE INDEX anomaly_event_ids ON anomaly USING gin (event_ids);

-- Anomalies indexed before this version, attributed from their events still in the index.
INSERT INTO anomaly_path_tenant (tenant_id, anomaly_id, event_id, event_time)
SELECT e.path_tenant_id, a.anomaly_id, e.event_id, e.event_time
  FROM anomaly a
  JOIN audit_event e ON e.event_id = ANY (a.event_ids)
   AND e.event_time >= a.window_start - interval '1 second' AND e.event_time <= a.window_end + interval '1 second'
 WHERE e.path_tenant_id IS NOT NULL AND e.path_tenant_id IS DISTINCT FROM e.tenant_id
   AND e.path_tenant_id IS DISTINCT FROM a.tenant_id
ON CONFLICT DO NOTHING;
