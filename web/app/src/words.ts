// What the model's ids mean to a user: incident kinds by their titles (schemas/incident-rules.json,
// as the CLI says them), phase boundaries by how the log shows them. No internal id reaches a label.
import type { IncidentKind, PodView } from '../../api/types.js';
import { titleOf } from '../../../lifecycle/incident-rules.js';
import { BEGAN_BEFORE_WORDS, openEndWords } from '../../../lifecycle/open-end.js';

export const incidentTitle = (k: IncidentKind): string => titleOf(k);

type Mark = PodView['phases'][number]['startBy'];

/** How a phase boundary is known, in words after `start:` or `end:`: `its enter line`, `inferred from a line`, `the log ends`, … */
export function boundaryWords(m: Mark, side: 'start' | 'end'): string {
  switch (m.evidence) {
    case 'exact':
      return side === 'start' ? 'its enter line' : 'its exit line';
    case 'inferred':
      return 'inferred from a line';
    case 'log-start':
      return 'the log begins';
    default:
      return openEndWords(m.evidence);
  }
}

/** Why a phase's length is only a lower bound (`≥`), or null when the log shows both its ends. */
export function lowerBoundWhy(open: boolean, beganBefore: boolean): string | null {
  if (open && beganBefore) return `${BEGAN_BEFORE_WORDS} and was still going where the log (or its kubelet) ends: at least this long`;
  if (open) return 'still going where the log (or its kubelet) ends: at least this long';
  if (beganBefore) return `${BEGAN_BEFORE_WORDS}: at least this long`;
  return null;
}
