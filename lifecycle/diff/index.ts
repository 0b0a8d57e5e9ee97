// `kubelog diff`: two sides (what a database holds of two logs, nodes or sets of sources) in,
// ranked differences out. Pure: the store loads the sides, the CLI renders the result.
import { diffOverview } from './overview.js';
import { diffLifecycle } from './workloads.js';
import { diffMessages } from './messages.js';
import { commonUids, diffSamePods } from './sequences.js';
import { DEFAULT_THRESHOLDS, exposureOf, type Thresholds } from './thresholds.js';
import type { DiffResult, DiffSide, SideEvent, SideInfo } from './types.js';

export type * from './types.js';
export { commonUids } from './sequences.js';
export { DEFAULT_THRESHOLDS, exposureWords, type Thresholds } from './thresholds.js';
export { templateOf, maskMessage, MASK_RULES } from './template.js';
export { verbosityText, versionsText } from './overview.js';

export interface DiffOptions {
  /** How many of each ranked list to keep (their totals are kept too). Default 10. */
  top?: number;
  thresholds?: Partial<Thresholds>;
}

const none = (): readonly SideEvent[] => [];
const info = (s: DiffSide): SideInfo => ({ label: s.overview.label, sources: s.overview.sources, nodes: s.overview.nodes });

export function diffSides(a: DiffSide, b: DiffSide, opts: DiffOptions = {}): DiffResult {
  const top = opts.top ?? 10;
  const t: Thresholds = { ...DEFAULT_THRESHOLDS, ...opts.thresholds };
  const ex = exposureOf(a.overview, b.overview, t.minRateSpanUs);
  return {
    a: info(a),
    b: info(b),
    overview: diffOverview(a.overview, b.overview),
    lifecycle: diffLifecycle(a.pods, b.pods, t, top),
    messages: diffMessages(a.messages, b.messages, ex, t, top),
    samePods: diffSamePods(a.pods, a.events ?? none, b.events ?? none, commonUids(a.pods, b.pods), top),
  };
}
