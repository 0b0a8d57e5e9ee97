import type { PodView } from '../../../api/types.js';
import { duration } from '../time.js';
import { BEGAN_BEFORE_WORDS, beganBeforeLog, lengthIsLowerBound, openEndWords } from '../../../../lifecycle/open-end.js';

/**
 * How long a phase took; in lines when the log has no times. A phase the log (or its kubelet)
 * ended inside, or the log began inside, lasted at least that long: `≥ 40m 12s, the log ends`,
 * `≥ 7m 6s, it began before the log`.
 */
export function phaseLength(p: PodView['phases'][number]): string {
  const d = p.durationUs !== null ? duration(p.durationUs) : `${p.end.line - p.start.line + 1} lines`;
  if (!lengthIsLowerBound(p)) return d;
  return `≥ ${d}, ${[beganBeforeLog(p) ? BEGAN_BEFORE_WORDS : '', p.open ? untilWords(p) : ''].filter(Boolean).join('; ')}`;
}

/** Where an open phase's record stops. */
const untilWords = (p: PodView['phases'][number]): string => openEndWords(p.endBy.evidence);
