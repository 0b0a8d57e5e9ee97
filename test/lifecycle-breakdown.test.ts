// Startup and teardown breakdowns (lifecycle/breakdown.ts): every rule of
// schemas/lifecycle-steps.json that carries a sample line marks that step on it; the real samples'
// steps as a kubelet engineer reads them (the expectations were written from the logs, line by
// line, before the code was run on them).
import { describe, expect, it } from 'vitest';
import { buildLifecycles, type PodLifecycle } from '../lifecycle/model.js';
import type { Breakdown, Step } from '../lifecycle/breakdown.js';
import { catalogue } from '../lifecycle/catalogue.js';
import { stepOf, stepRules } from '../lifecycle/steps.js';
import { parseText } from '../parser/index.js';
import { parseSample } from './helpers/samples.js';

describe('schemas/lifecycle-steps.json', () => {
  const withSample = stepRules.filter((r) => r.rule.sample !== undefined);
  it('has sample lines for the rules added with the breakdown', () => {
    expect(withSample.map((r) => `${r.part}:${r.rule.entry}:${r.rule.step}:${r.rule.edge}`)).toEqual([
      'startup:completed-init-container:init:end',
      'startup:cni-adding:sandbox:progress',
      'teardown:event-occurred:stop:progress',
      'teardown:pleg-container-finished:stop:end',
      'teardown:termination-cleaned-volume-paths:volumes:progress',
    ]);
  });
  for (const { part, rule } of withSample) {
    it(`${rule.entry} → ${part} ${rule.step} ${rule.edge}`, () => {
      const r = parseText(rule.sample!, { year: 2024 }).records[0]!;
      const entry = catalogue.entryFor(r);
      expect(entry?.id).toBe(rule.entry);
      const m = stepOf(r, entry);
      expect(m).toMatchObject({ part, step: rule.step, edge: rule.edge });
    });
  }
  it('an init container: its Started line is no end (it runs to completion), Completed init container is', () => {
    const started = parseText('I0607 07:02:05.100000    3218 event.go:389] "Event occurred" object="data/web-0" fieldPath="spec.initContainers{migrate}" kind="Pod" apiVersion="v1" type="Normal" reason="Started" message="Started container migrate"', { year: 2024 }).records[0]!;
    expect(stepOf(started, catalogue.entryFor(started))).toEqual({ part: 'startup', step: 'init', edge: 'progress', subject: 'migrate', init: true });
    const pulled = parseText('I0607 07:02:04.100000    3218 event.go:389] "Event occurred" object="data/web-0" fieldPath="spec.initContainers{migrate}" kind="Pod" apiVersion="v1" type="Normal" reason="Pulled" message="Successfully pulled image \\"busybox:1.36\\" in 2.5s (2.5s including waiting)"', { year: 2024 }).records[0]!;
    expect(stepOf(pulled, catalogue.entryFor(pulled))).toEqual({ part: 'startup', step: 'image', edge: 'end', subject: 'migrate', init: true, pullUs: 2_500_000 });
  });
});

/** A step as one line: name, lines, how each edge is known, duration, `*` on the critical path. */
function steps(b: Breakdown, line: (i: number) => number): string[] {
  const d = (s: Step) => (s.start.timeUs !== undefined && s.end.timeUs !== undefined ? `${((s.end.timeUs - s.start.timeUs) / 1000).toFixed(3)}ms` : '?');
  return b.steps.map(
    (s) =>
      `${s.critical ? '*' : ' '}${s.step}${s.subject ? `:${s.subject}` : ''} L${line(s.start.index)}-L${line(s.end.index)} ${s.startBy}/${s.endBy} ${d(s)}` +
      `${s.present ? ' present' : ''}${s.gracePeriodS !== undefined ? ` grace=${s.gracePeriodS}` : ''}${s.sigkill !== undefined ? ` sigkill=${s.sigkill}` : ''} [${s.lines.map((p) => line(p.index)).join(',')}]`,
  );
}

function sample(prefix: string) {
  const r = parseSample(prefix);
  const m = buildLifecycles(r.records, undefined, r.foreign);
  const line = (i: number) => r.records[i]!.line;
  return { pods: m.pods, line };
}

const named = (pods: PodLifecycle[], name: string) => pods.find((p) => p.name === name)!;

