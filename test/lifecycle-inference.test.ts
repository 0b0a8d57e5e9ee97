// The phase inference and the joins on small logs written for one rule each: what a kubelet at
// -v=2 shows, how a restart kill differs from a teardown, what a restart or a second node does.
import { describe, expect, it } from 'vitest';
import { buildLifecycles, LifecycleBuilder } from '../lifecycle/model.js';
import type { LogProfile } from '../lifecycle/phases.js';
import { parseText } from '../parser/index.js';

const UID = '57f42639-a88d-4174-8fc1-58f56d572891';
const UID2 = '0a1b2c3d-1111-4222-8333-444455556666';
const SANDBOX = 'a'.repeat(64);
const APP = 'b'.repeat(64);

/** A syslog line of `host`'s kubelet `pid` at second `s` (+ `us` microseconds) after 10:00:00. */
function line(s: number, body: string, host = 'node-a', pid = 100, us = 0): string {
  const t = new Date(Date.UTC(2024, 5, 7, 10, 0, s));
  const hh = String(t.getUTCHours()).padStart(2, '0');
  const mm = String(t.getUTCMinutes()).padStart(2, '0');
  const ss = String(t.getUTCSeconds()).padStart(2, '0');
  const frac = String(us).padStart(6, '0');
  return `Jun  7 ${hh}:${mm}:${ss} ${host} kubelet[${pid}]: I0607 ${hh}:${mm}:${ss}.${frac} ${String(pid).padStart(7)} kubelet.go:1] ${body}`;
}

const pleg = (type: string, id: string, uid = UID) => `"SyncLoop (PLEG): event for pod" pod="default/web-0" event={"ID":"${uid}","Type":"${type}","Data":"${id}"}`;
const add = (name = 'default/web-0') => `"SyncLoop ADD" source="api" pods=["${name}"]`;
const kill = (grace = 30, id = APP) => `"Killing container with a grace period" pod="default/web-0" podUID="${UID}" containerName="app" containerID="containerd://${id}" gracePeriod=${grace}`;
const probe = `"Probe failed" probeType="Liveness" pod="default/web-0" podUID="${UID}" containerName="app" probeResult="failure" output="timeout"`;
const detached = `"Volume detached for volume \\"tok\\" (UniqueName: \\"kubernetes.io/projected/${UID}-tok\\") on node \\"node-a\\" DevicePath \\"\\""`;
const NODE = `"Recording event message for node" node="node-a" event="NodeReady"`;
const unmount = `"operationExecutor.UnmountVolume started for volume \\"tok\\" (UniqueName: \\"kubernetes.io/projected/${UID}-tok\\") pod \\"${UID}\\" (UID: \\"${UID}\\") "`;

function model(lines: string[], profile?: LogProfile) {
  const r = parseText(lines.join('\n'), { year: 2024 });
  const b = new LifecycleBuilder(undefined, undefined, profile);
  for (const rec of r.records) b.add(rec);
  const m = profile ? b.finish() : buildLifecycles(r.records);
  const at = (i: number) => r.records[i]!.line;
  return {
    m,
    pods: m.pods.map((p) => ({
      key: p.key,
      state: p.state,
      phases: p.phases.map((ph) => `${ph.phase} ${at(ph.start.index)}-${at(ph.end.index)}${ph.open ? ` open(${ph.endBy.evidence})` : ''}`),
      incidents: p.incidents.map((i) => `${i.kind}@${i.evidence.map((e) => at(e.index)).join(',')}`),
    })),
  };
}

/** A pod's whole life at -v=2: ADD, containers, DELETE and kill, deaths, volume teardown, REMOVE. */
const life = [
  line(0, add()),
  line(1, pleg('ContainerStarted', SANDBOX)),
  line(2, pleg('ContainerStarted', APP)),
  line(60, `"SyncLoop DELETE" source="api" pods=["default/web-0"]`),
  line(60, kill(30), undefined, undefined, 5000),
  line(63, pleg('ContainerDied', APP)),
  line(64, pleg('ContainerDied', SANDBOX)),
  line(64, unmount, undefined, undefined, 500000),
  line(65, detached),
  line(70, `"SyncLoop REMOVE" source="api" pods=["default/web-0"]`),
];

