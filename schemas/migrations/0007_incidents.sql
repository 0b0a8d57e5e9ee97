-- kubelog database, schema version 7: the wave-2 lifecycle model (lifecycle/phases.ts,
-- lifecycle/incidents.ts, lifecycle/process.ts). Every phase has an end (an open one ends where
-- the log or its kubelet stopped) and says how each boundary is known; each pod has the state its
-- record ends in; incidents (one per failure, with its lines and severity) replace anomalies; the
-- kubelet's own processes and the node's conditions are stored for a node lane. The lifecycle
-- tables are derived: they are emptied here and marked stale, and the next ingest (or kubelog
-- rebuild) recomputes them from the stored records.
DELETE FROM pod_events;
DELETE FROM event_types;
DROP TABLE anomalies;
DROP TABLE phases;
DROP TABLE pods;

CREATE TABLE pods (
  id              INTEGER PRIMARY KEY,
  key             TEXT NOT NULL UNIQUE,   -- a UID, or ~namespace/name[#n][@node] when the log never states it
  uid             TEXT,
  namespace       TEXT,
  name            TEXT,
  workload        TEXT,                   -- name without ReplicaSet hash / random suffix
  node            TEXT,                   -- the node whose kubelet logged it
  static          INTEGER NOT NULL,
  mirror_of       TEXT,                   -- a mirror pod: its static pod's UID
  exact           INTEGER NOT NULL,       -- 1: boundaries from enter/exit lines; 0: inferred
  state           TEXT NOT NULL,          -- running | terminating | stuck-terminating | terminated | finished | rejected | mirror | orphan | unknown
  first_time_us   INTEGER,
  last_time_us    INTEGER,
  first_record_id INTEGER NOT NULL,
  last_record_id  INTEGER NOT NULL,
  finished_us     INTEGER,
  finished_record_id INTEGER,
  finished_evidence TEXT,
  events          INTEGER NOT NULL,
  incidents       INTEGER NOT NULL,
  incident_kinds  TEXT NOT NULL,          -- JSON array of distinct kinds
  worst_severity  INTEGER,                -- 0 critical, 1 error, 2 warning, 3 info; NULL: none
  sync_us         INTEGER,                -- summed durations per phase (open phases: to where they stop)
  terminating_us  INTEGER,
  terminated_us   INTEGER,
  phases_json     TEXT NOT NULL           -- the phases, for lists (the phases table has them too)
);
CREATE INDEX pods_uid ON pods(uid);
CREATE INDEX pods_name ON pods(namespace, name);
CREATE INDEX pods_first ON pods(first_time_us);
CREATE INDEX pods_terminating ON pods(terminating_us);
CREATE INDEX pods_state ON pods(state);

CREATE TABLE phases (
  pod_id          INTEGER NOT NULL,
  seq             INTEGER NOT NULL,
  phase           TEXT NOT NULL,          -- sync | terminating | terminated
  evidence        TEXT NOT NULL,          -- exact | inferred (of the start)
  open            INTEGER NOT NULL,       -- 1: had not ended when the log or its kubelet did
  calls           INTEGER NOT NULL,
  start_us        INTEGER,
  end_us          INTEGER,
  start_record_id INTEGER NOT NULL,
  end_record_id   INTEGER NOT NULL,
  start_by        TEXT NOT NULL,          -- exact | inferred | log-start, ':' and the catalogue entry of the line
  end_by          TEXT NOT NULL,          -- exact | inferred | log-end | kubelet-restart | kubelet-stop | kubelet-crash, ':' entry
  grace_period_s  REAL,
  PRIMARY KEY (pod_id, seq)
) WITHOUT ROWID;

-- One per failure: a pod's, or the node's (pod_id NULL: a kubelet crash or restart, the node not ready).
CREATE TABLE incidents (
  id         INTEGER PRIMARY KEY,
  pod_id     INTEGER,
  node       TEXT,
  kind       TEXT NOT NULL,
  severity   INTEGER NOT NULL,            -- 0 critical, 1 error, 2 warning, 3 info
  time_us    INTEGER,
  record_id  INTEGER NOT NULL,            -- the first line that shows it
  lines      INTEGER NOT NULL,            -- lines that show it
  evidence   TEXT NOT NULL,               -- JSON array of record ids (the first 50)
  subject    TEXT,                        -- container, image, volume, reason
  detail     TEXT NOT NULL
);
CREATE INDEX incidents_pod ON incidents(pod_id);
CREATE INDEX incidents_kind ON incidents(kind, pod_id);

-- Each kubelet process: how it started, its version, how it ended.
CREATE TABLE kubelet_processes (
  epoch            INTEGER PRIMARY KEY,
  node             TEXT,
  pid              INTEGER,
  version          TEXT,
  start_record_id  INTEGER,               -- NULL: the log begins inside it
  start_time_us    INTEGER,
  start_evidence   TEXT,                  -- JSON [kind, …]
  first_record_id  INTEGER NOT NULL,
  last_record_id   INTEGER NOT NULL,
  first_time_us    INTEGER,
  last_time_us     INTEGER,
  records          INTEGER NOT NULL,
  end_kind         TEXT NOT NULL,         -- crash | exit | stop | restart | log-end
  end_record_id    INTEGER,               -- the crash or exit record; NULL when a systemd line says it
  end_time_us      INTEGER,
  end_signal       TEXT,
  end_message      TEXT
);

-- Node-level conditions for a node lane: one span of repeated lines of one kind.
CREATE TABLE node_events (
  id               INTEGER PRIMARY KEY,
  node             TEXT,
  epoch            INTEGER NOT NULL,
  kind             TEXT NOT NULL,         -- not-ready | ready | eviction-pressure | eviction | pleg-unhealthy | network-not-ready | runtime-not-ready | starting | node-shutdown
  first_record_id  INTEGER NOT NULL,
  last_record_id   INTEGER NOT NULL,
  first_time_us    INTEGER,
  last_time_us     INTEGER,
  lines            INTEGER NOT NULL,
  detail           TEXT NOT NULL
);

ALTER TABLE lifecycle_runs ADD COLUMN incidents INTEGER NOT NULL DEFAULT 0;

-- what was built from stored records is gone: the next ingest or reader rebuilds it (a new database
-- has nothing to rebuild)
UPDATE lifecycle_state SET stale = 1, since_ms = CAST(strftime('%s', 'now') AS INTEGER) * 1000
WHERE EXISTS (SELECT 1 FROM sources);
