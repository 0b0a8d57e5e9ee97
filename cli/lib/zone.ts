// --tz is checked before any input is read, by the same rule that applies it (parser/zone.ts).
import type { Command } from '@oclif/core';
import { isValidTimeZone } from '../../parser/zone.js';

export function checkZone(tz: string, cmd: Command): void {
  if (!isValidTimeZone(tz)) cmd.error(`--tz ${tz}: not a zone; use UTC, an offset like +08:00, or a name like Europe/Berlin`, { exit: 2 });
}
