// The resource limits of the ingest's threads (the ingest thread and its parse workers).

/**
 * V8's young generation of each ingest thread, in MB. Smaller than V8's default keeps their memory
 * flat: 16 measured -25 MB against the default at the same speed; 8 (2026-12-07, the 300 MB
 * benchmark log, alternating with 16) peaked at 265-293 MB against 314-336 for the ingest, at
 * ~0.5 s more of ~14. Not their old generation: a cap (128 or 192 MB) lowered the ingest's peak by
 * ~50 MB but cost 8% of its speed in garbage collection, and a capped worker would die on a line of
 * hundreds of MB that the ingest reads today.
 */
export const INGEST_YOUNG_GENERATION_MB = 8;