describe('inferred phases (-v=2: no enter/exit lines)', () => {

  it('a whole life: ADD → DELETE → the sandbox dies → the volume detaches → REMOVE', () => {
    const { pods, m } = model(life);
    expect(pods).toEqual([{ key: UID, state: 'finished', phases: ['sync 1-4', 'terminating 4-7', 'terminated 7-9'], incidents: [] }]);
    expect(m.pods[0]!.phases[1]!.gracePeriodS).toBe(30);
    expect(m.pods[0]!.finished).toMatchObject({ line: 10, evidence: 'inferred', by: 'syncloop-remove' });
  });

  it('a pod still running when the log ends runs to the end: normal, no incident', () => {
    const { pods, m } = model(life.slice(0, 3).concat(line(500, NODE)));
    expect(pods).toEqual([{ key: UID, state: 'running', phases: ['sync 1-4 open(log-end)'], incidents: [] }]);
    // the log's last line is the node's: the phase runs to it
    expect(m.pods[0]!.phases[0]!.end.timeUs).toBe(Date.UTC(2024, 5, 7, 10, 8, 20) * 1000);
  });

  it('still terminating 60 s after a 30 s grace period when the log ends: stuck', () => {
    const { pods, m } = model(life.slice(0, 6).concat(line(125, NODE)));
    expect(pods).toEqual([{ key: UID, state: 'stuck-terminating', phases: ['sync 1-4', 'terminating 4-7 open(log-end)'], incidents: ['stuck-terminating@4'] }]);
    expect(m.pods[0]!.incidents[0]).toMatchObject({ severity: 'critical', detail: 'still terminating when the log ends, after ≥ 65.0 s; grace period 30 s' });
  });

  it('10 s into a 30 s grace period when the log ends: terminating, not stuck', () => {
    const { pods } = model(life.slice(0, 5).concat(line(70, NODE)));
    expect(pods).toEqual([{ key: UID, state: 'terminating', phases: ['sync 1-4', 'terminating 4-6 open(log-end)'], incidents: [] }]);
  });

  it('probe failures, then a kill: the kubelet restarts the container, the pod keeps running', () => {
    const { pods } = model([...life.slice(0, 3), line(30, probe), line(40, probe), line(41, kill(30)), line(42, pleg('ContainerDied', APP)), line(43, pleg('ContainerStarted', 'c'.repeat(64)))]);
    expect(pods).toEqual([{ key: UID, state: 'running', phases: ['sync 1-8 open(log-end)'], incidents: ['probe-restart@4,5,6'] }]);
  });

  it('a kill followed by a new container is a restart too, without probes in the log', () => {
    const { pods } = model([...life.slice(0, 3), line(41, kill(30)), line(42, pleg('ContainerDied', APP)), line(43, pleg('ContainerStarted', 'c'.repeat(64)))]);
    expect(pods.map((p) => p.phases)).toEqual([['sync 1-6 open(log-end)']]);
  });

  it('a log that begins inside the sync starts it at the pod’s first line', () => {
    const { pods, m } = model(life.slice(1, 3));
    expect(pods.map((p) => p.phases)).toEqual([['sync 1-2 open(log-end)']]);
    expect(m.pods[0]!.phases[0]!.startBy).toEqual({ evidence: 'log-start' });
  });

  it('a log that begins after the pod was done: its worker’s last line, then leftovers; no phase', () => {
    // kubernetes/kubernetes#110181 (bare klog, 1.24-era pod worker): the excerpt starts at the worker's
    // "Pod is complete" line; the cleanup confirmations and the DELETE after it open no phase
    const POD = 'default/nginx-689d6bd89b-sncv2';
    const U = '1e8f53a0-a61f-4d6d-a484-36b666ce0cd7';
    const text = [
      `I0518 08:10:43.697353    8251 pod_workers.go:1069] "Pod is complete and the worker can now stop" pod="${POD}" podUID=${U}`,
      `I0518 08:10:43.697485    8251 pod_workers.go:957] "Processing pod event done" pod="${POD}" podUID=${U} updateType=2`,
      `I0518 08:10:43.720962    8251 kubelet_pods.go:959] "Pod is terminated and all resources are reclaimed" pod="${POD}"`,
      `I0518 08:10:43.732223    8251 kubelet.go:2069] "SyncLoop DELETE" source="api" pods=[${POD}]`,
      `I0518 08:10:43.732421    8251 pod_workers.go:611] "Pod is finished processing, no further updates" pod="${POD}" podUID=${U}`,
      `I0518 08:10:43.738908    8251 status_manager.go:649] "Pod fully terminated and removed from etcd" pod="${POD}"`,
    ].join('\n');
    const r = parseText(text, { year: 2022 });
    const p = buildLifecycles(r.records).pods.find((x) => x.uid === U)!;
    expect([p.state, p.phases.length, p.finished?.index, p.finished?.evidence]).toEqual(['finished', 0, 0, 'exact']);
  });

  it('a kubelet restart ends the running sync at the old process’s last line; the new process syncs again', () => {
    const { pods, m } = model([...life.slice(0, 3), line(30, NODE), line(40, add(), 'node-a', 200), line(41, pleg('ContainerStarted', APP), 'node-a', 200)]);
    expect(pods).toEqual([{ key: UID, state: 'running', phases: ['sync 1-4 open(kubelet-restart)', 'sync 5-6 open(log-end)'], incidents: [] }]);
    expect(m.restarts).toBe(1);
  });
});

