// How far (ms) the line a -v=2 log shows for each phase boundary can be from the boundary's true
// time in this simulation (README.md "Boundaries at -v=4 and -v=2"); test/generator.test.ts
// measures it over many pods and the lifecycle model's tests use it.
export const TOLERANCE_MS = {
  /** After `SyncLoop ADD` (or the V0 `Topology Admit Handler`, ≤1.30): the worker's first sync (a batch ADD lists many pods). */
  'sync-start': 50,
  /** `SyncLoop DELETE` / the eviction ranking before, `Killing container` after, a completed Job's PLEG `ContainerDied` up to 50 ms before. */
  'terminating-start': 60,
  /** Before the pod's first `operationExecutor.UnmountVolume started` (PLEG `ContainerDied` may come up to 1 s after). */
  'terminating-end': 110,
  'terminated-start': 110,
  /** After the pod's last `Volume detached`. */
  'terminated-end': 2,
  finished: 2,
} as const;
