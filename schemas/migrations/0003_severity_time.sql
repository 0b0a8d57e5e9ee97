-- kubelog database, schema version 3: warnings and errors by time, for the histogram of the
-- browser overview. Partial: only W/E/F records (about 0.1% of a busy node's log), so it costs
-- the ingest nothing measurable, and counting a window's warnings and errors reads only them.
CREATE INDEX records_severe_time ON records(time_us, severity) WHERE severity IN ('W', 'E', 'F');
