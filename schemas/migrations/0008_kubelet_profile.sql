-- Each kubelet process's version and -v as its lines show them (lifecycle/kubelet-profile.ts), for
-- `kubelog node` and the node lane.
ALTER TABLE kubelet_processes ADD COLUMN version_estimate TEXT;     -- 1.28, 1.31-1.32, ≤1.20, unknown
ALTER TABLE kubelet_processes ADD COLUMN version_basis TEXT;        -- stated | callers | wording | none
ALTER TABLE kubelet_processes ADD COLUMN verbosity TEXT;            -- exact | at-least | unknown
ALTER TABLE kubelet_processes ADD COLUMN verbosity_level INTEGER;   -- the -v, or its lower bound

-- what was built from stored records lacks them: the next ingest or reader rebuilds it
UPDATE lifecycle_state SET stale = 1, since_ms = CAST(strftime('%s', 'now') AS INTEGER) * 1000
WHERE EXISTS (SELECT 1 FROM sources);
