-- auditrail schema, version 20 (issue 17, items 1, 3 and 12): what the meta-audit needs once calls are bounded and
-- tenants are attributed by what a call returned.
--   outcome 'throttled': a call refused with 429 (too many at once for its token or in all, or an address over its
--     budget of unauthenticated refusals).
--   calls: how many calls one row stands for. 1 for every call recorded one by one; more for the row that sums up the
--     unauthenticated refusals beyond an address's budget (answered 429, not recorded one by one, so an anonymous
--     flood cannot grow this table or anyone's evidence pack). sum(calls) is the number of calls answered.
--   tenant_ids: the tenants whose data the call asked for or returned, decided after authentication: the tenant it
--     named; for calls naming none (/anomalies, /events/{id}, a disposition) the tenants of what came back. Empty for
--     unauthenticated calls (their tenant_id stays null: an anonymous caller does not get to file rows under a tenant)
--     and for platform-wide calls (/archive/verify). A tenant's evidence pack reads the rows whose tenant_ids hold it.
ALTER TABLE meta_audit DROP CONSTRAINT meta_audit_outcome_check;
ALTER TABLE meta_audit ADD CONSTRAINT meta_audit_outcome_check CHECK (outcome IN ('ok', 'denied', 'unauthenticated',
    'bad_request', 'not_found', 'error', 'throttled'));
ALTER TABLE meta_audit ADD COLUMN calls integer NOT NULL DEFAULT 1 CHECK (calls >= 1);
ALTER TABLE meta_audit ADD COLUMN tenant_ids text[] NOT NULL DEFAULT '{}';

-- rows written before this version: the tenant an authenticated call named is the tenant it concerned; the tenant
-- named by a call without a valid token was the caller's choice and is not carried over (the row itself is kept as it
-- was written: it is evidence)
UPDATE meta_audit SET tenant_ids = ARRAY[tenant_id] WHERE tenant_id IS NOT NULL AND token_id IS NOT NULL;

CREATE INDEX meta_audit_tenant_ids ON meta_audit USING gin (tenant_ids);
