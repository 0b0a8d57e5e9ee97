// --tz: a fixed offset or an IANA zone name, checked before any input is read.
import type { Command } from '@oclif/core';

export function checkZone(tz: string, cmd: Command): void {
  if (/^(?:UTC|Z|[+-]\d\d:?\d\d)$/i.test(tz)) return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    cmd.error(`--tz ${tz}: not a zone; use UTC, an offset like +08:00, or a name like Europe/Berlin`, { exit: 2 });
  }
}
