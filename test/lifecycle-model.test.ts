// The lifecycle model on the design-notes trace (to the line) and on generated logs (to the
// microsecond of the generator's ground truth).
import { describe, expect, it } from 'vitest';
import { buildLifecycles, RECREATE_WINDOW_US, type PodLifecycle } from '../lifecycle/model.js';
import { PROBE_FAILURE_THRESHOLD } from '../lifecycle/incidents.js';
import { parseText, type LogRecord } from '../parser/index.js';
import { ENVELOPES, generateLog, type Envelope, type GroundTruth, type KubeletVersion } from '../samples/generator/index.js';
import { parseSample } from './helpers/samples.js';
import tolerance from '../schemas/inference-tolerance.json' with { type: 'json' };

const TOLERANCE = tolerance.ms;

const UID = '4f3761db-ee39-4974-a2cc-9bf0a48e5c13';

const phaseLines = (p: PodLifecycle) => p.phases.map((ph) => [ph.phase, ph.start.line, ph.end.line, ph.evidence, ph.open]);

describe('design-notes teardown trace', () => {
  const r = parseSample('00');
  const model = buildLifecycles(r.records);

  it('is exactly one pod, with its name', () => {
    expect(model.pods.map((p) => [p.uid, p.namespace, p.name])).toEqual([[UID, 'default', 'nginx-deployment-9456bbbf9-cvrr7']]);
    expect(model.pods[0]!.workload).toBe('default/nginx-deployment');
  });

  it('has two terminating phases and one terminated, from the enter/exit lines; the second kill fails and the log ends in it', () => {
    const pod = model.pods[0]!;
    expect(phaseLines(pod)).toEqual([
      ['terminating', 5, 29, 'exact', false],
      ['terminated', 39, 50, 'exact', false],
      // its only call failed (`Kill container failed` before its exit): still terminating when the trace ends
      ['terminating', 140, 147, 'exact', true],
    ]);
    expect(pod.phases[2]!.endBy).toEqual({ evidence: 'log-end' });
    // `Pod is complete` (line 51) closed the first cycle; the second has not finished
    expect(pod.finished).toBeNull();
    expect(pod.state).toBe('terminating');
    expect(pod.phases[0]!.gracePeriodS).toBe(30);
    expect(pod.phases[2]!.gracePeriodS).toBe(1);
  });

  it('flags the kill failure of the second teardown (both its lines) and the double teardown', () => {
    const a = model.pods[0]!.incidents.map((x) => [x.kind, x.evidence.map((e) => r.records[e.index]!.line)]);
    expect(a).toEqual([
      ['torn-down-twice', [5, 140]],
      ['kill-failed', [145, 146]],
    ]);
  });

  it('puts every record that names the pod on its timeline', () => {
    const pod = model.pods[0]!;
    const lines = new Set([...pod.events].map((e) => r.records[e.index]!.line));
    for (const line of [1, 15, 18, 38, 56, 122, 127, 138, 146]) expect(lines.has(line), `line ${line}`).toBe(true);
    expect(model.unattached).toBe(0);
  });
});

async function generated(version: KubeletVersion, envelope: Envelope, pods: number, verbosity: 2 | 4 = 4): Promise<{ truth: GroundTruth; model: ReturnType<typeof buildLifecycles>; records: LogRecord[] }> {
  let text = '';
  const truth = await generateLog({ seed: 23, pods, kubeletVersion: version, envelope, verbosity, tz: '+02:00', transportTz: '+02:00' }, (c) => {
    text += c;
  });
  const parsed = parseText(text, { year: 2024, tz: '+02:00' });
  return { truth, model: buildLifecycles(parsed.records), records: parsed.records };
}

const generatedCases: [KubeletVersion, Envelope, 2 | 4][] = [
  // -v=4: boundaries from enter/exit lines
  ['1.23', 'journal-short', 4],
  ['1.23', 'klog', 4],
  ['1.26', 'syslog', 4],
  ['1.26', 'journal-json', 4],
  ['1.28', 'journal-short-iso', 4],
  ['1.28', 'rfc3339', 4],
  ['json', 'json-prefixed', 4],
  // -v=2 and 1.20: boundaries inferred from ADD / DELETE / PLEG / Volume detached / REMOVE
  ['1.20', 'klog', 4],
  ['1.23', 'journal-json', 2],
  ['1.26', 'syslog', 2],
  ['1.28', 'journal-short', 2],
];

// every envelope with every structured rendering (JSON logs only come as JSON lines)
const everyEnvelope: [KubeletVersion, Envelope, 2 | 4][] = (['1.23', '1.26', '1.28'] as KubeletVersion[]).flatMap((v) =>
  ENVELOPES.filter((e) => e !== 'json-prefixed').map((e): [KubeletVersion, Envelope, 2 | 4] => [v, e, 4]),
);

