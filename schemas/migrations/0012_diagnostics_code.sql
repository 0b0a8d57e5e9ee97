-- kubelog database, schema version 12: diagnostics by code. Every pod view, /api/status and each
-- source's time report ask which sources have a diagnostic of a code (`newest-first`: the input
-- ran newest first, and its pods are built from its records in reverse); without this index each
-- asked by reading every diagnostic, and a log of garbage has one per line.
CREATE INDEX diagnostics_code ON diagnostics(code, source_id);
