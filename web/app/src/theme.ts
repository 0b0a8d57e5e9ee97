// What each phase, lane and severity looks like, in one place: the overview, the pod page and the
// legend read the same table.
import type { Lane, PhaseName, Severity } from '../../api/types.js';

export const PHASES: Array<{ phase: PhaseName; label: string; color: string }> = [
  { phase: 'sync', label: 'sync', color: '#4c8bd6' },
  { phase: 'terminating', label: 'terminating', color: '#e8912d' },
  { phase: 'terminated', label: 'terminated', color: '#8c6bb1' },
];

export const phaseColor = (p: PhaseName): string => PHASES.find((x) => x.phase === p)?.color ?? '#999';

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

export const severityColor = (s: Severity | null | undefined): string => (s === 'E' || s === 'F' ? '#d43c3c' : s === 'W' ? '#d39a00' : '#56606b');

export const INCIDENT_COLOR = '#d43c3c';
