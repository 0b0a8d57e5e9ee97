// An event is named in the URL by `source:line`, which stays true across rebuilds of the model.
import type { ViewPoint } from '../../../api/types.js';

export const eventId = (p: ViewPoint): string => `${p.source ?? 0}:${p.line}`;

export function parseEventId(s: string | null): { source: number; line: number } | null {
  const m = /^(\d+):(\d+)$/.exec(s ?? '');
  return m ? { source: Number(m[1]), line: Number(m[2]) } : null;
}
