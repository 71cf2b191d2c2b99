-- auditrail schema, version 23 (issue 17, item 14): one PostgreSQL role per stage, each with the least privilege its
-- stage needs, and the meta-audit append-only for everyone. Before this, every stage used one role that owned the
-- schema: a compromised ingest, streams or index process could mint admin tokens or delete the meta-audit.
--
--   role              stage     may
--   (the owner)       migrate   own the schema: this file and every other migration run as it (postgres.user)
--   auditrail_index   index     add events and anomalies (never change an event, never a disposition), create and
--                               drop day partitions through the two functions below, attribute anomalies to tenants
--   auditrail_alerts  alerts    record deliveries in alert_delivery
--   auditrail_serve   serve     read the index; append to the meta-audit and to dispositions, set an anomaly's
--                               status; manage API tokens (create, revoke) and console sessions
--   ingest, streams and archive use no database: they get no role.
--
-- The roles are NOLOGIN groups: a deployment gives each stage a login role that is a member (CREATE ROLE index_svc
-- LOGIN PASSWORD '...' IN ROLE auditrail_index), or makes the group itself able to log in. They are created here
-- when missing, which needs CREATEROLE; otherwise a database administrator creates them before the migration, and
-- this file only grants. Roles belong to the server, not the database: several auditrail databases on one server
-- share them (each database's grants stay its own).
-- A later migration that adds a table grants on it here too: nothing is granted by default.

DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['auditrail_index', 'auditrail_alerts', 'auditrail_serve'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            EXCEPTION
                WHEN duplicate_object OR unique_violation THEN
                    NULL; -- created meanwhile by the migration of another database on this server
                WHEN insufficient_privilege THEN
                    RAISE EXCEPTION 'role % does not exist and % may not create it', r, current_user
                        USING HINT = 'create it first (CREATE ROLE ' || r || ' NOLOGIN) or migrate as a role with '
                            || 'CREATEROLE (docs/SECURITY.md)';
            END;
        END IF;
    END LOOP;
END
$$;

-- Partitions through the owner's hands only: creating a partition of audit_event requires owning it, and dropping
-- one owning the partition. The index calls these two functions instead; they touch nothing but day partitions of
-- audit_event and their bookkeeping. SECURITY DEFINER with a fixed search_path (pg_temp last), so a caller's own
-- temporary tables cannot stand in for ours.
CREATE FUNCTION create_event_partition(p_day date) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
DECLARE
    t text := 'audit_event_p' || to_char(p_day, 'YYYYMMDD');
BEGIN
    IF p_day IS NULL OR p_day < DATE '1000-01-01' OR p_day > current_date + 3660 THEN
        RAISE EXCEPTION 'no partition for day %', p_day USING ERRCODE = '22023';
    END IF;
    IF to_regclass(t) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('CREATE TABLE %I PARTITION OF audit_event FOR VALUES FROM (%L) TO (%L)', t,
                   p_day::timestamp AT TIME ZONE 'UTC', (p_day + 1)::timestamp AT TIME ZONE 'UTC');
    INSERT INTO event_partition (day, table_name) VALUES (p_day, t)
        ON CONFLICT (day) DO UPDATE SET dropped_at = NULL, rows_dropped = NULL;
    RETURN true;
END
$$;

-- Drops one day partition and records it (day, when, how many rows: the proof of retention). Today and later days
-- are never dropped. A compromised index can still drop past days early: that is recorded here, in event_partition
-- (dropped_at against the day), and the archive can rebuild them (auditrail replay).
CREATE FUNCTION drop_event_partition(p_day date) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS
$$
DECLARE
    t text := 'audit_event_p' || to_char(p_day, 'YYYYMMDD');
    n bigint;
BEGIN
    IF p_day IS NULL OR p_day >= current_date THEN
        RAISE EXCEPTION 'day % is not past: its partition is kept', p_day USING ERRCODE = '22023';
    END IF;
    IF to_regclass(t) IS NULL THEN
        RETURN NULL;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass(t) AND inhparent = 'audit_event'::regclass)
    THEN
        RAISE EXCEPTION '% is not a partition of audit_event', t USING ERRCODE = '42809';
    END IF;
    EXECUTE format('SELECT count(*) FROM %I', t) INTO n;
    EXECUTE format('DROP TABLE %I', t);
    INSERT INTO event_partition (day, table_name, dropped_at, rows_dropped) VALUES (p_day, t, now(), n)
        ON CONFLICT (day) DO UPDATE SET dropped_at = EXCLUDED.dropped_at, rows_dropped = EXCLUDED.rows_dropped;
    RETURN n;
END
$$;

REVOKE ALL ON FUNCTION create_event_partition(date), drop_event_partition(date) FROM PUBLIC;

-- The meta-audit is append-only for every role, the owner included: who looked at the audit data must stay
-- answerable. Only a migration that drops this trigger (visible in flyway_schema_history) can change a row.
CREATE FUNCTION meta_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'meta_audit is append-only: % refused', TG_OP USING ERRCODE = '42501';
END
$$;
CREATE TRIGGER meta_audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON meta_audit
    FOR EACH STATEMENT EXECUTE FUNCTION meta_audit_append_only();

GRANT USAGE ON SCHEMA ${flyway:defaultSchema} TO auditrail_index, auditrail_alerts, auditrail_serve;

-- index: events and anomalies in, partitions through the functions, attribution of anomalies to path tenants
GRANT SELECT, INSERT ON audit_event TO auditrail_index;
GRANT SELECT ON event_partition TO auditrail_index;
GRANT SELECT, INSERT ON anomaly TO auditrail_index;
GRANT UPDATE (rule, severity, tenant_id, actor, actor_display_name, remote_address, event_ids, window_start,
              window_end, fired_count, revision, description, updated_at) ON anomaly TO auditrail_index;
GRANT SELECT, INSERT ON anomaly_path_tenant TO auditrail_index;
GRANT EXECUTE ON FUNCTION create_event_partition(date), drop_event_partition(date) TO auditrail_index;

-- alerts: its deliveries
GRANT SELECT, INSERT ON alert_delivery TO auditrail_alerts;
GRANT UPDATE (status, attempts, last_http_status, last_error, first_attempt_at, finished_at)
    ON alert_delivery TO auditrail_alerts;

-- serve: reads, the meta-audit and dispositions appended, an anomaly's status, tokens and console sessions
GRANT SELECT ON audit_event, event_partition, anomaly, anomaly_disposition, anomaly_path_tenant, meta_audit
    TO auditrail_serve;
GRANT INSERT ON meta_audit, anomaly_disposition TO auditrail_serve;
GRANT UPDATE (status) ON anomaly TO auditrail_serve;
GRANT SELECT, INSERT ON api_token TO auditrail_serve;
GRANT UPDATE (revoked_at) ON api_token TO auditrail_serve;
GRANT SELECT, INSERT, DELETE ON console_session TO auditrail_serve;
GRANT UPDATE (last_seen_at) ON console_session TO auditrail_serve;
