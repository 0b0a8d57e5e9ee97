// What each phase, lane and severity looks like, in one place: the overview, the pod page and the
// legend read the same table.
import type { Lane, PhaseName, Severity } from '../../api/types.js';

// Every colour is a CSS custom property of styles.css, whose light and dark values differ: use
// them in `style` (an SVG `fill` attribute does not read custom properties).
export const PHASES: Array<{ phase: PhaseName; label: string; color: string }> = [
  { phase: 'sync', label: 'sync', color: 'var(--phase-sync)' },
  { phase: 'terminating', label: 'terminating', color: 'var(--phase-terminating)' },
  { phase: 'terminated', label: 'terminated', color: 'var(--phase-terminated)' },
];

export const phaseColor = (p: PhaseName): string => PHASES.find((x) => x.phase === p)?.color ?? 'var(--dim)';

/** Lanes top to bottom on the pod page: where the request comes from, then what the node does. */
export const LANES: Array<{ lane: Lane | 'other'; label: string }> = [
  { lane: 'api', label: 'api' },
  { lane: 'worker', label: 'worker' },
  { lane: 'runtime', label: 'runtime' },
  { lane: 'network', label: 'network' },
  { lane: 'volumes', label: 'volumes' },
  { lane: 'cgroups', label: 'cgroups' },
  { lane: 'status', label: 'status' },
  { lane: 'probes', label: 'probes' },
  { lane: 'errors', label: 'errors' },
  { lane: 'other', label: 'other' },
];

/** A lane as people read it: an event no lane holds is `other`. */
export const laneLabel = (lane: Lane | null | undefined): string => LANES.find((l) => l.lane === lane)?.label ?? 'other';

/** CSS colours (custom properties of styles.css: light and dark differ); use them in `style`, not SVG attributes. */
export const severityColor = (s: Severity | null | undefined): string => (s === 'E' || s === 'F' ? 'var(--sev-error)' : s === 'W' ? 'var(--sev-warn)' : 'var(--sev-info)');

export const INCIDENT_COLOR = 'var(--incident)';