/**
 * The truth's phases as the model states them: a phase still running when the log (or its kubelet
 * process) ends runs to that process's last record, open.
 */
function expectedPhases(truth: GroundTruth['pods'][number], lastUsOfPid: Map<number, number>, logEndUs: number) {
  return truth.phases.map((ph) => {
    const running = ph.endUs === null || ph.end === 'process-end' || ph.end === 'log-end';
    const endUs = running ? (lastUsOfPid.get(ph.pid) ?? logEndUs) : ph.endUs;
    return { phase: ph.phase, startUs: ph.startUs, endUs, open: running, calls: ph.calls };
  });
}

type Compared = { phase: string; startUs: number | undefined | null; endUs: number | undefined | null; open: boolean; calls: number };

/**
 * At -v=2 a boundary comes from another line than the worker's own: within the tolerance
 * schemas/inference-tolerance.json documents for it. Returns `got` with each time that is within
 * its tolerance replaced by the truth's, so that one toEqual shows every difference that is not.
 */
function withinTolerance(got: Compared[], want: Compared[], exact: boolean): Compared[] {
  if (exact) return got;
  const ms = (k: keyof typeof TOLERANCE) => TOLERANCE[k] * 1000;
  return got.map((g, i) => {
    const w = want[i];
    if (!w || g.phase !== w.phase) return g;
    const startTol = ms(`${w.phase}-start` as keyof typeof TOLERANCE);
    // sync ends where terminating starts
    const endTol = ms((w.phase === 'sync' ? 'terminating-start' : `${w.phase}-end`) as keyof typeof TOLERANCE);
    const close = (a: number | undefined | null, b: number | undefined | null, tol: number) => a != null && b != null && Math.abs(a - b) <= tol;
    return {
      ...g,
      startUs: close(g.startUs, w.startUs, startTol) ? w.startUs : g.startUs,
      endUs: w.open || close(g.endUs, w.endUs, endTol) ? w.endUs : g.endUs,
      // calls are the worker's; without enter/exit lines the log shows one per phase
      calls: w.calls,
    };
  });
}

describe.each([...generatedCases, ...everyEnvelope])('generated kubelet %s in %s at -v=%s, against the ground truth', (version, envelope, verbosity) => {
  it('gives every pod its phases: to the microsecond from enter/exit lines, within the documented tolerance without them', async () => {
    const { truth, model, records } = await generated(version, envelope, everyEnvelope.some(([v, e]) => v === version && e === envelope) ? 25 : 60, verbosity);
    const lastUsOfPid = new Map<number, number>();
    let logEndUs = 0;
    for (const r of records) {
      if (r.timeUs === undefined) continue;
      const pid = r.pid ?? r.transport?.pid;
      if (pid !== undefined) lastUsOfPid.set(pid, r.timeUs);
      logEndUs = r.timeUs;
    }
    // the truth knows each restart's last record of the old process (JSON lines carry no PID)
    for (const r of truth.restarts) lastUsOfPid.set(r.oldPid, r.lastRecordUs);
    const exact = truth.boundaryMode === 'enter-exit';
    const byUid = new Map(model.pods.map((p) => [p.uid, p]));
    let compared = 0;
    for (const t of truth.pods) {
      if (t.phases.length === 0 || t.mirror) continue;
      const pod = byUid.get(t.uid);
      expect(pod, `${t.namespace}/${t.name} ${t.uid}`).toBeDefined();
      const got: Compared[] = pod!.phases.map((ph) => ({ phase: ph.phase, startUs: ph.start.timeUs, endUs: ph.end.timeUs, open: ph.open, calls: ph.calls }));
      const want = expectedPhases(t, lastUsOfPid, logEndUs);
      expect(withinTolerance(got, want, exact), `${t.namespace}/${t.name} ${t.uid}`).toEqual(exact ? want : want.map((w) => ({ ...w })));
      expect(pod!.exact).toBe(exact);
      expect([pod!.namespace, pod!.name]).toEqual([t.namespace, t.name]);
      compared++;
    }
    expect(compared).toBeGreaterThan(20);
  });
});

describe('Kubernetes events', () => {
  const line = (object: string, kind: string, reason: string) =>
    `I0607 06:00:00.118529   32384 event.go:307] "Event occurred" object="${object}" fieldPath="" kind="${kind}" apiVersion="" type="Normal" reason="${reason}" message="${reason}."`;

  it('about the node name no pod (its name is no pod reference); about a pod, that pod', () => {
    const text = [line('node-1', 'Node', 'Starting'), line('default/web-0', 'Pod', 'Pulled'), line('node-1', 'Node', 'NodeReady')].join('\n');
    const model = buildLifecycles(parseText(text, { year: 2024 }).records);
    expect(model.pods.map((p) => [p.key, p.workload])).toEqual([['~default/web-0', 'default/web-0']]);
    expect(model.unattached).toBe(2);
  });

  it('the node-1 of a generated log is no workload: every pod is one the generator made', async () => {
    const { truth, model } = await generated('1.28', 'journal-short', 25);
    const names = new Set(truth.pods.map((t) => `${t.namespace}/${t.name}`));
    expect(model.pods.filter((p) => !names.has(`${p.namespace}/${p.name}`)).map((p) => p.key)).toEqual([]);
  });
});

