-- auditrail schema, version 22 (issue 17, item 13): console sessions kept by the server. The console's cookie was the
-- 90-day bearer itself; it is now a random session id, valid while the session is used (idle expiry) and at most a
-- few hours (absolute expiry), ended at once by signing out or by revoking the token it was opened with. Only the
-- SHA-256 of the id is kept, as for tokens: a leak of this table opens no session.
CREATE TABLE console_session (
    session_hash bytea       PRIMARY KEY,                           -- SHA-256 of the cookie's value
    token_id     text        NOT NULL REFERENCES api_token (token_id),
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,                              -- moved forward at most once a minute
    expires_at   timestamptz NOT NULL                               -- the absolute end, whatever the activity
);
CREATE INDEX console_session_expires ON console_session (expires_at);
CREATE INDEX console_session_token ON console_session (token_id);
