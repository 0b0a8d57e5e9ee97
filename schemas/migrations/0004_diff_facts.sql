-- kubelog database, schema version 4: what `kubelog diff` compares of the records, derived with
-- the pod lifecycles (pipeline/rebuild.ts; `kubelog rebuild` recomputes them), so that a diff
-- neither groups every record nor decodes blocks (pipeline/diff-side.ts). A database whose last
-- lifecycle run did not write them (facts = 0), or has records added since, is diffed from the
-- records and blocks as before.

-- Records per source by message, printf format and severity.
CREATE TABLE message_counts (
  source_id     INTEGER NOT NULL,
  msg_id        INTEGER NOT NULL,
  printf        TEXT,
  severity      TEXT,
  records       INTEGER NOT NULL,
  first_time_us INTEGER,
  last_time_us  INTEGER,
  max_v         INTEGER
);
CREATE INDEX message_counts_source ON message_counts(source_id);

-- Key/values of the records a pod's startup is measured by: `podStartSLOduration` (seconds) of
-- `Observed pod startup duration`, and the `event.Type` of a PLEG event.
CREATE TABLE record_facts (
  record_id INTEGER PRIMARY KEY,
  slo_s     REAL,
  pleg_type TEXT
);

-- 1: the run wrote message_counts and record_facts.
ALTER TABLE lifecycle_runs ADD COLUMN facts INTEGER NOT NULL DEFAULT 0;
