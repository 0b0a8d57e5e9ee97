// A journal's marker names the machine's zone by its abbreviation (`MSK`, `CEST`); the unambiguous
// ones (schemas/zone-abbreviations.json) place the short-format lines below it, an ambiguous one
// (`CST`) places nothing. Each sample of the schema is replayed above a journal line.
import { describe, expect, it } from 'vitest';
import data from '../schemas/zone-abbreviations.json' with { type: 'json' };
import { parseText } from '../parser/index.js';
import { abbreviationOffset } from '../parser/zone.js';

const line = 'Nov 30 16:20:15 kube-master-3 kubelet[1977858]: I1130 16:20:15.370236 1977863 setters.go:77] Using node IP: "192.168.204.33"';

describe('zone abbreviations in journal markers', () => {
  it.each(data.samples.map((s) => [s.line.slice(0, 45), s] as const))('%s', (_short, s) => {
    for (const indent of ['', '  ']) {
      const r = parseText(`${indent}${s.line}\n${line}\n`);
      expect(r.foreign.map((f) => f.kind)).toEqual(['journal-marker']);
      if (s.zone === null) expect(r.time.zone?.from).toBe('default');
      else expect(r.time.zone).toMatchObject({ value: s.zone, from: 'journal-marker' });
    }
  });

  it('MSK is +03:00, CST and IST are no zone', () => {
    expect(abbreviationOffset('MSK')).toBe(180);
    expect(abbreviationOffset('CST')).toBeUndefined();
    expect(abbreviationOffset('IST')).toBeUndefined();
  });

  it('the deckhouse journal (MSK) dates 16:20:15 local as 13:20:15 UTC in 2021', () => {
    const r = parseText(`  -- Logs begin at Wed 2021-11-17 13:38:23 MSK, end at Tue 2021-11-30 16:48:44 MSK. --\n${line}\n`);
    expect(new Date(r.records[0]!.timeUs! / 1000).toISOString()).toBe('2021-11-30T13:20:15.370Z');
  });
});
