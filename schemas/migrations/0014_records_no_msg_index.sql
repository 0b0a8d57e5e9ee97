-- kubelog database, schema version 14: no records(msg_id) index. It was 20.3 MB of the 300 MB
-- benchmark log's 305 MB database (the database was 1.016× its input; now below 1×), and each large
-- ingest built it again at its end. Its one reader, kubelog diff's kubelet version and -v flag
-- lines, reads them by the time index over the span message_counts gives (pipeline/diff-side.ts).
DROP INDEX IF EXISTS records_msg;
DELETE FROM deferred_indexes WHERE name = 'records_msg';
