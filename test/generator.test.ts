import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import {
  generateLog,
  sampleRenderer,
  samplePod,
  goFloatV,
  goDuration,
  type Envelope,
  type GeneratorOptions,
  type GroundTruth,
  type KubeletVersion,
  type VolumeRt,
} from '../samples/generator/index.js';
import { FIXTURES as FIXTURE_SET } from '../samples/generator/fixtures.js';

const HEADER = /^([IWEF])(\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6}) +(\d+) ([^ :\]]+):(\d+)\] /;
const FIXTURES = join(import.meta.dirname, 'generator-fixtures');
// copies of /work/shared/reference/kubelet-messages/klog-golden (exact klog output per klog tag)
const GOLDEN_DIR = join(FIXTURES, '../fixtures/klog-golden');

async function gen(opts: GeneratorOptions): Promise<{ text: string; truth: GroundTruth; chunks: number }> {
  const parts: string[] = [];
  const truth = await generateLog(opts, (c) => {
    parts.push(c);
  });
  return { text: parts.join(''), truth, chunks: parts.length };
}

function lines(text: string): string[] {
  const l = text.split('\n');
  expect(l.pop()).toBe(''); // every line is newline-terminated
  return l;
}

/** Strip the transport envelope; returns the kubelet text, or null for a line of another program. */
function stripEnvelope(env: Envelope, line: string): string | null {
  switch (env) {
    case 'syslog': {
      const m = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ (\S+)\[\d+\]: /.exec(line);
      if (!m) throw new Error(`bad syslog line: ${line}`);
      return m[1] === 'kubelet' ? line.slice(m[0].length) : null;
    }
    case 'journal-short':
    case 'journal-short-precise': {
      const m = /^[A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d(\.\d{6})? \S+ (\S+)\[\d+\]: /.exec(line);
      if (!m || (env === 'journal-short-precise') !== (m[1] !== undefined)) throw new Error(`bad ${env} line: ${line}`);
      return m[2] === 'kubelet' ? line.slice(m[0].length) : null;
    }
    case 'journal-short-iso':
    case 'journal-short-iso-precise':
    case 'rfc3339': {
      const m = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?([+-]\d\d:?\d\d) \S+ (\S+)\[\d+\]: /.exec(line);
      if (!m) throw new Error(`bad ${env} line: ${line}`);
      return m[3] === 'kubelet' ? line.slice(m[0].length) : null;
    }
    case 'journal-json': {
      const o = JSON.parse(line) as Record<string, string>;
      expect(typeof o.__REALTIME_TIMESTAMP).toBe('string');
      expect(o.__REALTIME_TIMESTAMP).toMatch(/^\d{16}$/);
      return o.SYSLOG_IDENTIFIER === 'kubelet' ? (o.MESSAGE as string) : null;
    }
    case 'json-prefixed':
      expect(line.startsWith('node-1: ')).toBe(true);
      return line.slice('node-1: '.length);
    case 'klog':
      return line;
  }
}

const isContinuation = (env: Envelope, s: string): boolean => {
  const tab = env === 'syslog' || env === 'rfc3339' ? '#011' : env.startsWith('journal-short') ? '        ' : '\t';
  return s.startsWith(tab) || s.startsWith(' >');
};
const isKubeletText = (s: string): boolean => s.startsWith('Flag --') || /^(Log file created at: |Running on machine: |Binary: Built with |Log line format: )/.test(s);

describe('generator: determinism and size', () => {
  it('same seed → identical bytes; other seed → different bytes', async () => {
    const opts: GeneratorOptions = { seed: 42, targetBytes: 600_000, kubeletVersion: '1.26', envelope: 'syslog' };
    const a = await gen(opts);
    const b = await gen(opts);
    const h = (s: string) => createHash('sha256').update(s).digest('hex');
    expect(h(a.text)).toBe(h(b.text));
    expect(JSON.stringify(a.truth)).toBe(JSON.stringify(b.truth));
    const c = await gen({ ...opts, seed: 43 });
    expect(h(c.text)).not.toBe(h(a.text));
  });

  it('the klog content does not depend on the envelope', async () => {
    // (a byte target would couple the simulation to the envelope's size: use a pod count)
    const a = await gen({ seed: 5, pods: 30, envelope: 'klog', klogFileHeader: false, foreignLines: false, startupNoise: false });
    const b = await gen({ seed: 5, pods: 30, envelope: 'journal-short-precise', foreignLines: false, startupNoise: false });
    const la = lines(a.text).map((l) => l.replace(/^\t/, '        ')); // journalctl shows TAB as 8 spaces
    const lb = lines(b.text).map((l) => stripEnvelope('journal-short-precise', l));
    expect(la.length).toBeGreaterThan(1000);
    expect(lb).toEqual(la);
  });

  it('a ~5 MB generation lands within ±10% of its target and totals add up', async () => {
    const { text, truth, chunks } = await gen({ seed: 11, targetBytes: 5_000_000 });
    const bytes = Buffer.byteLength(text);
    expect(bytes).toBe(truth.totals.bytes);
    expect(bytes).toBeGreaterThan(4_500_000);
    expect(bytes).toBeLessThan(5_500_000);
    expect(chunks).toBeGreaterThanOrEqual(4); // streamed in ~1 MiB chunks
    expect(lines(text).length).toBe(truth.totals.lines);
    const s = truth.totals.recordsBySeverity;
    expect(s.I + s.W + s.E + s.F).toBe(truth.totals.records);
    expect(truth.totals.lines).toBe(truth.totals.records + truth.totals.continuationLines + truth.totals.foreignLines);
    expect(truth.pods.length).toBe(truth.totals.pods);
    expect(truth.pods.length).toBeGreaterThan(50);
  });

  it('pods mode creates the requested number of pods and lets them finish', async () => {
    const { truth } = await gen({ seed: 3, pods: 40, kubeletVersion: '1.23', restarts: 0, anomalies: { stuckTerminating: 0 } });
    const regular = truth.pods.filter((p) => !p.mirror);
    expect(regular.length).toBeGreaterThanOrEqual(40);
    for (const p of regular) {
      if (p.kind === 'Deployment' || p.kind === 'StatefulSet' || p.kind === 'Job') expect(p.openAtEnd, p.name).toBe(false);
    }
  });
});

describe('generator: line shapes per envelope', () => {
  const cases: Array<[Envelope, KubeletVersion]> = [
    ['syslog', '1.26'],
    ['journal-short', '1.28'],
    ['journal-short-precise', '1.23'],
    ['journal-short-iso', '1.20'],
    ['journal-short-iso-precise', '1.28'],
    ['journal-json', '1.26'],
    ['rfc3339', '1.28'],
    ['klog', '1.23'],
    ['json-prefixed', '1.26'],
  ];
  for (const [env, ver] of cases) {
    it(`${env} / ${ver}: every record line has a klog header, the rest are continuations or foreign`, async () => {
      const { text, truth } = await gen({
        seed: 8,
        targetBytes: 600_000,
        envelope: env,
        kubeletVersion: ver,
        tz: '+08:00',
        anomalies: { probeFailure: 1 },
        workloads: [{ match: 'cart-api', weight: 5 }],
      });
      let records = 0;
      let cont = 0;
      let foreign = 0;
      let prevTime = '';
      for (const raw of lines(text)) {
        const s = stripEnvelope(env, raw);
        if (s === null) {
          foreign++;
          continue;
        }
        const m = HEADER.exec(s);
        if (m) {
          records++;
          const t = s.slice(1, 21);
          expect(t >= prevTime, `${t} after ${prevTime}`).toBe(true);
          prevTime = t;
          expect(s).not.toContain('\t'); // TABs only inside block lines
        } else if (isContinuation(env, s)) cont++;
        else if (isKubeletText(s)) foreign++;
        else if (ver === '1.20') cont++; // printf raw newlines
        else throw new Error(`unexpected line: ${JSON.stringify(raw)}`);
      }
      expect(records).toBe(truth.totals.records);
      expect(cont).toBe(truth.totals.continuationLines);
      expect(foreign).toBe(truth.totals.foreignLines);
      if (env === 'syslog') expect(text).toMatch(/^[A-Z][a-z]{2}  \d /m); // space-padded day
      if (env === 'journal-short') expect(text).toMatch(/^Jun 07 /m);
      if (env === 'journal-short-iso') expect(text).toMatch(/^2024-06-07T\d\d:\d\d:\d\d\+0800 node-1 kubelet\[\d+\]: /m);
      if (env === 'rfc3339') expect(text).toMatch(/^2024-06-07T\d\d:\d\d:\d\d\.\d{6}\+08:00 node-1 kubelet\[\d+\]: /m);
      if (env === 'klog') expect(text.startsWith('Log file created at: 2024/06/07 ')).toBe(true);
      if (ver !== '1.20' && (env === 'syslog' || env === 'rfc3339')) expect(cont).toBeGreaterThan(0);
      if (env === 'syslog' || env === 'rfc3339') expect(text).toMatch(/kubelet\[\d+\]: #011/);
    });
  }

  it('journal-short-iso offers +08:00 as well', async () => {
    const { text } = await gen({ seed: 1, targetBytes: 50_000, envelope: 'journal-short-iso', isoOffset: 'extended', tz: '+08:00' });
    expect(text).toMatch(/^2024-06-07T\d\d:\d\d:\d\d\+08:00 node-1 kubelet\[\d+\]: I0607 /m);
  });

  it('json version: every kubelet line is a zap JSON object (ts, caller, msg, v only on non-errors)', async () => {
    const { text, truth } = await gen({
      seed: 4,
      targetBytes: 800_000,
      kubeletVersion: 'json',
      envelope: 'json-prefixed',
      anomalies: { killFailure: 0.5 },
      workloads: [{ match: 'nginx-deployment', meanLifetimeSeconds: 60, weight: 5 }],
    });
    let records = 0;
    let errors = 0;
    for (const raw of lines(text)) {
      const s = stripEnvelope('json-prefixed', raw) as string;
      if (isKubeletText(s)) continue;
      const o = JSON.parse(s) as Record<string, unknown>;
      records++;
      expect(Object.keys(o).slice(0, 3)).toEqual(['ts', 'caller', 'msg']);
      expect(typeof o.ts).toBe('number');
      expect(o.caller).toMatch(/^[a-z]+\/[a-z_]+\.go:\d+$/);
      if (!('v' in o)) {
        // error lines carry no "v"; ErrorS's err (if any) comes last
        errors++;
        if ('err' in o) expect(Object.keys(o).at(-1)).toBe('err');
      } else expect(Number.isInteger(o.v)).toBe(true);
      if (o.msg === 'SyncLoop ADD') expect((o.pods as Array<Record<string, string>>)[0]).toHaveProperty('namespace');
    }
    expect(records).toBe(truth.totals.records);
    expect(errors).toBeGreaterThan(0);
  });
});

describe('generator: era renderings match the golden klog output', () => {
  const golden = (file: string, pick: (l: string) => boolean): string => {
    const l = readFileSync(join(GOLDEN_DIR, file), 'utf8').split('\n');
    const i = l.findIndex(pick);
    expect(i, `${file}: line not found`).toBeGreaterThanOrEqual(0);
    // multi-line records: take the following header-less lines too
    let rec = l[i] as string;
    for (let k = i + 1; k < l.length && !HEADER.test(l[k] as string) && (l[k] as string) !== ''; k++) rec += '\n' + l[k];
    return rec.replace(HEADER, '');
  };
  const UID = '4f3761db-ee39-4974-a2cc-9bf0a48e5c13';
  const eras: Array<[KubeletVersion, string]> = [
    ['1.23', 'klog-v2.30.0.txt'],
    ['1.26', 'klog-v2.80.1.txt'],
    ['1.28', 'klog-v2.100.1.txt'],
  ];
  const mk = (ver: KubeletVersion) => {
    const { R, sink } = sampleRenderer(ver, { runtime: 'containerd' });
    const pod = samplePod(R, { ns: 'default', name: 'nginx-deployment-9456bbbf9-cvrr7', uid: UID, containers: [{ name: 'nginx', id: 'dc18bc33e791' }] });
    const coredns = samplePod(R, { ns: 'kube-system', name: 'coredns-5dd5756b68-6dljd', uid: '0ab1d3f2-0000-4000-8000-000000000001' });
    const last = (): string => sink.bodies().at(-1) as string;
    return { R, pod, coredns, last };
  };

  for (const [ver, file] of eras) {
    it(`${ver} ↔ ${file}`, () => {
      const { R, pod, coredns, last } = mk(ver);
      const g = (p: (l: string) => boolean) => golden(file, p);
      const c = pod.containers[0]!;

      R.syncLoop('ADD', 'api', [pod, coredns]);
      // 1.23 vendors KObjs (golden line 3); 1.26/1.28 KObjSlice (golden line 4)
      const addLines = readFileSync(join(GOLDEN_DIR, file), 'utf8').split('\n').filter((l) => l.includes('"SyncLoop ADD"'));
      expect(last()).toBe((ver === '1.23' ? addLines[0] : addLines[1])!.replace(HEADER, ''));

      R.plegEvent(pod, 'ContainerDied', 'dc18bc33e791');
      expect(last()).toBe(g((l) => l.includes('"SyncLoop (PLEG): event for pod"')));

      R.processing(pod, 1);
      expect(last()).toBe(g((l) => l.includes('"Processing pod event"') && l.includes(ver === '1.28' ? 'updateType="terminating"' : 'updateType=1')));

      if (ver === '1.28') {
        R.firstSync(pod, 'create');
        expect(last()).toBe(g((l) => l.includes('"Pod is being synced for the first time"')));
        R.terminatedAll(pod);
        expect(last()).toBe(g((l) => l.includes('"Pod terminated all containers successfully"')));
      }

      R.graceLine(pod, null);
      expect(last()).toBe(g((l) => l.includes('"Pod terminating with grace period"') && !l.endsWith('=30')));
      R.graceLine(pod, 30);
      expect(last()).toBe(g((l) => l.includes('"Pod terminating with grace period"') && l.endsWith('gracePeriod=30')));

      R.killingGrace(pod, c, 30);
      expect(last()).toBe(g((l) => l.includes('"Killing container with a grace period"')));

      if (ver !== '1.23') {
        // 1.23 logs a pre-joined string here (see the reference §4.3); the golden stand-in is a struct slice
        R.postTermState(pod, () => '2024-06-07T06:54:46.591410983Z');
        expect(last()).toBe(g((l) => l.includes('"Post-termination container state"')));
        R.patchStatus(pod, `{"metadata":{"uid":"${UID}"}}`);
        expect(last()).toBe(g((l) => l.includes('"Patch status for pod"')));
      }

      R.syncError(pod, 'failed to "StartContainer" for "nginx" with CrashLoopBackOff: "back-off 10s restarting failed container=nginx pod=nginx_default(4f37)"');
      expect(last()).toBe(g((l) => l.includes('"Error syncing pod, skipping"')));

      R.probeFailed(pod, c, 'Readiness', 'Get "http://10.0.0.5:80/": dial tcp 10.0.0.5:80: connect: connection refused\nsecond line');
      expect(last()).toBe(g((l) => l.includes('"Probe failed"')));

      R.creatingContainer(pod, c);
      expect(last()).toBe(g((l) => l.includes('"Creating container in pod"')));

      const vol: VolumeRt = { name: 'kube-api-access-8xk2p', plugin: 'kubernetes.io/projected', unique: `kubernetes.io/projected/${UID}-kube-api-access-8xk2p`, ref: null };
      R.teardownSucceeded(pod, vol);
      expect(last()).toBe(g((l) => l.includes('UnmountVolume.TearDown succeeded')));
    });
  }

  it('1.20 printf lines ↔ golden lines 1-2', () => {
    const { R, sink } = sampleRenderer('1.20');
    const pod = samplePod(R, { ns: 'default', name: 'nginx-deployment-9456bbbf9-cvrr7', uid: UID });
    R.syncLoop('ADD', 'api', [pod]);
    R.plegEvent(pod, 'ContainerStarted', 'dc18bc33e791');
    const g = readFileSync(join(GOLDEN_DIR, 'klog-v2.30.0.txt'), 'utf8').split('\n');
    expect(sink.bodies()[0]).toBe(g[0]!.replace(HEADER, ''));
    expect(sink.bodies()[1]).toBe(g[1]!.replace(HEADER, '').replace('&main.PodLifecycleEvent{', '&pleg.PodLifecycleEvent{'));
  });

  it('value helpers: Go %v floats and Duration strings', () => {
    expect(goFloatV(-9223372029.479458)).toBe('-9.223372029479458e+09');
    expect(goFloatV(1.296279865)).toBe('1.296279865');
    expect(goFloatV(1e6)).toBe('1e+06');
    expect(goFloatV(123456.5)).toBe('123456.5');
    expect(goDuration(2_965_419_007)).toBe('2.965419007s');
    expect(goDuration(5_756_622)).toBe('5.756622ms');
    expect(goDuration(10e9)).toBe('10s');
    expect(goDuration(300e9)).toBe('5m0s');
  });

  it('a design-notes style double teardown renders like the trace (1.23, docker)', () => {
    const { R, sink } = sampleRenderer('1.23', { runtime: 'docker' });
    const pod = samplePod(R, {
      ns: 'default',
      name: 'nginx-deployment-9456bbbf9-cvrr7',
      uid: UID,
      containers: [{ name: 'nginx', id: 'dc18bc33e7914de8b6db57585ce56f2fbbb36c8deab970d5d0014f882ce1748c' }],
    });
    const err = 'rpc error: code = Unknown desc = Error response from daemon: No such container: dc18bc33e7914de8b6db57585ce56f2fbbb36c8deab970d5d0014f882ce1748c';
    R.orphaned(pod);
    R.killingOverride(pod, pod.containers[0]!, 1);
    R.termFailed(pod, pod.containers[0]!, 1, err);
    R.killFailed(pod, pod.containers[0]!, err);
    const trace = readFileSync(join(import.meta.dirname, '..', 'samples', 'real', '00-design-notes-teardown-trace.log'), 'utf8').split('\n').map((l) => l.trim());
    for (const body of sink.bodies()) expect(trace).toContain(body);
  });
});

/** klog header time → epoch µs (UTC), given the year and the kubelet's zone offset. */
function headerUs(s: string, year: number, offsetMin: number): number {
  const m = HEADER.exec(s)!;
  const ms = Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return ms * 1000 + Number(m[7]) - offsetMin * 60_000_000;
}

describe('generator: ground-truth boundaries are lines at exactly those times', () => {
  const index = (text: string, offsetMin: number): Map<number, string> => {
    const byTime = new Map<number, string>();
    let prev = 0;
    for (const l of lines(text)) {
      if (!HEADER.test(l)) continue;
      const t = headerUs(l, 2024, offsetMin);
      expect(t).toBeGreaterThan(prev); // strictly increasing record times
      prev = t;
      byTime.set(t, l);
    }
    return byTime;
  };

  it('1.28 at -v=4 (enter/exit mode, +08:00 kubelet zone)', async () => {
    const { text, truth } = await gen({
      seed: 21,
      targetBytes: 1_500_000,
      kubeletVersion: '1.28',
      envelope: 'klog',
      tz: '+08:00',
      anomalies: { killFailure: 0.2, doubleTeardown: 0.25, crashLoop: 0.1, graceExhausted: 0.1 },
      workloads: [
        { match: 'nginx-deployment', meanLifetimeSeconds: 90, weight: 6 },
        { match: 'StatefulSet/data/web', meanLifetimeSeconds: 90 },
      ],
    });
    expect(truth.boundaryMode).toBe('enter-exit');
    const byTime = index(text, 480);
    const MSG = {
      sync: ['"SyncPod enter"', '"SyncPod exit"'],
      terminating: ['"SyncTerminatingPod enter"', '"SyncTerminatingPod exit"'],
      terminated: ['"SyncTerminatedPod enter"', '"SyncTerminatedPod exit"'],
    } as const;
    let phases = 0;
    let closed = 0;
    for (const p of truth.pods) {
      for (const ph of p.phases) {
        phases++;
        const start = byTime.get(ph.startUs);
        expect(start, `${p.name} ${ph.phase} start`).toBeDefined();
        expect(start).toContain(MSG[ph.phase][0]);
        expect(start).toContain(`podUID="${p.uid}"`);
        expect(Number(HEADER.exec(start!)![8])).toBe(ph.pid);
        if (ph.endUs !== null) {
          closed++;
          expect(ph.open).toBe(false);
          const end = byTime.get(ph.endUs);
          expect(end, `${p.name} ${ph.phase} end`).toContain(MSG[ph.phase][1]);
          expect(end).toContain(`podUID="${p.uid}"`);
          expect(ph.endUs).toBeGreaterThanOrEqual(ph.startUs);
        } else expect(ph.open).toBe(true);
      }
      if (p.finishedUs !== null) expect(byTime.get(p.finishedUs)).toContain(`"Pod is complete and the worker can now stop" podUID="${p.uid}"`);
      if (p.removedUs !== null) expect(byTime.get(p.removedUs)).toContain('"SyncLoop REMOVE"');
      for (const a of p.anomalies) {
        const l = byTime.get(a.tUs);
        expect(l, `${p.name} ${a.kind}`).toBeDefined();
        if (a.kind === 'kill-failed') expect(l).toMatch(/^E.*"Kill container failed".*podUID="/);
        if (a.kind === 'crashloop') expect(l).toMatch(/^E.*"Error syncing pod, skipping" err=".*CrashLoopBackOff.*pod=[^ ]+_[^ ]+\(/);
      }
    }
    expect(phases).toBeGreaterThan(60);
    expect(closed).toBeGreaterThan(50);
    const kinds = new Set(truth.anomalies.map((a) => a.kind));
    for (const k of ['kill-failed', 'double-teardown', 'kubelet-restart', 'name-reused']) expect(kinds, k).toContain(k);
    // a second teardown after SyncLoop REMOVE: a terminating phase that starts after removedUs
    const twice = truth.pods.find((p) => p.anomalies.some((a) => a.kind === 'double-teardown'))!;
    expect(twice.phases.filter((ph) => ph.phase === 'terminating').length).toBe(2);
    expect(twice.phases.at(-2)!.startUs).toBeGreaterThan(twice.removedUs!);
    // StatefulSet name reuse: same namespace/name, new UID, ADDed after the old UID's REMOVE
    const reused = truth.pods.find((p) => p.anomalies.some((a) => a.kind === 'name-reused'))!;
    const prev = truth.pods.find((p) => p.name === reused.name && p.namespace === reused.namespace && p.uid !== reused.uid && p.removedUs !== null && p.removedUs < reused.addedUs!);
    expect(prev).toBeDefined();
    // restart: a new PID, and running pods got a new sync phase
    expect(truth.pids.length).toBe(2);
    expect(truth.pods.some((p) => p.phases.filter((ph) => ph.phase === 'sync').length === 2)).toBe(true);
  });

  it('1.26 at -v=2 and 1.20 (v2 mode: ADD / DELETE / PLEG ContainerDied / Volume detached)', async () => {
    for (const ver of ['1.26', '1.20'] as const) {
      const { text, truth } = await gen({
        seed: 22,
        targetBytes: 800_000,
        kubeletVersion: ver,
        verbosity: ver === '1.20' ? 4 : 2,
        envelope: 'klog',
        klogFileHeader: false,
        anomalies: { killFailure: 0.3, graceExhausted: 0.2, doubleTeardown: 0.3 },
        workloads: [{ match: 'nginx-deployment', meanLifetimeSeconds: 90, weight: 6 }],
      });
      expect(truth.boundaryMode).toBe('v2');
      const byTime = index(text, 0);
      for (const p of truth.pods) {
        const desc = `${p.name}_${p.namespace}(${p.uid})`;
        const ref = ver === '1.20' ? desc : `${p.namespace}/${p.name}`;
        for (const ph of p.phases) {
          const start = byTime.get(ph.startUs)!;
          expect(start, `${p.name} ${ph.phase}`).toBeDefined();
          if (ph.phase === 'sync') expect(start).toMatch(ver === '1.20' ? /SyncLoop \(ADD, "(api|file)"\)/ : /"SyncLoop ADD" source="(api|file)"/);
          if (ph.phase === 'terminating') expect(start).toMatch(/SyncLoop.*DELETE|ContainerDied|Killing container/);
          if (ph.phase === 'terminated') expect(start).toMatch(/ContainerDied/);
          if (ph.phase !== 'terminated' || !start.includes('ContainerDied')) expect(start.includes(ref) || start.includes(p.uid)).toBe(true);
          if (ph.endUs !== null && ph.phase === 'terminated') expect(byTime.get(ph.endUs)).toMatch(/Volume detached/);
        }
        if (p.removedUs !== null) expect(byTime.get(p.removedUs)).toContain(ver === '1.20' ? `SyncLoop (REMOVE, "api"): "${desc}"` : `"SyncLoop REMOVE"`);
        for (const a of p.anomalies) expect(byTime.get(a.tUs), `${p.name} ${a.kind}`).toBeDefined();
      }
      if (ver === '1.26') expect(text).not.toMatch(/SyncPod enter|syncPod enter|"SyncLoop \(housekeeping\)"/);
      if (ver === '1.20') expect(text).not.toMatch(/syncTerminatingPod|"Processing pod event"/);
    }
  });

  it('json version: ts is the truth time in ms', async () => {
    const { text, truth } = await gen({ seed: 23, targetBytes: 400_000, kubeletVersion: 'json', envelope: 'klog' });
    const times = new Set<number>();
    for (const l of lines(text)) if (l.startsWith('{')) times.add(Math.round((JSON.parse(l) as { ts: number }).ts * 1000));
    for (const p of truth.pods) for (const ph of p.phases) expect(times.has(ph.startUs)).toBe(true);
  });
});

describe('generator: knobs', () => {
  it('per-workload terminationSeconds and an extra periodic message', async () => {
    const { text, truth } = await gen({
      seed: 31,
      targetBytes: 1_500_000,
      restarts: 0,
      workloads: [{ match: 'Deployment/default/nginx-deployment', terminationSeconds: 12, killFailure: 0, ignoreSigterm: 0, weight: 6, meanLifetimeSeconds: 120 }],
      extraPeriodic: [{ everySeconds: 30, message: 'Custom node heartbeat', kv: { zone: 'eu-1', ok: true } }],
    });
    const nginx = truth.pods.filter((p) => p.workloadKey === 'Deployment/default/nginx-deployment');
    const terms = nginx.flatMap((p) => p.phases.filter((ph) => ph.phase === 'terminating' && ph.endUs !== null));
    expect(terms.length).toBeGreaterThan(3);
    for (const ph of terms) expect(ph.endUs! - ph.startUs).toBeGreaterThanOrEqual(12_000_000);
    const hb = text.match(/\] "Custom node heartbeat" zone="eu-1" ok=true$/gm) ?? [];
    const spanS = (truth.endUs - truth.startUs) / 1e6;
    expect(Math.abs(hb.length - spanS / 30)).toBeLessThanOrEqual(2);
  });

  it('stuck terminating: the phase stays open at log end', async () => {
    const { truth } = await gen({ seed: 12, targetBytes: 1_200_000, restarts: 0, anomalies: { stuckTerminating: 1 } });
    const stuck = truth.pods.filter((p) => p.anomalies.some((a) => a.kind === 'stuck-terminating'));
    expect(stuck.length).toBe(1);
    const last = stuck[0]!.phases.at(-1)!;
    expect(last.phase).toBe('terminating');
    expect(last.open).toBe(true);
    expect(last.endUs).toBeNull();
    expect(stuck[0]!.openAtEnd).toBe(true);
  });
});

describe('generator: memory', () => {
  it('50 MB to a null sink keeps the heap flat', async () => {
    v8.setFlagsFromString('--expose_gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const base = process.memoryUsage().heapUsed;
    let peak = 0;
    let n = 0;
    const truth = await generateLog({ seed: 99, targetBytes: 50_000_000 }, () => {
      if (++n % 8 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - base);
      }
    });
    gc();
    const growth = Math.max(peak, process.memoryUsage().heapUsed - base);
    expect(truth.totals.bytes).toBeGreaterThan(49_000_000);
    expect(growth).toBeLessThan(50 * 1024 * 1024);
  }, 30_000);
});

describe('generator: fixtures', () => {
  // After an intended change of the output: npm run build && node dist/samples/generator/fixtures.js
  it('the committed fixtures still reproduce byte for byte', async () => {
    for (const f of FIXTURE_SET) {
      const expected = readFileSync(join(FIXTURES, f.file), 'utf8');
      const truth = JSON.parse(readFileSync(join(FIXTURES, `${f.file}.truth.json`), 'utf8')) as GroundTruth;
      const { text, truth: t2 } = await gen(f.opts);
      expect(text === expected, `${f.file} differs`).toBe(true);
      expect(JSON.parse(JSON.stringify(t2))).toEqual(truth);
    }
  });
});