/** The generator's incident kinds, as the model names them. */
const TRUTH_KIND: Record<string, string> = { 'probe-failure': 'probe-failed', 'name-reused': 'recreated-quickly' };
/** Kinds the generator alone makes happen: the model may find no more of them than the truth has. */
const CONTROLLED = ['kill-failed', 'admission-rejected', 'evicted', 'oom-killed', 'stuck-terminating', 'torn-down-twice', 'crash-loop', 'image-pull-failed', 'mount-failed', 'unmount-failed', 'sandbox-failed'];
/** What a -v=2 log can show of each (admission failures and status patches are V3/V4). */
const SEEN_AT_V2 = ['kill-failed', 'evicted', 'oom-killed', 'stuck-terminating', 'crash-loop', 'image-pull-failed', 'mount-failed', 'unmount-failed', 'sandbox-failed', 'grace-exceeded', 'probe-restart'];

describe.each([
  ['1.20', 'klog', 4],
  ['1.23', 'syslog', 4],
  ['1.26', 'journal-json', 4],
  ['1.28', 'journal-short', 4],
  ['1.32', 'journal-short', 4],
  ['json', 'json-prefixed', 4],
  ['1.28', 'journal-short', 2],
  ['1.20', 'klog', 2],
] as [KubeletVersion, Envelope, 2 | 4][])('incident scenarios of kubelet %s in %s at -v=%s', (version, envelope, verbosity) => {
  it('every incident the generator made is found on its pod, and no failure it did not make', async () => {
    let text = '';
    const truth = await generateLog({ seed: 5, pods: 80, kubeletVersion: version, envelope, verbosity, scenario: 'incidents' }, (c) => {
      text += c;
    });
    const parsed = parseText(text, { year: 2024 });
    const model = buildLifecycles(parsed.records, undefined, parsed.foreign);
    const byUid = new Map(model.pods.map((p) => [p.uid, p]));
    const missed: string[] = [];
    const extra: string[] = [];
    for (const t of truth.pods) {
      const pod = byUid.get(t.uid);
      const expected = t.anomalies
        .filter((a) => a.evidenceUs.length > 0 && (verbosity === 4 || SEEN_AT_V2.includes(TRUTH_KIND[a.kind] ?? a.kind)))
        // a name re-created minutes later is no quick re-creation
        .filter((a) => a.kind !== 'name-reused' || quickly(truth, t, a.tUs))
        // a probe that failed fewer times than its failureThreshold changed nothing (PROBE_FAILURE_THRESHOLD)
        .filter((a) => a.kind !== 'probe-failure' || a.evidenceUs.length >= 2 * PROBE_FAILURE_THRESHOLD);
      for (const a of expected) {
        const kind = TRUTH_KIND[a.kind] ?? a.kind;
        if (!pod?.incidents.some((i) => i.kind === kind)) missed.push(`${kind} ${t.namespace}/${t.name}`);
      }
      for (const i of pod?.incidents ?? []) {
        if (CONTROLLED.includes(i.kind) && !t.anomalies.some((a) => (TRUTH_KIND[a.kind] ?? a.kind) === i.kind)) extra.push(`${i.kind} ${t.namespace}/${t.name}: ${i.detail}`);
      }
    }
    expect(missed).toEqual([]);
    expect(extra).toEqual([]);
    // the kubelet's own crashes: a klog or JSON file gets the `Observed a panic` record; the Go
    // runtime's dump of a fatal signal goes to stderr, which only the journal or syslog keep
    const stderrKept = envelope !== 'klog' && envelope !== 'json-prefixed';
    const crashes = truth.anomalies.filter((a) => a.kind === 'kubelet-crash' && (stderrKept || a.signal !== 'SIGABRT'));
    expect(model.nodeIncidents.filter((i) => i.kind === 'kubelet-crash').length).toBe(crashes.length);
  });
});

/** A name-reused incident of the truth: within the model's window of the name's previous pod's removal. */
function quickly(truth: GroundTruth, t: GroundTruth['pods'][number], tUs: number): boolean {
  const prev = truth.pods.filter((p) => p.namespace === t.namespace && p.name === t.name && p.uid !== t.uid && (p.removedUs ?? p.finishedUs ?? Infinity) <= tUs);
  const gone = Math.max(...prev.map((p) => p.removedUs ?? p.finishedUs ?? -Infinity));
  return tUs - gone < RECREATE_WINDOW_US;
}
