-- auditrail schema, version 50: the archive's chain head, kept outside the bucket (docs/ARCHIVE.md "Chain head").
-- Numbered 50 to stay clear of the migrations written at the same time for issue 17 (roles, sessions).
--
-- One row per digest the archiver stored, written by the archiver right after the digest and its signature are in
-- the bucket. Whoever deletes the newest digests from the bucket (and their signatures) leaves a consistent but
-- shorter chain; this table still names the newest digest, so verify sees that the chain stops short of it. The
-- table is append-only for everyone but its owner: no update, no delete, no truncate, and a new row must move the
-- head forward. Grants (with the per-stage roles): the archiver SELECT and INSERT, serve and verify SELECT only.
CREATE TABLE archive_chain_head (
    bucket      text        NOT NULL,                  -- one digest chain per bucket
    sequence    bigint      NOT NULL CHECK (sequence >= 0),
    digest_key  text        NOT NULL,
    sha256      text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),   -- of the digest's exact bytes
    created     timestamptz NOT NULL,                  -- the digest's own creation time
    recorded_at timestamptz NOT NULL DEFAULT now(),    -- the database's clock, not the archiver's
    PRIMARY KEY (bucket, sequence)
);
CREATE INDEX archive_chain_head_created ON archive_chain_head (bucket, created);

CREATE FUNCTION archive_chain_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        RAISE EXCEPTION 'archive_chain_head is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF EXISTS (SELECT 1 FROM archive_chain_head h
               WHERE h.bucket = NEW.bucket AND (h.sequence >= NEW.sequence OR h.created > NEW.created)) THEN
        RAISE EXCEPTION 'the chain head of bucket % only moves forward: digest % is not after the recorded head',
            NEW.bucket, NEW.sequence USING ERRCODE = 'check_violation';
    END IF;
    NEW.recorded_at := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER archive_chain_head_append BEFORE INSERT ON archive_chain_head
    FOR EACH ROW EXECUTE FUNCTION archive_chain_head_guard();
CREATE TRIGGER archive_chain_head_no_change BEFORE UPDATE OR DELETE ON archive_chain_head
    FOR EACH ROW EXECUTE FUNCTION archive_chain_head_guard();
CREATE TRIGGER archive_chain_head_no_truncate BEFORE TRUNCATE ON archive_chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION archive_chain_head_guard();
