import type { PodView } from '../../../api/types.js';
import { duration } from '../time.js';
import { openEndWords } from '../../../../lifecycle/open-end.js';

/**
 * How long a phase took; in lines when the log has no times. A phase the log (or its kubelet)
 * ended inside lasted at least that long: `≥ 40m 12s, the log ends`.
 */
export function phaseLength(p: PodView['phases'][number]): string {
  const d = p.durationUs !== null ? duration(p.durationUs) : `${p.end.line - p.start.line + 1} lines`;
  return p.open ? `≥ ${d}, ${untilWords(p)}` : d;
}

/** Where an open phase's record stops. */
const untilWords = (p: PodView['phases'][number]): string => openEndWords(p.endBy.evidence);
