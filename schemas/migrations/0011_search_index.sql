-- kubelog database, schema version 11: the full-text index is built after the records and the pod
-- lifecycles are stored, not while the records are written (store/search-index.ts). No first view
-- needs it, and building it in the ingest's hot path cost the parse worker the search text of every
-- record and the writer an FTS5 insert per block.
--
-- `indexed_to`: every block whose id is at most this is in blocks_fts, and no block above it is.
-- The ingest appends blocks above it; the index step indexes them in id order, moving it in the
-- same transaction as their rows, so a kill anywhere leaves a database that knows what is missing
-- (blocks above it) and the next ingest or `kubelog rebuild` completes it. A database written
-- before this migration indexed every block as it stored it.
CREATE TABLE search_state (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  indexed_to INTEGER NOT NULL
);
INSERT INTO search_state (id, indexed_to) SELECT 1, coalesce(max(id), 0) FROM blocks;

-- records(pod_uid_id, time_us) answered no query (a pod's records are found through pod_events,
-- by record id), yet it was 16 MB of the 300 MB benchmark log's 307 MB database and built at the
-- end of every large ingest. Without it the database is smaller than its input.
DROP INDEX IF EXISTS records_pod_time;
DELETE FROM deferred_indexes WHERE name = 'records_pod_time';
