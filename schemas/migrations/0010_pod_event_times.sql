-- kubelog database, schema version 10: each pod event's time and severity beside it, and an
-- index by (pod, time). A pod that lives through the whole log has tens of thousands of events;
-- the pod page asks for those of a time window (pipeline/pod-events.ts) and for their density per
-- lane, bucket and severity. Without these, each answer looked every event's record up by id.
ALTER TABLE pod_events ADD COLUMN time_us INTEGER;      -- the record's epoch µs; NULL: no time
ALTER TABLE pod_events ADD COLUMN severity TEXT;        -- the record's I W E F, NULL: none
UPDATE pod_events SET time_us = r.time_us, severity = r.severity FROM records r WHERE r.id = pod_events.record_id;
CREATE INDEX pod_events_time ON pod_events(pod_id, time_us, record_id);
