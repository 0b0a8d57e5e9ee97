// Incidents as people read them: the title schemas/incident-rules.json gives each kind (never the
// kind's id), and the mark a chart draws for it. Kinds are grouped by what failed, one shape per
// group, so that a row's marks say "volumes" or "teardown" before anyone hovers; the colour is the
// severity.
import rules from '../../../schemas/incident-rules.json';
import type { IncidentKind, IncidentSeverity } from '../../api/types.js';

const KINDS = rules.kinds as Record<IncidentKind, { severity: IncidentSeverity; title: string }>;

/** "stuck terminating", "volume mount failed": what a user reads for a kind. */
export const incidentTitle = (k: IncidentKind): string => KINDS[k]?.title ?? k;

export type MarkShape = 'square' | 'triangle' | 'diamond' | 'circle' | 'cross' | 'bar' | 'star';

/** What failed, the shape its marks have, and the kinds of it. */
export const INCIDENT_GROUPS: ReadonlyArray<{ group: string; shape: MarkShape; kinds: readonly IncidentKind[] }> = [
  { group: 'teardown', shape: 'square', kinds: ['stuck-terminating', 'kill-failed', 'grace-exceeded', 'torn-down-twice'] },
  { group: 'containers', shape: 'triangle', kinds: ['crash-loop', 'oom-killed', 'start-failed', 'probe-restart', 'probe-failed'] },
  { group: 'images', shape: 'diamond', kinds: ['image-pull-failed'] },
  { group: 'volumes', shape: 'circle', kinds: ['mount-failed', 'unmount-failed'] },
  { group: 'admission, eviction', shape: 'cross', kinds: ['admission-rejected', 'evicted'] },
  { group: 'sandbox, network, node', shape: 'star', kinds: ['sandbox-failed', 'node-not-ready', 'kubelet-crash', 'kubelet-restart'] },
  { group: 'sync, status', shape: 'bar', kinds: ['sync-error', 'status-failed', 'recreated-quickly'] },
];

const GROUP_OF = new Map(INCIDENT_GROUPS.flatMap((g) => g.kinds.map((k) => [k, g] as const)));
export const incidentGroup = (k: IncidentKind): (typeof INCIDENT_GROUPS)[number] => GROUP_OF.get(k) ?? INCIDENT_GROUPS[INCIDENT_GROUPS.length - 1]!;

/** An SVG path of a mark of `shape`, about 8 px across, centred on (x, y). */
export function markPath(shape: MarkShape, x: number, y: number): string {
  switch (shape) {
    case 'square':
      return `M${x - 3.5},${y - 3.5}h7v7h-7z`;
    case 'triangle':
      return `M${x},${y + 4}l4,-7.5h-8z`;
    case 'diamond':
      return `M${x},${y - 4.5}l4.5,4.5l-4.5,4.5l-4.5,-4.5z`;
    case 'circle':
      return `M${x - 4},${y}a4,4 0 1,0 8,0a4,4 0 1,0 -8,0z`;
    case 'cross':
      return `M${x - 4},${y - 2.5}l1.5,-1.5l2.5,2.5l2.5,-2.5l1.5,1.5l-2.5,2.5l2.5,2.5l-1.5,1.5l-2.5,-2.5l-2.5,2.5l-1.5,-1.5l2.5,-2.5z`;
    case 'star':
      return `M${x},${y - 4.5}l1.3,3.2l3.2,0.2l-2.5,2.1l0.8,3.3l-2.8,-1.8l-2.8,1.8l0.8,-3.3l-2.5,-2.1l3.2,-0.2z`;
    case 'bar':
      return `M${x - 1.5},${y - 4.5}h3v9h-3z`;
  }
}

/** The colour of a severity's marks (a CSS custom property: in `style`, not an SVG attribute). */
export const SEVERITY_FILL: Record<IncidentSeverity, string> = { critical: 'var(--sev-critical-fill)', error: 'var(--sev-error-fill)', warning: 'var(--sev-warning-fill)', info: 'var(--sev-info-fill)' };
