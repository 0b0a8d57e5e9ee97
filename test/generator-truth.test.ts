// The generator's ground truth: the simulated pod worker's real state (README "Ground truth"),
// checked against the lines the generator wrote, read back by the real parser: every version at
// -v=2, -v=4 and JSON parses with every line accounted for; at -v=4 each boundary is its
// enter/exit line; at -v=2 each boundary's line is within the documented tolerance; the truth does
// not depend on the verbosity; the incident scenarios happen with all their evidence.
import { describe, expect, it } from 'vitest';
import {
  ENVELOPES,
  TEXT_VERSIONS,
  TOLERANCE_MS,
  generateLog,
  type Envelope,
  type GeneratorOptions,
  type GroundTruth,
  type KubeletVersion,
  type PodTruth,
  type StepName,
} from '../samples/generator/index.js';
import { parseText, type LogRecord } from '../parser/index.js';

const YEARLESS: Envelope[] = ['syslog', 'journal-short', 'journal-short-precise'];

async function gen(opts: GeneratorOptions): Promise<{ text: string; truth: GroundTruth }> {
  let text = '';
  const truth = await generateLog(opts, (c) => {
    text += c;
  });
  return { text, truth };
}

/** The records; the year comes from the envelope when it has one (a bare klog stream has none). */
function parse(text: string, truth: GroundTruth): LogRecord[] {
  const tz = truth.options.tz;
  const yearless = YEARLESS.includes(truth.options.envelope) || (truth.options.envelope === 'klog' && !text.startsWith('Log file created at: '));
  return parseText(text, yearless ? { year: 2024, tz } : { fallbackYear: 1999, tz }).records;
}

