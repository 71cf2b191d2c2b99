-- auditrail schema, version 2: what the reports module needs beside the index. API tokens (stored hashed, shown
-- once) and the meta-audit of every API call, which is itself part of the SOC2 evidence pack: auditors ask who
-- looked at the audit data.

-- A bearer token is 'art_' + 32 random bytes (base64url). Only its SHA-256 is kept: a leak of this table does not
-- leak a usable token. token_id is the public, loggable name of a token (meta-audit, dispositions).
CREATE TABLE api_token (
    token_id    text        PRIMARY KEY,
    token_hash  bytea       NOT NULL UNIQUE,           -- SHA-256 of the whole bearer string
    name        text        NOT NULL,                  -- what the operator called it
    role        text        NOT NULL CHECK (role IN ('admin', 'compliance', 'auditor')),
    tenants     text[]      NOT NULL DEFAULT '{}',     -- an auditor's tenants; empty for admin and compliance
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  text        NOT NULL,                  -- token id or 'cli'
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz,
    CHECK (role = 'auditor' OR cardinality(tenants) = 0),
    CHECK (role <> 'auditor' OR cardinality(tenants) > 0)
);

-- One row per API call, refused ones included (a refused cross-tenant attempt is exactly what auditors look for).
CREATE TABLE meta_audit (
    meta_audit_id bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT now(),
    token_id      text,                                -- null when no valid token was presented
    role          text,
    method        text        NOT NULL,
    route         text        NOT NULL,                -- the route template, e.g. /api/v1/tenants/{tenant}/events
    tenant_id     text,                                -- the tenant the call asked for, when it named one
    outcome       text        NOT NULL CHECK (outcome IN ('ok', 'denied', 'unauthenticated', 'bad_request',
                                                          'not_found', 'error')),
    status        integer     NOT NULL,                -- the HTTP status returned
    detail        text                                 -- a short reason for refusals; never a token or a secret
);
CREATE INDEX meta_audit_time ON meta_audit (at);
CREATE INDEX meta_audit_tenant_time ON meta_audit (tenant_id, at);
