-- kubelog database, schema version 8: each pod's startup and teardown, step by step
-- (lifecycle/breakdown.ts). `startup_us` (admitted → ready, or the last step seen) sorts `kubelog
-- pods --sort startup`; `breakdown_json` holds the steps with their record ids. Derived like the
-- other lifecycle tables: marked stale here, recomputed by the next ingest or kubelog rebuild.
ALTER TABLE pods ADD COLUMN startup_us INTEGER;            -- the first startup's duration; NULL: none, or no times
ALTER TABLE pods ADD COLUMN startup_open INTEGER NOT NULL DEFAULT 0;  -- 1: the log ends inside it (a lower bound)
ALTER TABLE pods ADD COLUMN breakdown_json TEXT NOT NULL DEFAULT '{"startup":[],"teardown":[]}';
CREATE INDEX pods_startup ON pods(startup_us);

UPDATE lifecycle_state SET stale = 1, since_ms = CAST(strftime('%s', 'now') AS INTEGER) * 1000
WHERE EXISTS (SELECT 1 FROM sources);