function byTime(records: readonly LogRecord[]): Map<number, LogRecord[]> {
  const m = new Map<number, LogRecord[]>();
  for (const r of records) {
    if (r.timeUs === undefined || r.format === 'text') continue;
    const l = m.get(r.timeUs) ?? [];
    l.push(r);
    m.set(r.timeUs, l);
  }
  return m;
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Whether a record names the pod (UID, its cgroup `pod<uid_>`, `ns/name`, `name_ns(`, or the JSON object reference). */
function namer(p: PodTruth): (r: LogRecord) => boolean {
  const re = new RegExp(
    `${esc(p.uid)}|${esc(p.uid.replaceAll('-', '_'))}|(^|[\\s\\["])${esc(p.namespace)}/${esc(p.name)}($|[\\s\\]"])|${esc(p.name)}_${esc(p.namespace)}\\(|"name":"${esc(p.name)}","namespace":"${esc(p.namespace)}"`,
  );
  return (r) => re.test(r.msg) || re.test(JSON.stringify(r.kv));
}

describe('every kubelet version at -v=2, -v=4 and JSON: lines the parser accepts, every line accounted for', () => {
  const cases: Array<[KubeletVersion, 2 | 4, 'text' | 'json', Envelope]> = [];
  let i = 0;
  for (const v of TEXT_VERSIONS) {
    for (const verbosity of [2, 4] as const) {
      for (const format of ['text', 'json'] as const) {
        // the talosctl prefix is only seen with JSON logs (the parser does not read prefixed block lines)
        const envs = ENVELOPES.filter((e) => format === 'json' || e !== 'json-prefixed');
        cases.push([v, verbosity, format, envs[i++ % envs.length] as Envelope]);
      }
    }
  }
  it.each(cases)('%s at -v=%s in %s (%s)', async (version, verbosity, logFormat, envelope) => {
    const { text, truth } = await gen({ seed: 13, targetBytes: 250_000, kubeletVersion: version, logFormat, verbosity, envelope, tz: '+02:00', scenario: 'incidents' });
    const tz = '+02:00';
    const r = parseText(text, YEARLESS.includes(envelope) ? { year: 2024, tz } : { fallbackYear: 1999, tz });
    const t = truth.totals;
    expect(r.counts.rejected).toBe(0);
    expect(r.counts.linesRead).toBe(t.lines);
    expect(t.lines).toBe(t.records + t.continuationLines + t.foreignLines + t.crashLines);
    // every line is in a record or counted foreign; the kubelet's records are exactly the generator's
    expect(r.records.reduce((n, x) => n + x.endLine - x.line + 1, 0) + r.counts.foreign).toBe(t.lines);
    expect(r.records.filter((x) => x.format === 'klog' || x.format === 'json').length).toBe(t.records);
    if (t.crashLines === 0) expect(r.diagnostics.filter((d) => d.level !== 'info')).toEqual([]);
    expect(truth.options).toMatchObject({ kubeletVersion: version, logFormat, verbosity, envelope });
  });
});

/** The phases without what depends on the verbosity: a process's last record (its end) and the evidence lists. */
function stable(t: GroundTruth): unknown {
  return t.pods.map((p) => ({
    uid: p.uid,
    phases: p.phases.map((ph) => (ph.end === 'process-end' ? { ...ph, endUs: 'process-end' } : ph)),
    finishedUs: p.finishedUs,
    startup: p.startup,
    teardown: p.teardown,
    anomalies: p.anomalies.map((a) => ({ ...a, evidenceUs: [] })),
  }));
}

describe('the truth is the pod worker’s state, whatever the log shows', () => {
  it.each(['1.20', '1.21', '1.23', '1.28', '1.32'] as KubeletVersion[])('%s: the same seed gives the same phases, steps and incidents at -v=2 and -v=4, and the -v=2 lines are -v=4 lines', async (version) => {
    const opts: GeneratorOptions = { seed: 9, pods: 40, kubeletVersion: version, envelope: 'klog', klogFileHeader: false, scenario: 'incidents' };
    const v4 = await gen({ ...opts, verbosity: 4 });
    const v2 = await gen({ ...opts, verbosity: 2 });
    expect(stable(v2.truth)).toEqual(stable(v4.truth));
    expect(v2.truth.pods.length).toBeGreaterThan(40);
    const all = new Set(v4.text.split('\n'));
    const notInV4 = v2.text.split('\n').filter((l) => !all.has(l));
    // only the flags dump differs: it prints -v itself
    expect(notInV4.every((l) => l.endsWith('FLAG: --v="2"'))).toBe(true);
    expect(v2.text.split('\n').length).toBeLessThan(v4.text.split('\n').length / 4);
  });
});

const STARTUP_ORDER: StepName[] = ['admitted', 'volumes-mounted', 'sandbox-created', 'image-pulled', 'init-container', 'container-started', 'ready'];
const TEARDOWN_ORDER: StepName[] = ['kill-decision', 'container-stopped', 'network-torn-down', 'sandbox-removed', 'volumes-unmounted', 'cgroup-removed', 'status-sent', 'removed'];

function checkInvariants(truth: GroundTruth, records: readonly LogRecord[]): { phases: number; evidence: number } {
  const at = byTime(records);
  const procs = new Map(truth.processes.map((p) => [p.pid, p]));
  let phases = 0;
  let evidence = 0;
  for (const p of truth.pods) {
    const who = `${p.namespace}/${p.name} ${p.uid}`;
    const names = namer(p);
    let prev: (typeof p.phases)[number] | null = null;
    for (const ph of p.phases) {
      phases++;
      const proc = procs.get(ph.pid);
      expect(proc, who).toBeDefined();
      expect(ph.startUs, who).toBeGreaterThanOrEqual(truth.startUs);
      if (ph.endUs === null) {
        expect([ph.end, ph.open, ph.openAtEnd], who).toEqual(['log-end', true, true]);
        expect(proc!.end, who).toBe('log-end');
      } else {
        expect([ph.open, ph.openAtEnd], who).toEqual([false, false]);
        expect(ph.endUs, who).toBeGreaterThanOrEqual(ph.startUs);
        if (ph.end === 'process-end') expect(ph.endUs, who).toBe(proc!.endUs);
      }
      if (prev) {
        // contiguous and in order: sync ends where terminating starts; nothing overlaps
        expect(prev.endUs, who).not.toBeNull();
        expect(ph.startUs, who).toBeGreaterThanOrEqual(prev.endUs!);
        if (prev.end === 'next-phase') {
          expect(ph.startUs, who).toBe(prev.endUs);
          expect(ph.pid, who).toBe(prev.pid);
        }
        if (prev.phase === 'sync' && prev.end === 'next-phase') expect(ph.phase, who).toBe('terminating');
        if (ph.phase === 'terminated' && prev.end === 'exit' && prev.phase === 'terminating') expect(ph.startUs - prev.endUs!, who).toBeLessThan(2000);
      }
      prev = ph;
    }
    if (p.finishedUs !== null && p.phases.length > 0) expect(p.finishedUs, who).toBeGreaterThanOrEqual(p.phases.filter((x) => x.phase === 'terminated').at(-1)?.endUs ?? 0);
    if (p.openAtEnd) expect(p.phases.at(-1)?.endUs ?? null, who).toBeNull();
    for (const a of p.anomalies) {
      expect(a.uid, who).toBe(p.uid);
      expect([...a.evidenceUs].sort((x, y) => x - y), who).toEqual(a.evidenceUs);
      if (a.evidenceUs.length > 0) expect(a.tUs, `${who} ${a.kind}`).toBeLessThanOrEqual(a.evidenceUs[0]!);
      for (const t of a.evidenceUs) {
        evidence++;
        const recs = at.get(t);
        expect(recs, `${who} ${a.kind} evidence at ${t}`).toBeDefined();
        // ≤1.20's printf kill lines name only the container ID
        const named = recs!.some((r) => names(r) || /^(Killing container "|Container ".*" (termination failed|exited normally))/.test(r.msg));
        if (a.kind !== 'evicted') expect(named, `${who} ${a.kind} at ${t}: ${recs!.map((x) => x.msg).join(' | ')}`).toBe(true);
      }
    }
    // steps in the kubelet's order, each ending after it starts
    const rank = (order: StepName[], s: StepName): number => order.indexOf(s);
    for (const [list, order] of [
      [p.startup, STARTUP_ORDER],
      [p.teardown, TEARDOWN_ORDER],
    ] as const) {
      for (const s of list) if (s.endUs !== null) expect(s.endUs, `${who} ${s.step}`).toBeGreaterThanOrEqual(s.startUs);
      if (list === p.startup) {
        for (let i = 1; i < list.length; i++) {
          const [a, b] = [list[i - 1]!, list[i]!];
          if (a.step === b.step || (a.step === 'image-pulled') !== (b.step === 'image-pulled')) continue;
          expect(rank(order, b.step), `${who} ${a.step} → ${b.step}`).toBeGreaterThanOrEqual(rank(order, a.step) - 2);
          expect(b.startUs, `${who} ${a.step} → ${b.step}`).toBeGreaterThanOrEqual(a.startUs);
        }
      }
    }
    // a rejected pod is only removed (nothing ran, nothing to kill)
    const rejected = p.anomalies.some((a) => a.kind === 'admission-rejected');
    if (p.teardown.length > 0) expect(p.teardown[0]!.step, who).toBe(rejected ? 'removed' : 'kill-decision');
  }
  // processes: one after the other, the last one runs to the end of the log
  for (let i = 1; i < truth.processes.length; i++) {
    const [a, b] = [truth.processes[i - 1]!, truth.processes[i]!];
    expect(b.startUs).toBeGreaterThan(a.endUs);
    expect(['crash', 'restart', 'stop']).toContain(a.end);
    if (a.end === 'crash') expect(['SIGABRT', 'SIGSEGV']).toContain(a.signal);
  }
  // the last process runs to the end of the log, unless the log ends while it is down
  expect(['log-end', 'stop', 'crash']).toContain(truth.processes.at(-1)!.end);
  expect(truth.restarts.length).toBe(truth.processes.length - 1);
  for (const e of truth.nodeEvents) if (e.endUs !== null) expect(e.endUs).toBeGreaterThanOrEqual(e.startUs);
  return { phases, evidence };
}

describe('truth invariants', () => {
  it.each([
    ['1.20', 'journal-short'],
    ['1.23', 'syslog'],
    ['1.28', 'rfc3339'],
    ['1.32', 'journal-json'],
  ] as Array<[KubeletVersion, Envelope]>)('%s (%s, every incident scenario)', async (version, envelope) => {
    const { text, truth } = await gen({ seed: 17, targetBytes: envelope === 'journal-json' ? 3_000_000 : 1_500_000, kubeletVersion: version, envelope, scenario: 'incidents' });
    const n = checkInvariants(truth, parse(text, truth));
    expect(n.phases).toBeGreaterThan(60);
    expect(n.evidence).toBeGreaterThan(20);
  });
});

describe('at -v=4 (1.22+) every boundary is the pod worker’s enter/exit line', () => {
  it.each([
    ['1.23', 'text'],
    ['1.26', 'text'],
    ['1.32', 'text'],
    ['1.29', 'json'],
  ] as Array<[KubeletVersion, 'text' | 'json']>)('%s %s', async (version, logFormat) => {
    const { text, truth } = await gen({ seed: 21, targetBytes: 1_200_000, kubeletVersion: version, logFormat, envelope: 'klog', tz: '+08:00', scenario: 'incidents' });
    expect(truth.boundaryMode).toBe('enter-exit');
    const at = byTime(parse(text, truth));
    const line = (t: number, re: RegExp, uid: string): void => {
      const recs = at.get(t) ?? [];
      expect(
        recs.some((r) => re.test(r.msg) && r.raw.includes(uid)),
        `${uid} at ${t}: ${recs.map((r) => r.msg).join(' | ')}`,
      ).toBe(true);
    };
    let checked = 0;
    for (const p of truth.pods) {
      for (const ph of p.phases) {
        const [enter, exit] = ph.phase === 'sync' ? [/^[sS]yncPod enter$/, null] : ph.phase === 'terminating' ? [/^[sS]yncTerminatingPod enter$/, /^[sS]yncTerminatingPod exit$/] : [/^[sS]yncTerminatedPod enter$/, /^[sS]yncTerminatedPod exit$/];
        line(ph.startUs, enter, p.uid);
        if (ph.endUs !== null && ph.end === 'exit' && exit) line(ph.endUs, exit, p.uid);
        if (ph.end === 'next-phase') line(ph.endUs!, /^[sS]yncTerminatingPod enter$/, p.uid);
        checked++;
      }
      if (p.finishedUs !== null) line(p.finishedUs, /^Pod is complete and the worker can now stop$/, p.uid);
      if (p.removedUs !== null) line(p.removedUs, /^SyncLoop REMOVE$/, p.name);
    }
    expect(checked).toBeGreaterThan(80);
  });
});

/**
 * The -v=2 line that shows each boundary (README "Boundaries at -v=4 and -v=2") and its distance
 * from the true time (positive: the line comes after it).
 */
function v2Distances(truth: GroundTruth, records: readonly LogRecord[]): Record<keyof typeof TOLERANCE_MS, number[]> {
  const out: Record<keyof typeof TOLERANCE_MS, number[]> = {
    'sync-start': [],
    'terminating-start': [],
    'terminating-end': [],
    'terminated-start': [],
    'terminated-end': [],
    finished: [],
  };
  const recs = records.filter((r) => r.timeUs !== undefined && r.format !== 'text');
  const ms = (a: number, b: number): number => (a - b) / 1000;
  for (const p of truth.pods) {
    if (p.mirror) continue;
    const names = namer(p);
    const mine = recs.filter(names);
    const first = (re: RegExp, from: number, to = Number.POSITIVE_INFINITY): LogRecord | undefined => mine.find((r) => r.timeUs! >= from && r.timeUs! <= to && re.test(r.msg));
    const last = (re: RegExp, from: number, to: number): LogRecord | undefined => mine.filter((r) => r.timeUs! >= from && r.timeUs! <= to && re.test(r.msg)).at(-1);
    for (const [i, ph] of p.phases.entries()) {
      const prev = p.phases[i - 1];
      const afterRemove = p.removedUs !== null && ph.startUs > p.removedUs; // a second teardown: README exception
      if (ph.phase === 'sync') {
        // the ADD that listed the pod (in this process), or the V0 Topology Admit Handler
        const add = last(/^SyncLoop (ADD|\(ADD)|^Topology Admit Handler$/, ph.startUs - 5_000_000, ph.startUs);
        if (add) out['sync-start'].push(ms(ph.startUs, add.timeUs!));
      }
      if (ph.phase === 'terminating' && !afterRemove && prev?.end === 'next-phase') {
        // DELETE just before, a completed Job's ContainerDied before, the eviction ranking that lists it first, the Killing line just after
        const ref = `(${esc(p.namespace)}/${esc(p.name)}|\\{"name":"${esc(p.name)}","namespace":"${esc(p.namespace)}"\\}|${esc(p.name)}_${esc(p.namespace)}\\()`;
        const rankedFirst = new RegExp(`(pods=\\[\\\\?"?|pods=\\\\?"\\[|pods ranked for eviction: )${ref}`);
        const cands = mine.filter(
          (r) =>
            Math.abs(r.timeUs! - ph.startUs) < 5_000_000 &&
            (/^SyncLoop (DELETE|\(DELETE)|^Killing container/.test(r.msg) || (/^SyncLoop \(PLEG\)/.test(r.msg) && /ContainerDied/.test(r.raw)) || (/pods ranked for eviction/.test(r.msg) && rankedFirst.test(r.raw))),
        );
        const best = cands.reduce<LogRecord | undefined>((a, b) => (a && Math.abs(a.timeUs! - ph.startUs) <= Math.abs(b.timeUs! - ph.startUs) ? a : b), undefined);
        if (best) out['terminating-start'].push(ms(best.timeUs!, ph.startUs));
      }
      if (ph.phase === 'terminating' && ph.end === 'exit' && !afterRemove) {
        const un = first(/^operationExecutor\.UnmountVolume started/, ph.endUs!);
        if (un) out['terminating-end'].push(ms(un.timeUs!, ph.endUs!));
      }
      if (ph.phase === 'terminated' && prev?.phase === 'terminating' && prev.end === 'exit' && !afterRemove) {
        const un = first(/^operationExecutor\.UnmountVolume started/, ph.startUs);
        if (un) out['terminated-start'].push(ms(un.timeUs!, ph.startUs));
        if (ph.endUs !== null) {
          const det = last(/^Volume detached/, ph.startUs, ph.endUs);
          if (det) out['terminated-end'].push(ms(ph.endUs, det.timeUs!));
          if (det && p.finishedUs !== null && p.phases.at(-1) === ph) out.finished.push(ms(p.finishedUs, det.timeUs!));
        }
      }
    }
  }
  return out;
}

describe('at -v=2 every boundary has a line within the documented tolerance', () => {
  it.each(['1.19', '1.21', '1.23', '1.26', '1.28', '1.32'] as KubeletVersion[])('%s', async (version) => {
    const { text, truth } = await gen({ seed: 31, targetBytes: 1_500_000, kubeletVersion: version, verbosity: 2, envelope: 'klog', klogFileHeader: false, scenario: 'incidents' });
    expect(truth.boundaryMode).toBe('v2');
    const d = v2Distances(truth, parse(text, truth));
    for (const [k, list] of Object.entries(d) as Array<[keyof typeof TOLERANCE_MS, number[]]>) {
      expect(list.length, k).toBeGreaterThan(10);
      const worst = Math.max(...list.map(Math.abs));
      expect(worst, `${k}: worst ${worst} ms`).toBeLessThanOrEqual(TOLERANCE_MS[k]);
      // the sides: these lines come after the true time, those before
      if (k === 'terminating-end' || k === 'terminated-start') expect(Math.min(...list), k).toBeGreaterThanOrEqual(0);
      if (k === 'sync-start' || k === 'terminated-end' || k === 'finished') expect(Math.min(...list), k).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('scenarios', () => {
  let log: { text: string; truth: GroundTruth } | null = null;
  const incidents = async (): Promise<{ text: string; truth: GroundTruth }> => {
    log ??= await gen({ seed: 6, targetBytes: 3_000_000, kubeletVersion: '1.28', envelope: 'journal-short', scenario: 'incidents' });
    return log;
  };
  const lineWith = (text: string, s: string): string[] => text.split('\n').filter((l) => l.includes(s));

  it('every incident kind, process end and node event happens, each with evidence', async () => {
    const { truth } = await incidents();
    const kinds = new Set(truth.anomalies.map((a) => a.kind));
    for (const k of [
      'admission-rejected',
      'evicted',
      'oom-killed',
      'crash-loop',
      'image-pull-failed',
      'probe-restart',
      'kill-failed',
      'grace-exceeded',
      'stuck-terminating',
      'mount-failed',
      'unmount-failed',
      'sandbox-failed',
      'kubelet-restart',
      'kubelet-crash',
    ])
      expect(kinds, k).toContain(k);
    for (const a of truth.anomalies) expect(a.evidenceUs.length, `${a.kind} ${a.uid ?? ''}`).toBeGreaterThan(0);
    expect(truth.processes.map((p) => [p.end, p.signal ?? null])).toEqual([
      ['restart', null],
      ['crash', 'SIGABRT'],
      ['crash', 'SIGSEGV'],
      ['log-end', null],
    ]);
    expect(new Set(truth.nodeEvents.map((e) => e.kind))).toEqual(new Set(['not-ready', 'pleg-unhealthy', 'cni-not-ready', 'eviction-pressure']));
  });

  it('a crash: the goroutine dump or the panic after the last record, then a new PID after a gap with its start-up lines', async () => {
    const { text, truth } = await incidents();
    const lines = text.split('\n');
    for (const [i, proc] of truth.processes.entries()) {
      if (proc.end !== 'crash') continue;
      const next = truth.processes[i + 1]!;
      expect(next.pid).not.toBe(proc.pid);
      expect(next.startUs - proc.endUs).toBeGreaterThan(10_000_000);
      expect(proc.crashLines).toBeGreaterThan(10);
      const first = lines.findIndex((l) => l.includes(`kubelet[${proc.pid}]: ${proc.signal === 'SIGABRT' ? 'SIGABRT: abort' : 'panic: runtime error'}`));
      expect(first).toBeGreaterThan(0);
      if (proc.signal === 'SIGSEGV') expect(lines.slice(0, first).filter((l) => l.includes(`kubelet[${proc.pid}]: E`)).at(-1)).toMatch(/runtime\.go:\d+\] Observed a panic: /);
      const restart = lines.findIndex((l, k) => k > first && l.includes(`kubelet[${next.pid}]: I`));
      expect(lines.slice(first, restart).some((l) => l.includes('systemd[1]: kubelet.service: Main process exited'))).toBe(true);
      expect(lines[restart]).toMatch(/flags\.go:\d+\] FLAG: --address="0\.0\.0\.0"$/);
      expect(lines.slice(restart, restart + 40).some((l) => /"Kubelet version" kubeletVersion="v1\.28\.7"/.test(l))).toBe(true);
    }
    // the pods carry across: the same UIDs get a new sync phase in each new process
    const steady = truth.pods.filter((p) => p.kind === 'DaemonSet');
    for (const p of steady) expect(new Set(p.phases.map((ph) => ph.pid)).size).toBe(truth.processes.length);
  });

  it('an eviction: pressure, the pod killed at once with reason Evicted, its worker finishes, it stays in the API', async () => {
    const { text, truth } = await incidents();
    const evicted = truth.pods.filter((p) => p.anomalies.some((a) => a.kind === 'evicted'));
    expect(evicted.length).toBe(2);
    for (const p of evicted) {
      const a = p.anomalies.find((x) => x.kind === 'evicted')!;
      expect(['memory.available', 'nodefs.available']).toContain(a.signal);
      const term = p.phases.find((ph) => ph.phase === 'terminating' && ph.startUs >= a.tUs)!;
      expect(term.end).toBe('exit');
      expect(p.teardown.filter((s) => s.step === 'container-stopped').every((s) => s.gracePeriodS === 0 && s.sigkill)).toBe(true);
      expect(p.removedUs).toBeNull();
      expect(lineWith(text, `"Evicting pod" pod="${p.namespace}/${p.name}"`).length).toBe(1);
      expect(lineWith(text, `"Eviction manager: pod is evicted successfully" pod="${p.namespace}/${p.name}"`).length).toBe(1);
    }
    expect(lineWith(text, '"Recording event message for node" node="node-1" event="NodeHasInsufficientMemory"').length).toBeGreaterThan(0);
  });

  it('OOM kills, admission rejects, image pulls, SIGTERM ignored: what each leaves in the log and the truth', async () => {
    const { text, truth } = await incidents();
    const of = (k: string): PodTruth[] => truth.pods.filter((p) => p.anomalies.some((a) => a.kind === k));
    for (const p of of('oom-killed')) {
      const a = p.anomalies.find((x) => x.kind === 'oom-killed')!;
      expect(lineWith(text, `podID="${p.uid}"`).some((l) => l.includes('exitCode=137'))).toBe(true);
      expect(lineWith(text, `podUID="${p.uid}"`).some((l) => l.includes('\\"reason\\":\\"OOMKilled\\"'))).toBe(true);
      // the container restarts; the pod keeps running: no teardown at the OOM kill
      expect(p.phases.some((ph) => ph.phase === 'sync' && ph.startUs <= a.tUs && (ph.endUs === null || ph.endUs > a.tUs))).toBe(true);
    }
    for (const p of of('admission-rejected')) {
      expect(p.phases.filter((ph) => ph.phase !== 'terminated')).toEqual([]);
      expect(p.startup).toEqual([]);
      expect(['TopologyAffinityError', 'OutOfcpu', 'NodeAffinity']).toContain(p.anomalies[0]!.reason);
    }
    for (const p of of('image-pull-failed')) {
      const mine = lineWith(text, `pod="${p.namespace}/${p.name}"`);
      expect(mine.some((l) => l.includes('with ErrImagePull:'))).toBe(true);
      expect(mine.some((l) => l.includes('with ImagePullBackOff:'))).toBe(true);
    }
    for (const p of of('grace-exceeded')) {
      const stop = p.teardown.find((s) => s.step === 'container-stopped' && s.sigkill)!;
      expect(stop.endUs! - stop.startUs).toBeGreaterThanOrEqual(stop.gracePeriodS! * 1_000_000);
    }
    for (const k of ['oom-killed', 'admission-rejected', 'image-pull-failed', 'grace-exceeded']) expect(of(k).length, k).toBeGreaterThan(0);
  });

  it('slow start-up steps take as long as the truth says', async () => {
    const { truth } = await incidents();
    const steps = truth.pods.flatMap((p) => p.startup);
    const longest = (s: StepName): number => Math.max(...steps.filter((x) => x.step === s && x.endUs !== null).map((x) => x.endUs! - x.startUs));
    expect(longest('image-pulled')).toBeGreaterThanOrEqual(20_000_000);
    expect(longest('volumes-mounted')).toBeGreaterThanOrEqual(10_000_000);
    // slow readiness: ready long after the last container started
    const slowReady = truth.pods.filter((p) => {
      const ready = p.startup.find((s) => s.step === 'ready');
      const started = p.startup.filter((s) => s.step === 'container-started').at(-1);
      return ready && started && ready.startUs - started.endUs! >= 20_000_000;
    });
    expect(slowReady.length).toBeGreaterThan(0);
  });
});
