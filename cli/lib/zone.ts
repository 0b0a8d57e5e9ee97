// --tz: one flag for every command that reads logs, checked before any input is read by the
// same rule that applies it (parser/zone.ts), so the CLI takes every zone the parser takes.
import { Flags } from '@oclif/core';
import { fail } from './errors.js';
import { isValidTimeZone, ZONE_FORMS } from '../../parser/zone.js';

export const tzFlag = Flags.string({ description: `zone of times that have none, overriding what the log says: ${ZONE_FORMS} (default: from the log, else UTC)` });

export function checkZone(tz: string): void {
  if (!isValidTimeZone(tz)) fail(`--tz ${tz}: not a zone; use ${ZONE_FORMS}`, { exit: 2, code: 'INVALID_ZONE', input: `--tz ${tz}` });
}
