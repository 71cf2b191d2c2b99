-- audit_event.detail becomes json instead of jsonb: measured side by side in one run (bench/RESULTS.md, "Index"),
-- PostgreSQL's jsonb input conversion was the largest single cost of COPY into the index (raw COPY of the same rows:
-- ~29k rows/s as jsonb, ~40k as json on the 2-core machine). detail is only ever shown whole (the API's event, the
-- evidence pack), never searched: every filter has its own column. json keeps the text as the index stage wrote it
-- and still answers ->> for an ad-hoc query. Rewrites every partition once.
ALTER TABLE audit_event ALTER COLUMN detail TYPE json USING detail::json;
