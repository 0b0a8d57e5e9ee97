// What the model's ids mean to a user: incident kinds by their titles (schemas/incident-rules.json,
// as the CLI says them), phase boundaries by how the log shows them. No internal id reaches a label.
import type { IncidentKind, PodView } from '../../api/types.js';
import { titleOf } from '../../../lifecycle/incident-rules.js';
import { openEndWords } from '../../../lifecycle/open-end.js';

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
