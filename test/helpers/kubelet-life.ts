// The kubelet's own life from one parsed input held in memory, for tests: its records and foreign
// lines fed to a ProcessTracker in line order, as LifecycleBuilder (lifecycle/model.ts) feeds it.
import type { ForeignLine, LogRecord } from '../../parser/types.js';
import { ProcessTracker } from '../../lifecycle/process.js';
import type { KubeletLife } from '../../lifecycle/kubelet-life-types.js';

/** `records[i]` gets record index i (as in buildLifecycles); `host` as for ProcessTracker.add. */
export function buildKubeletLife(input: { records: readonly LogRecord[]; foreign?: readonly ForeignLine[] }, host?: string): KubeletLife {
  const tracker = new ProcessTracker();
  const foreign = input.foreign ?? [];
  let f = 0;
  input.records.forEach((r, i) => {
    for (; f < foreign.length && foreign[f]!.line < r.line; f++) tracker.addForeign(foreign[f]!, host);
    tracker.add(r, i, host);
  });
  for (; f < foreign.length; f++) tracker.addForeign(foreign[f]!, host);
  return tracker.life();
}
