-- kubelog database, schema version 13: no pod_events(pod_id, time_us, record_id) index. It was
-- 28.6 MB of the 300 MB benchmark log's 333 MB database, and a window of the busiest pod (28,397
-- events) is answered from the primary key (pod_id, record_id) in 4.5 ms instead of 0.6 ms: a pod's
-- events are few enough to filter and sort by time (pipeline/pod-events.ts).
DROP INDEX IF EXISTS pod_events_time;
