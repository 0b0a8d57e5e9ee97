// --tz is checked before any input is read, by the same rule that applies it (parser/zone.ts).
import { fail } from './errors.js';
import { isValidTimeZone } from '../../parser/zone.js';

export function checkZone(tz: string): void {
  if (!isValidTimeZone(tz)) fail(`--tz ${tz}: not a zone; use UTC, an offset like +08:00, or a name like Europe/Berlin`, { exit: 2, code: 'INVALID_ZONE', input: `--tz ${tz}` });
}
