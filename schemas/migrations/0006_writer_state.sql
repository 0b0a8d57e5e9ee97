-- kubelog database, schema version 6: what a reader must know about the writers.
--
-- The pod lifecycles (pods, phases, anomalies, pod_events, message_counts, record_facts) are
-- derived from the records by a rebuild that runs after the records are stored. An ingest killed
-- between the two left records whose pods did not exist, and nothing said so. Now every change
-- to the stored records marks the lifecycles stale in its own transaction, and the rebuild's
-- transaction marks them current: readers refuse stale lifecycles, the next ingest rebuilds them.
-- NULL: not known (a database from before this migration); store/lifecycle-state.ts then compares
-- the records the last rebuild replayed with the records stored.
CREATE TABLE lifecycle_state (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  stale    INTEGER,
  since_ms INTEGER                      -- when they became stale
);
INSERT INTO lifecycle_state (id, stale, since_ms) VALUES (1, NULL, NULL);

-- The one writer (an ingest or a rebuild; store/write-lock.ts): a second one is refused while this
-- one lives. A killed holder leaves its row, which the next writer recognises as dead (its pid
-- gone or reused on this kernel, or, where that cannot be checked, no heartbeat for minutes).
CREATE TABLE writer_lock (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  token      TEXT NOT NULL,             -- random, per acquisition: the holder's proof
  command    TEXT NOT NULL,             -- ingest, rebuild
  pid        INTEGER NOT NULL,
  host       TEXT NOT NULL,             -- os.hostname()
  boot_id    TEXT,                      -- /proc/sys/kernel/random/boot_id: pids compare only on one running kernel
  pid_ns     TEXT,                      -- /proc/self/ns/pid: … and in one pid namespace
  proc_start TEXT,                      -- /proc/PID/stat start time: a reused pid is another process
  started_ms INTEGER NOT NULL,
  beat_ms    INTEGER NOT NULL           -- the holder's last heartbeat
);
