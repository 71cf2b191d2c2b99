-- auditrail schema, version 3: what the alerts stage did with each anomaly. One row per (anomaly, revision, target):
-- its final outcome after every attempt. The primary key is also the alerts stage's dedupe: an anomaly consumed again
-- (restart before the offset commit, a new consumer group) finds its row and is not sent a second time.
-- Read through io.auditrail.alerts.AlertDeliveries (by anomaly, by time); docs/ALERTS.md explains the statuses.
CREATE TABLE alert_delivery (
    anomaly_id       uuid        NOT NULL,            -- no foreign key: alerts may finish before index writes the anomaly
    revision         integer     NOT NULL CHECK (revision >= 1),
    target           text        NOT NULL,            -- the target's name in the targets file (never its URL)
    target_type      text        NOT NULL CHECK (target_type IN ('webhook', 'slack', 'pagerduty')),
    rule             text        NOT NULL,
    severity         text        NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
    tenant_id        text,                            -- null for platform anomalies; lets reports scope by tenant
    status           text        NOT NULL CHECK (status IN ('delivered', 'gave_up', 'throttled', 'skipped')),
    attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_http_status integer,                          -- null when no response came (refused, timed out) or none tried
    last_error       text        CHECK (char_length(last_error) <= 500), -- short reason; never a URL, key or token
    first_attempt_at timestamptz,
    finished_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (anomaly_id, revision, target)
);
CREATE INDEX alert_delivery_finished ON alert_delivery (finished_at);
CREATE INDEX alert_delivery_tenant_finished ON alert_delivery (tenant_id, finished_at);
-- what on-call looks at when the "alert deliveries failing" alert fires
CREATE INDEX alert_delivery_gave_up ON alert_delivery (finished_at) WHERE status = 'gave_up';
