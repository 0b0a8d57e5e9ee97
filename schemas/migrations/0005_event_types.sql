-- kubelog database, schema version 5: each pod event's kind and lane as a number into
-- event_types (a few dozen rows) instead of two strings on each of a million rows: pod_events
-- shrinks from ~41 to ~20 MB for a 300 MB log, so the database stays smaller than its input.
-- The rows are converted, not dropped; the view pod_events_view reads them as before (and a
-- read-only open of an older database defines it over the old table, store/db.ts).
CREATE TABLE event_types (
  id   INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,                  -- catalogue kind (api.add, runtime.pleg, …) or other
  lane TEXT                            -- the timeline lane, null for none
);
INSERT INTO event_types (kind, lane) SELECT DISTINCT kind, lane FROM pod_events ORDER BY kind, lane;

CREATE TABLE pod_events_typed (
  pod_id    INTEGER NOT NULL,
  record_id INTEGER NOT NULL,
  type      INTEGER NOT NULL,          -- event_types.id
  PRIMARY KEY (pod_id, record_id)
) WITHOUT ROWID;
INSERT INTO pod_events_typed (pod_id, record_id, type)
  SELECT e.pod_id, e.record_id, t.id FROM pod_events e JOIN event_types t ON t.kind = e.kind AND t.lane IS e.lane;
DROP TABLE pod_events;
ALTER TABLE pod_events_typed RENAME TO pod_events;

CREATE VIEW pod_events_view AS
  SELECT e.pod_id, e.record_id, t.lane, t.kind FROM pod_events e JOIN event_types t ON t.id = e.type;
