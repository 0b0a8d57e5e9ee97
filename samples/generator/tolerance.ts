// How far (ms) the line a -v=2 log shows for each phase boundary can be from the boundary's true
// time (README.md "Boundaries at -v=4 and -v=2"): knowledge the lifecycle model documents in
// schemas/inference-tolerance.json; test/generator.test.ts measures the simulation stays within it.
import data from '../../schemas/inference-tolerance.json' with { type: 'json' };

export const TOLERANCE_MS: Readonly<Record<'sync-start' | 'terminating-start' | 'terminating-end' | 'terminated-start' | 'terminated-end' | 'finished', number>> = data.ms;
