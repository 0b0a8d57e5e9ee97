-- kubelog database, schema version 1.
--
-- Applied by store/migrations.ts in ONE transaction together with `PRAGMA user_version = 1`.
-- A database whose user_version is higher than the newest migration here is refused.
--
-- Identity of a line: every line read has the id (source_id << 32) | line, so `records.id` and
-- `lines_other.id` are unique per (source, line) by construction, and a source's rows form one id
-- range: [source_id << 32, (source_id + 1) << 32).
--
-- Storage: the exact text of every line (records with their raw text and key/values, foreign and
-- rejected lines) lives ONCE, compressed, in `blocks`; `records` and `lines_other` are the
-- queryable index over it (times, severity, stream, message, caller, pod UID, ...). store/codec.ts
-- decodes a block back into the parser's own `LogRecord`, `ForeignLine` and `RejectedLine` objects.

-- One row per ingested input (a file, a rotated member, or stdin), identified by content, not path.
CREATE TABLE sources (
  id            INTEGER PRIMARY KEY,
  path          TEXT NOT NULL,              -- last path it was read from; '-' for stdin
  node          TEXT,                       -- --node, else the syslog/journal host of its records
  envelope      TEXT,                       -- the envelope most of its records came in
  gzip          INTEGER NOT NULL DEFAULT 0, -- read through gunzip
  file_size     INTEGER,                    -- bytes on disk (compressed size for .gz); NULL for stdin
  mtime_us      INTEGER,
  head_len      INTEGER NOT NULL,           -- min(65536, content length)
  head_hash     TEXT NOT NULL,              -- sha256 of the first head_len content bytes: the identity
  complete      INTEGER NOT NULL DEFAULT 0, -- 1 once the whole input was read
  content_len   INTEGER,                    -- content bytes (after gunzip) of a complete source
  content_hash  TEXT,                       -- sha256 of those bytes: re-ingesting them adds nothing
  -- Resume point: every line < lines_done + 1 is stored; a killed ingest, or a file that has grown,
  -- continues at line lines_done + 1, content byte bytes_done. verify_len/verify_hash (sha256 of the
  -- content's first verify_len bytes, verify_len <= bytes_done) check that it is the same content.
  lines_done    INTEGER NOT NULL DEFAULT 0,
  bytes_done    INTEGER NOT NULL DEFAULT 0,
  verify_len    INTEGER NOT NULL DEFAULT 0,
  verify_hash   TEXT,
  -- Line accounting of what is stored: lines_read = record_lines + foreign_lines + rejected_lines.
  lines_read    INTEGER NOT NULL DEFAULT 0,
  records       INTEGER NOT NULL DEFAULT 0,
  record_lines  INTEGER NOT NULL DEFAULT 0,
  foreign_lines INTEGER NOT NULL DEFAULT 0,
  rejected_lines INTEGER NOT NULL DEFAULT 0,
  diagnostics   INTEGER NOT NULL DEFAULT 0,
  foreign_by_kind    TEXT NOT NULL DEFAULT '{}', -- JSON {kind: count}
  rejected_by_reason TEXT NOT NULL DEFAULT '{}', -- JSON {reason: count}
  -- JSON: the counts (same shape as above) of the lines before the resume point, and the time of the
  -- last record before it (the year a resumed parse continues from).
  resume        TEXT NOT NULL DEFAULT '{}',
  first_time_us INTEGER,
  last_time_us  INTEGER,
  parse_options TEXT NOT NULL DEFAULT '{}', -- JSON: --year, --tz, file-time year used
  created_at    INTEGER NOT NULL,           -- epoch ms
  updated_at    INTEGER NOT NULL
);
CREATE INDEX sources_head ON sources(head_hash);

-- Compressed storage: `data` is the block's entries (store/codec.ts; format 1 = brotli), up to a
-- few hundred consecutive lines of one source.
CREATE TABLE blocks (
  id        INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL,
  first_id  INTEGER NOT NULL,  -- smallest line id in the block
  last_id   INTEGER NOT NULL,
  entries   INTEGER NOT NULL,
  format    INTEGER NOT NULL,
  data      BLOB NOT NULL
);
CREATE INDEX blocks_source ON blocks(source_id, first_id);

-- Interned values (few distinct values, referenced by millions of rows).
CREATE TABLE messages (id INTEGER PRIMARY KEY, msg TEXT NOT NULL UNIQUE);
CREATE TABLE callers  (id INTEGER PRIMARY KEY, caller TEXT NOT NULL UNIQUE);
CREATE TABLE pod_uids (id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE);
-- Who wrote a record: syslog/journal host, identifier (tag) and pid, and the klog header's pid.
-- '' / -1 when absent.
CREATE TABLE streams (
  id       INTEGER PRIMARY KEY,
  host     TEXT NOT NULL,
  ident    TEXT NOT NULL,
  pid      INTEGER NOT NULL,
  klog_pid INTEGER NOT NULL,
  UNIQUE (host, ident, pid, klog_pid)
);

-- One row per logical record (a LogRecord: one or more physical lines). Its every field, raw text
-- and key/values included, is in its block; these columns are what queries filter and sort by.
CREATE TABLE records (
  id          INTEGER PRIMARY KEY,   -- (source_id << 32) | line
  block_id    INTEGER NOT NULL,      -- blocks.id holding all of it
  span        INTEGER NOT NULL,      -- end_line - line
  time_us     INTEGER,               -- epoch µs UTC (klog/JSON time, else the transport's)
  severity    TEXT,                  -- I W E F
  stream_id   INTEGER,               -- streams.id: transport host/ident/pid and klog pid
  caller_id   INTEGER,               -- callers.id: file.go:line
  msg_id      INTEGER NOT NULL,      -- messages.id
  pod_uid_id  INTEGER,               -- pod_uids.id when the record names its pod UID itself
  printf      TEXT,                  -- id of the printf format an unstructured msg matched
  v           INTEGER,               -- verbosity (JSON logs)
  template_id INTEGER,               -- templates.id (filled by the lifecycle model)
  source_id   INTEGER GENERATED ALWAYS AS (id >> 32) VIRTUAL,
  line        INTEGER GENERATED ALWAYS AS (id & 4294967295) VIRTUAL,
  end_line    INTEGER GENERATED ALWAYS AS ((id & 4294967295) + span) VIRTUAL
);
-- By time (records arrive roughly in time order, so this one is cheap to keep up to date), by pod
-- UID and time, by message, by printf format. A large ingest drops the last three (inserted in
-- random order: several times slower row by row than built once) and builds them again at its end
-- (store/indexes.ts); their definitions stay here.
CREATE INDEX records_time ON records(time_us);
CREATE INDEX records_pod_time ON records(pod_uid_id, time_us) WHERE pod_uid_id IS NOT NULL;
CREATE INDEX records_msg ON records(msg_id);
CREATE INDEX records_printf_time ON records(printf, time_us) WHERE printf IS NOT NULL;

-- Lines that are not part of a record: foreign (other programs, blanks, markers) and rejected.
CREATE TABLE lines_other (
  id        INTEGER PRIMARY KEY,     -- (source_id << 32) | line
  block_id  INTEGER NOT NULL,        -- blocks.id holding its text
  rejected  INTEGER NOT NULL,        -- 0 foreign, 1 rejected
  kind      TEXT NOT NULL,           -- foreign kind or reject reason
  offset    INTEGER,                 -- NULL for a blank line split off the end of a record
  source_id INTEGER GENERATED ALWAYS AS (id >> 32) VIRTUAL,
  line      INTEGER GENERATED ALWAYS AS (id & 4294967295) VIRTUAL
);

-- Parser diagnostics (warnings, errors, notes), by source line.
CREATE TABLE diagnostics (
  source_id INTEGER NOT NULL,
  line      INTEGER NOT NULL,
  level     TEXT NOT NULL,
  code      TEXT NOT NULL,
  message   TEXT NOT NULL
);
CREATE INDEX diagnostics_source_line ON diagnostics(source_id, line);

-- Full-text search, one row per block (rowid = blocks.id): the text of each of its records after
-- the envelope and klog header (message, key/values, continuation lines), one record per line.
-- Contentless (the text is stored once, in blocks) and deletable (a resumed ingest drops a partial
-- tail). A match names blocks; store/queries.ts narrows it to the records that match.
CREATE VIRTUAL TABLE blocks_fts USING fts5(text, content='', contentless_delete=1);
-- Derived by the lifecycle model (rebuildable; empty until it runs).
CREATE TABLE templates (
  id     INTEGER PRIMARY KEY,
  msg    TEXT NOT NULL UNIQUE,       -- message or printf format
  kind   TEXT,                       -- catalogue kind (phase boundary, point event, …)
  detail TEXT                        -- JSON
);
CREATE TABLE pods (
  id            INTEGER PRIMARY KEY,
  uid           TEXT NOT NULL,
  namespace     TEXT,
  name          TEXT,
  node          TEXT,
  first_time_us INTEGER,
  last_time_us  INTEGER,
  detail        TEXT                 -- JSON
);
CREATE INDEX pods_uid ON pods(uid);
CREATE INDEX pods_name ON pods(namespace, name);
CREATE TABLE phases (
  id              INTEGER PRIMARY KEY,
  pod_id          INTEGER NOT NULL,
  cycle           INTEGER NOT NULL DEFAULT 1,
  phase           TEXT NOT NULL,     -- sync | terminating | terminated | finished
  start_us        INTEGER,
  end_us          INTEGER,
  start_evidence  TEXT,              -- exact | inferred
  end_evidence    TEXT,
  start_record_id INTEGER,
  end_record_id   INTEGER,
  open            INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX phases_pod ON phases(pod_id, start_us);
CREATE TABLE anomalies (
  id        INTEGER PRIMARY KEY,
  pod_id    INTEGER,
  kind      TEXT NOT NULL,
  time_us   INTEGER,
  record_id INTEGER,
  detail    TEXT                     -- JSON
);
CREATE INDEX anomalies_pod ON anomalies(pod_id, time_us);

-- Indexes a large ingest dropped and has yet to build again (see records above).
CREATE TABLE deferred_indexes (name TEXT PRIMARY KEY, sql TEXT NOT NULL);

-- For people with the sqlite3 shell: records with their interned values joined back.
CREATE VIEW records_view AS
SELECT r.id, r.source_id, r.line, r.end_line,
       strftime('%Y-%m-%dT%H:%M:%S', r.time_us / 1000000, 'unixepoch') || printf('.%06dZ', r.time_us % 1000000) AS time,
       r.time_us, r.severity, nullif(s.klog_pid, -1) AS pid, c.caller, m.msg, u.uid AS pod_uid, r.printf, r.v,
       nullif(s.host, '') AS host, nullif(s.ident, '') AS ident, nullif(s.pid, -1) AS transport_pid, r.block_id
FROM records r
JOIN messages m ON m.id = r.msg_id
LEFT JOIN callers c ON c.id = r.caller_id
LEFT JOIN pod_uids u ON u.id = r.pod_uid_id
LEFT JOIN streams s ON s.id = r.stream_id;