describe('real samples', () => {
  it('02 GCE 1.18 (-v=2): startups the log does not see to their end are lower bounds, every step it shows kept', () => {
    const { pods, line } = sample('02');
    const proxy = pods.find((p) => p.uid === '2b5a92651754a304649e3cc5de130d56')!;
    expect(proxy.startup).toHaveLength(1);
    const s = proxy.startup[0]!;
    expect(steps(s, line)).toEqual([
      // SyncLoop (ADD, "file")
      '*admitted L1-L1 exact/exact 0.000ms [1]',
      // VerifyControllerAttachedVolume → MountVolume started → SetUp succeeded; no `All volumes
      // are attached and mounted` at -v=2: it ends where the sandbox step starts
      '*volumes L4-L23 exact/inferred 207.788ms [4,5,6,7,8,9,11,12,13,14,15,16,17,18,19,20,21,22]',
      // `No sandbox for pod … Need to start a new one`; nothing in this log marks its end (the two
      // PLEG ContainerStarted at L38-39 name no step): it began, and was dropped before
      '*sandbox L23-L23 exact/open 0.000ms [23]',
    ]);
    // so the startup was seen for 307.4 ms and had not been seen to end: it read as complete
    expect(s.end.timeUs! - s.start.timeUs!).toBe(307_422);
    expect(s.open).toBe(true);
    // admitted (L44), then only a secret the kubelet may not read: its startup has not ended in this log
    const metadata = pods.find((p) => p.name === 'metadata-proxy-v0.1-d6v9s')!;
    expect(steps(metadata.startup[0]!, line)).toEqual(['*admitted L44-L44 exact/exact 0.000ms [44]']);
    expect(metadata.startup[0]!.open).toBe(true);
  });

  it('08 kind 1.32: the startup and the teardown of lws-1', () => {
    const { pods, line } = sample('08');
    const p = named(pods, 'lws-1');
    expect(p.startup).toHaveLength(1);
    const s = p.startup[0]!;
    expect(steps(s, line)).toEqual([
      // SyncLoop ADD
      '*admitted L1-L1 exact/exact 0.000ms []'.replace('[]', '[1]'),
      // Waiting for volumes to attach and mount → VerifyControllerAttachedVolume, MountVolume started, SetUp succeeded → All volumes are attached and mounted
      '*volumes L4-L10 exact/exact 300.838ms [4,7,8,9,10]',
      // `No sandbox … Need to start a new one` (the one after the volumes: L3's is the status
      // check before them); `Created PodSandbox` is V4, not in this log: the sandbox was there
      // when the image was (Pulled, L14)
      '*sandbox L11-L14 exact/inferred 501.110ms [11]',
      // Pulled: already present on machine
      '*image:c L14-L14 exact/exact 0.000ms present [14]',
      // created right after its image was there; Created (L15) → Started (L16)
      '*container:c L14-L16 inferred/exact 411.015ms [15,16]',
    ]);
    // admitted → started; no readiness probe line (the pod has none, or it is not logged)
    expect(s.end.timeUs! - s.start.timeUs!).toBe(1_238_386);
    expect(s.open).toBe(false);
    expect(s.slo).toEqual({ at: expect.objectContaining({ line: 26 }), sloS: 2.755046846, e2eS: 2.755046846 });

    expect(p.teardown).toHaveLength(1);
    expect(steps(p.teardown[0]!, line)).toEqual([
      // SyncLoop DELETE: the kill decision
      '*kill L27-L27 exact/exact 0.000ms [27]',
      // Killing container with a grace period (30; the override line just before it says why) → Killing event → Container exited normally:
      // 40.1 s for a 30 s grace period: stopped only by the runtime's SIGKILL
      '*stop:c L31-L40 exact/exact 40079.762ms grace=30 sigkill=true [30,31,32,40]',
      // Waiting for volumes to unmount → All volumes are unmounted
      '*volumes L56-L59 exact/exact 18900.412ms [56,59]',
      // The pod termination is finished as SyncTerminatedPod completes its execution
      '*status L63-L63 exact/exact 0.000ms [63]',
      // from the final status to SyncLoop REMOVE: the API's deletion (`removed from etcd`, L67,
      // is logged after the REMOVE, out of time order)
      '*removed L63-L65 inferred/exact 48.060ms [65]',
    ]);
    expect(p.teardown[0]!.open).toBe(false);
    // no network teardown, sandbox or cgroup lines: 1.32 logs none of them below -v=4
    expect(p.teardown[0]!.steps.map((x) => x.step)).not.toContain('network');
  });

  it('10 talos JSON (-v=0): admissions and volumes whose end this excerpt does not reach; the apiserver pod only its startup figures', () => {
    const { pods, line } = sample('10');
    const who = pods.map((p) => `${p.namespace}/${p.name} ${p.startup.length}`);
    expect(who).toContain('databases/postgres-3 1');
    const pg = named(pods, 'postgres-3').startup[0]!;
    // the excerpt starts at its volumes: four VerifyControllerAttachedVolume, the local PV's MountDevice; no end
    expect(steps(pg, line)).toEqual(['*volumes L1-L5 exact/open 807.864ms [1,2,3,4,5]']);
    expect(pg.open).toBe(true);

    const api = named(pods, 'kube-apiserver-sanji').startup[0]!;
    expect(api.steps).toEqual([]);
    expect(api.slo).toMatchObject({ sloS: 3.6025612970000003, e2eS: 3.602561297 });
    expect(line(api.slo!.at.index)).toBe(6);

    const loki = named(pods, 'loki-0').startup[0]!;
    // Topology Admit Handler; six VerifyControllerAttachedVolume, MountDevice of the PV
    expect(steps(loki, line)).toEqual(['*admitted L7-L7 exact/exact 0.000ms [7]', '*volumes L9-L15 exact/open 101.187ms [9,10,11,12,13,14,15]']);
    expect(loki.open).toBe(true);

    const im = named(pods, 'instance-manager-5d167270ee8aa1e524fab82cfb1790a3').startup[0]!;
    expect(steps(im, line)).toEqual(['*admitted L20-L20 exact/exact 0.000ms [20]', '*volumes L21-L25 exact/open 0.272ms [21,22,23,24,25]']);
  });
});
