// The grammar against the generator's ground truth: logs of every kubelet version in every
// envelope, parsed back, give exactly the records the generator wrote, at exactly its times.
import { describe, expect, it } from 'vitest';
import { generateLog, type Envelope, type GroundTruth, type KubeletVersion } from '../samples/generator/index.js';
import { parseText, type LogRecord, type ParseResult } from '../parser/index.js';

const YEARLESS: Envelope[] = ['syslog', 'journal-short', 'journal-short-precise'];

const combos: [KubeletVersion, Envelope][] = [
  ['1.20', 'syslog'],
  ['1.20', 'klog'],
  ['1.23', 'journal-short'],
  ['1.23', 'journal-short-iso'],
  ['1.23', 'klog'],
  ['1.26', 'syslog'], // `#011` block lines
  ['1.26', 'journal-short-precise'], // TAB shown as spaces
  ['1.26', 'journal-json'],
  ['1.28', 'journal-short-iso-precise'],
  ['1.28', 'rfc3339'],
  ['1.28', 'journal-json'],
  ['1.28', 'journal-short'],
  ['json', 'json-prefixed'],
  ['json', 'journal-json'],
  ['json', 'syslog'],
];

async function generate(version: KubeletVersion, envelope: Envelope, tz: string): Promise<{ text: string; truth: GroundTruth }> {
  let text = '';
  const truth = await generateLog({ seed: 11, pods: 25, kubeletVersion: version, envelope, verbosity: 4, tz, transportTz: tz }, (c) => {
    text += c;
  });
  return { text, truth };
}

function parseGenerated(text: string, truth: GroundTruth, envelope: Envelope): ParseResult {
  const yearless = YEARLESS.includes(envelope);
  return parseText(text, yearless ? { year: 2024, tz: truth.options.tz } : { fallbackYear: 1999, tz: truth.options.tz });
}

describe.each(combos)('kubelet %s in %s', (version, envelope) => {
  const tz = envelope === 'rfc3339' ? '-05:00' : '+08:00';
  let truth: GroundTruth;
  let r: ParseResult;
  let byTime: Map<number, LogRecord[]>;

  it('generates and parses', async () => {
    const g = await generate(version, envelope, tz);
    truth = g.truth;
    r = parseGenerated(g.text, truth, envelope);
    byTime = new Map();
    for (const rec of r.records) {
      if (rec.timeUs === undefined) continue;
      const list = byTime.get(rec.timeUs) ?? [];
      list.push(rec);
      byTime.set(rec.timeUs, list);
    }
    expect(r.records.length).toBeGreaterThan(100);
  });

  it("without --year and --tz, the log's own times give the same year and zone (nothing assumed from the mtime)", async () => {
    const g = await generate(version, envelope, tz);
    const inferred = parseText(g.text, { fallbackYear: 1999 });
    expect(inferred.records.map((x) => x.timeUs)).toEqual(r.records.map((x) => x.timeUs));
    expect(inferred.time.conflicts.count).toBe(0);
    expect(inferred.time.klogOff.count).toBe(0);
    if (YEARLESS.includes(envelope) || envelope === 'klog') {
      expect(inferred.time.year).toMatchObject({ value: 2024, from: envelope === 'klog' ? 'klog-file-header' : 'content' });
      expect(inferred.time.zone).toMatchObject({ value: tz, from: 'content' });
    } else expect(inferred.time.year).toBeUndefined();
  });

  it('every line is accounted for as the generator wrote it', () => {
    const kubelet = r.records.filter((x) => x.format !== 'text');
    const text = r.records.filter((x) => x.format === 'text'); // `Flag --x has been deprecated`: the generator counts them foreign
    expect(r.counts.rejected).toBe(0);
    expect(r.diagnostics.filter((d) => d.level !== 'info')).toEqual([]);
    expect(r.counts.linesRead).toBe(truth.totals.lines);
    expect(kubelet.length).toBe(truth.totals.records);
    expect(text.length + r.counts.foreign).toBe(truth.totals.foreignLines);
    expect(kubelet.reduce((n, x) => n + x.endLine - x.line + 1, 0)).toBe(truth.totals.records + truth.totals.continuationLines);
  });

  it('severities match the ground truth', () => {
    const bySev: Record<string, number> = {};
    for (const x of r.records) if (x.format !== 'text') bySev[x.severity!] = (bySev[x.severity!] ?? 0) + 1;
    const expected = Object.fromEntries(Object.entries(truth.totals.recordsBySeverity).filter(([, n]) => n > 0));
    if (version === 'json') {
      // JSON logs have no level: warnings read as info (v present), errors as E (no v)
      expect(bySev.E).toBe(expected.E ?? 0);
      expect((bySev.I ?? 0) + (bySev.E ?? 0)).toBe(truth.totals.records);
    } else {
      expect(bySev).toEqual(expected);
    }
  });

  it('every phase boundary of the ground truth is a record at exactly that microsecond, of that pod', () => {
    // the truth is the pod worker's state; only a log with its enter/exit lines has a record at each boundary
    if (truth.boundaryMode !== 'enter-exit') return;
    let checked = 0;
    for (const pod of truth.pods) {
      for (const [i, ph] of pod.phases.entries()) {
        // a kubelet restart closes the running sync phase at the old process's last line
        const closedByRestart = pod.phases[i + 1] !== undefined && pod.phases[i + 1]!.pid !== ph.pid;
        for (const us of [ph.startUs, closedByRestart ? null : ph.endUs]) {
          if (us === null) continue;
          const recs = byTime.get(us);
          expect(recs, `${pod.uid} ${ph.phase} at ${us}`).toBeDefined();
          const mentions = recs!.some((x) => JSON.stringify(x.kv).includes(pod.uid) || JSON.stringify(x.kv).includes(pod.name) || x.msg.includes(pod.uid));
          expect(mentions, `${pod.uid} ${ph.phase} at ${us}: ${recs!.map((x) => x.msg).join(' | ')}`).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('enter/exit boundaries carry the pod UID in the same typed form in every era', () => {
    if (truth.boundaryMode !== 'enter-exit') return;
    for (const pod of truth.pods.filter((p) => p.phases.length > 0)) {
      const ph = pod.phases[0]!;
      const rec = byTime.get(ph.startUs)!.find((x) => /^sync(Terminating|Terminated)?Pod enter$/i.test(x.msg));
      expect(rec, `${pod.uid} ${ph.phase}`).toBeDefined();
      expect(rec!.kv.podUID).toBe(pod.uid);
    }
  });
});
