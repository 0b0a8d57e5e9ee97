import type { PodView } from '../../../api/types.js';
import { duration } from '../time.js';

/** How long a phase took; in lines when the log has no times. */
export function phaseLength(p: PodView['phases'][number]): string {
  if (p.open) return 'never ended';
  if (p.durationUs !== null) return duration(p.durationUs);
  return p.end ? `${p.end.line - p.start.line + 1} lines` : '—';
}
