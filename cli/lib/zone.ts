// --tz: a fixed offset or an IANA zone name, checked before any input is read.
import { fail } from './errors.js';

export function checkZone(tz: string): void {
  if (/^(?:UTC|Z|[+-]\d\d:?\d\d)$/i.test(tz)) return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    fail(`--tz ${tz}: not a zone; use UTC, an offset like +08:00, or a name like Europe/Berlin`, { exit: 2, code: 'INVALID_ZONE', input: `--tz ${tz}` });
  }
}