describe('what the log could show decides what its silence means', () => {
  // the volumes are unmounted; the line that ends the cleanup (`Pod termination removed cgroups`,
  // V4) has not come when the log ends
  const cleanupUnderway = [...life.slice(0, 9), line(66, NODE)];
  const canLog = (yes: boolean): LogProfile => ({ canLog: (id) => (['termination-removed-cgroups', 'terminated-no-more-status'].includes(id) ? yes : false) });

  it('a -v=4 kubelet would have logged the end of the cleanup: still cleaning up when the log ends', () => {
    expect(model(cleanupUnderway, canLog(true)).pods.map((p) => [p.state, p.phases])).toEqual([['terminated', ['sync 1-4', 'terminating 4-7', 'terminated 7-10 open(log-end)']]]);
  });

  it('a -v=2 kubelet never logs it: the cleanup ended with its last line', () => {
    expect(model(cleanupUnderway, canLog(false)).pods.map((p) => [p.state, p.phases])).toEqual([['finished', ['sync 1-4', 'terminating 4-7', 'terminated 7-9']]]);
  });
});

describe('identity over time', () => {
  it('a name-only line of node B never joins node A’s pod of the same name', () => {
    const { pods } = model([
      line(0, add(), 'node-a'),
      line(1, pleg('ContainerStarted', SANDBOX), 'node-a'),
      line(2, add(), 'node-b', 300),
      line(3, `"No sandbox for pod can be found. Need to start a new one" pod="default/web-0"`, 'node-b', 300),
    ]);
    expect(pods.map((p) => [p.key, p.phases])).toEqual([
      [UID, ['sync 1-2 open(log-end)']],
      ['~default/web-0@node-b', ['sync 3-4 open(log-end)']],
    ]);
  });

  it('after a REMOVE, the name’s next ADD is a new pod: its own UID when the log states it', () => {
    const { pods } = model([
      ...[0, 1, 2].map((s, i) => line(s, [add(), pleg('ContainerStarted', SANDBOX), `"SyncLoop REMOVE" source="api" pods=["default/web-0"]`][i]!)),
      line(10, add()),
      line(11, `"No sandbox for pod can be found. Need to start a new one" pod="default/web-0"`),
      line(12, pleg('ContainerStarted', APP, UID2)),
    ]);
    expect(pods.map((p) => [p.key, p.phases])).toEqual([
      [UID, ['sync 1-3']],
      [UID2, ['sync 4-6 open(log-end)']],
    ]);
  });

  it('after a REMOVE, an ADD of the name whose UID the log never states is a new incarnation', () => {
    const { pods } = model([line(0, add()), line(1, pleg('ContainerStarted', SANDBOX)), line(2, `"SyncLoop REMOVE" source="api" pods=["default/web-0"]`), line(10, add())]);
    expect(pods.map((p) => [p.key, p.phases])).toEqual([
      [UID, ['sync 1-3']],
      ['~default/web-0', ['sync 4-4 open(log-end)']],
    ]);
  });
});
