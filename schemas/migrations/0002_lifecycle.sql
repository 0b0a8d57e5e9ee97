-- kubelog database, schema version 2: the lifecycle model's tables (derived from records;
-- `kubelog rebuild` recomputes them). 0001's pods/phases/anomalies were empty placeholders.
DROP TABLE anomalies;
DROP TABLE phases;
DROP TABLE pods;

-- One row per pod: a UID, or `~namespace/name` when the log never states that name's UID.
CREATE TABLE pods (
  id              INTEGER PRIMARY KEY,
  key             TEXT NOT NULL UNIQUE,
  uid             TEXT,
  namespace       TEXT,
  name            TEXT,
  workload        TEXT,                -- name without ReplicaSet hash / random suffix
  node            TEXT,                -- node of the source of its first record
  static          INTEGER NOT NULL,
  mirror_of       TEXT,                -- a mirror pod: its static pod's UID
  exact           INTEGER NOT NULL,    -- 1: boundaries from enter/exit lines; 0: inferred
  first_time_us   INTEGER,
  last_time_us    INTEGER,
  first_record_id INTEGER NOT NULL,
  last_record_id  INTEGER NOT NULL,
  finished_us     INTEGER,
  finished_record_id INTEGER,
  finished_evidence TEXT,
  events          INTEGER NOT NULL,
  anomalies       INTEGER NOT NULL,
  anomaly_kinds   TEXT NOT NULL,       -- JSON array of distinct kinds
  sync_us         INTEGER,             -- summed durations per phase (closed phases), for sorting
  terminating_us  INTEGER,
  terminated_us   INTEGER,
  phases_json     TEXT NOT NULL        -- the phases, for lists (the phases table has them too)
);
CREATE INDEX pods_uid ON pods(uid);
CREATE INDEX pods_name ON pods(namespace, name);
CREATE INDEX pods_first ON pods(first_time_us);
CREATE INDEX pods_terminating ON pods(terminating_us);

CREATE TABLE phases (
  pod_id          INTEGER NOT NULL,
  seq             INTEGER NOT NULL,
  phase           TEXT NOT NULL,       -- sync | terminating | terminated
  evidence        TEXT NOT NULL,       -- exact | inferred
  open            INTEGER NOT NULL,
  calls           INTEGER NOT NULL,
  start_us        INTEGER,
  end_us          INTEGER,
  start_record_id INTEGER NOT NULL,
  end_record_id   INTEGER,
  grace_period_s  REAL,
  PRIMARY KEY (pod_id, seq)
) WITHOUT ROWID;

CREATE TABLE anomalies (
  id        INTEGER PRIMARY KEY,
  pod_id    INTEGER NOT NULL,
  kind      TEXT NOT NULL,
  time_us   INTEGER,
  record_id INTEGER NOT NULL,
  detail    TEXT NOT NULL
);
CREATE INDEX anomalies_pod ON anomalies(pod_id);
CREATE INDEX anomalies_kind ON anomalies(kind, pod_id);

-- Every record on a pod's timeline, with its lane (a record can name several pods).
CREATE TABLE pod_events (
  pod_id    INTEGER NOT NULL,
  record_id INTEGER NOT NULL,
  lane      TEXT,
  kind      TEXT NOT NULL,
  PRIMARY KEY (pod_id, record_id)
) WITHOUT ROWID;

-- When the model last ran and over what: restarts, records, unattached records.
CREATE TABLE lifecycle_runs (
  id           INTEGER PRIMARY KEY,
  at_ms        INTEGER NOT NULL,
  records      INTEGER NOT NULL,
  pods         INTEGER NOT NULL,
  restarts     INTEGER NOT NULL,
  unattached   INTEGER NOT NULL,
  seconds      REAL NOT NULL
);
