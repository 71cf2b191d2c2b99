-- auditrail schema, version 51: the archiver's own role, and who may read the chain head of V50.
-- V23 gave every stage that used the database a role of its own; the archiver only began to use it with the chain
-- head (V50), so it gets its role here, with the same NOLOGIN-group convention as V23 (docs/SECURITY.md).
--
--   role                stage              may
--   auditrail_archive   archive, verify    read the chain head and add rows to it (the table's triggers keep it
--                                          append-only and moving forward, whoever writes)
--   auditrail_serve     serve              read the chain head: raw lines and packs are checked against it

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'auditrail_archive') THEN
        BEGIN
            CREATE ROLE auditrail_archive NOLOGIN;
        EXCEPTION
            WHEN duplicate_object OR unique_violation THEN
                NULL; -- created meanwhile by the migration of another database on this server
            WHEN insufficient_privilege THEN
                RAISE EXCEPTION 'role auditrail_archive does not exist and % may not create it', current_user
                    USING HINT = 'create it first (CREATE ROLE auditrail_archive NOLOGIN) or migrate as a role with '
                        || 'CREATEROLE (docs/SECURITY.md)';
        END;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA ${flyway:defaultSchema} TO auditrail_archive;
GRANT SELECT, INSERT ON archive_chain_head TO auditrail_archive;
GRANT SELECT ON archive_chain_head TO auditrail_serve;
