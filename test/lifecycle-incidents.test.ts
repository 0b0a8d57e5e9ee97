// Knowledge as data: schemas/incident-rules.json. Every rule's sample classifies as the rule says;
// client-go events and status patches become the failures they report; lines of one failure are
// one incident.
import { describe, expect, it } from 'vitest';
import data from '../schemas/incident-rules.json' with { type: 'json' };
import { entryFor } from '../lifecycle/catalogue.js';
import { INCIDENT_KINDS, recordIncident, severityOf, severityRank } from '../lifecycle/incident-rules.js';
import { buildLifecycles } from '../lifecycle/model.js';
import { parseText, type LogRecord } from '../parser/index.js';

const one = (line: string): LogRecord => parseText(line, { year: 2024 }).records[0]!;
const klog = (body: string) => `E0607 10:00:00.000000    4052 pod_workers.go:1300] ${body}`;
const classify = (line: string) => {
  const r = one(line);
  return recordIncident(r, entryFor(r));
};

describe('schemas/incident-rules.json', () => {
  it('ranks every kind: critical, error, warning, info', () => {
    expect(INCIDENT_KINDS.length).toBe(21);
    for (const k of INCIDENT_KINDS) expect(['critical', 'error', 'warning', 'info']).toContain(severityOf(k));
    expect(severityRank(severityOf('stuck-terminating'))).toBeLessThan(severityRank(severityOf('grace-exceeded')));
    expect(severityRank(severityOf('crash-loop'))).toBeLessThan(severityRank(severityOf('probe-failed')));
  });

  it.each(data.errorText.flatMap((rule) => rule.samples.map((s) => [rule.kind, s] as const)))('an Error syncing pod with %s text: %s', (kind, err) => {
    expect(classify(klog(`"Error syncing pod, skipping" err=${JSON.stringify(err)} pod="default/web-0" podUID="57f42639-a88d-4174-8fc1-58f56d572891"`))?.kind).toBe(kind);
  });

  it('names what the failure is about: the container, the image, the volumes', () => {
    const err = (e: string) => classify(klog(`"Error syncing pod, skipping" err=${JSON.stringify(e)} pod="default/web-0"`));
    expect(err(data.errorText[0]!.samples[0]!)?.subject).toBe('app');
    expect(err(data.errorText[1]!.samples[0]!)?.subject).toBe('registry.k8s.io/ingress-nginx/controller:v1.8.0');
    expect(err('unmounted volumes=[media db], unattached volumes=[], failed to process volumes=[]: context deadline exceeded')?.subject).toBe('media, db');
    expect(err('something else entirely')).toMatchObject({ kind: 'sync-error' });
  });

  it('reads client-go Warning events by reason, and leaves Normal ones alone', () => {
    const ev = (type: string, reason: string, message: string, fieldPath = 'spec.containers{app}') =>
      classify(`I0607 10:00:00.000000    4052 event.go:389] "Event occurred" object="default/web-0" fieldPath="${fieldPath}" kind="Pod" apiVersion="v1" type="${type}" reason="${reason}" message="${message}"`);
    expect(ev('Warning', 'BackOff', 'Back-off restarting failed container app in pod web-0_default(57f42639-a88d-4174-8fc1-58f56d572891)')).toMatchObject({ kind: 'crash-loop', subject: 'app' });
    expect(ev('Warning', 'BackOff', 'Back-off pulling image \\"nginx:nope\\"')).toMatchObject({ kind: 'image-pull-failed', subject: 'nginx:nope' });
    expect(ev('Warning', 'Failed', 'Failed to pull image \\"nginx:nope\\": not found')).toMatchObject({ kind: 'image-pull-failed' });
    expect(ev('Warning', 'Failed', 'Error: CreateContainerConfigError')).toMatchObject({ kind: 'start-failed', subject: 'app' });
    expect(ev('Warning', 'Evicted', 'The node was low on resource: memory.', '')).toMatchObject({ kind: 'evicted' });
    expect(ev('Warning', 'OutOfcpu', 'Node didn\'t have enough resource: cpu', '')).toMatchObject({ kind: 'admission-rejected' });
    expect(ev('Warning', 'ExceededGracePeriod', 'Container runtime did not kill the pod within specified grace period.', '')).toMatchObject({ kind: 'grace-exceeded' });
    expect(ev('Normal', 'Killing', 'Stopping container app')).toBeUndefined();
    expect(ev('Warning', 'SomethingNew', 'x')).toBeUndefined();
  });

  it('reads failures inside status patches: rejected, evicted, OOM killed', () => {
    const patch = (json: string) =>
      classify(`I0607 10:00:00.000000    4052 status_manager.go:874] "Patch status for pod" pod="default/web-0" podUID="57f42639-a88d-4174-8fc1-58f56d572891" patch=${JSON.stringify(json)}`);
    expect(patch('{"status":{"message":"Pod was rejected: Node didn\'t have enough resource: cpu","phase":"Failed","reason":"OutOfcpu"}}')).toMatchObject({
      kind: 'admission-rejected',
      detail: "Patch status for pod: Node didn't have enough resource: cpu",
    });
    expect(patch('{"status":{"phase":"Failed","reason":"Evicted"}}')?.kind).toBe('evicted');
    expect(patch('{"status":{"containerStatuses":[{"name":"app","lastState":{"terminated":{"exitCode":137,"reason":"OOMKilled"}}}]}}')?.kind).toBe('oom-killed');
    expect(patch('{"status":{"phase":"Running"}}')).toBeUndefined();
  });
});

describe('one incident per failure', () => {
  const pod = 'pod="default/web-0" podUID="57f42639-a88d-4174-8fc1-58f56d572891"';
  const crash = (s: number) =>
    `E0607 10:${String(s).padStart(2, '0')}:00.000000    4052 pod_workers.go:1300] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"app\\" with CrashLoopBackOff: \\"back-off 5m0s restarting failed container=app\\"" ${pod}`;

  it('a crash loop of 60 back-offs is one incident with every line', () => {
    const lines = Array.from({ length: 60 }, (_, i) => crash(i));
    const m = buildLifecycles(parseText(lines.join('\n'), { year: 2024 }).records);
    const incidents = m.pods[0]!.incidents;
    expect(incidents.map((i) => [i.kind, i.lines, i.evidence.length, i.subject])).toEqual([['crash-loop', 60, 50, 'app']]);
    expect(incidents[0]!.evidence[49]!.line).toBe(50);
  });
});

describe('probe failures waiting for a kill', () => {
  const UID = '57f42639-a88d-4174-8fc1-58f56d572891';
  const at = (s: number) => `${String(10 + Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}.000000`;
  const add = `I0607 ${at(0)}    4052 kubelet.go:2410] "SyncLoop ADD" source="api" pods=["default/web-0"]`;
  const failure = (s: number, probe: string) =>
    `I0607 ${at(s)}    4052 prober.go:107] "Probe failed" probeType="${probe}" pod="default/web-0" podUID="${UID}" containerName="app" probeResult="failure" output="HTTP probe failed with statuscode: 500"`;
  const kill = (s: number) =>
    `I0607 ${at(s)}    4052 kuberuntime_container.go:745] "Killing container with a grace period" pod="default/web-0" podUID="${UID}" containerName="app" containerID="containerd://${'ab'.repeat(32)}" gracePeriod=30`;
  const incidentsOf = (lines: string[]) => buildLifecycles(parseText(lines.join('\n'), { year: 2024 }).records).pods.find((p) => p.uid === UID)!.incidents.map((i) => [i.kind, i.lines, i.detail]);

  it('a pod never ready: every readiness failure counts at once, all in one incident', () => {
    const lines = [add, ...Array.from({ length: 3000 }, (_, i) => failure(i + 1, 'Readiness'))];
    expect(incidentsOf(lines)).toEqual([['probe-failed', 3000, 'Readiness Probe failed']]);
  });

  it('liveness failures and a kill are a restart; past PENDING_PROBES_MAX (no kill line: -v=1) the oldest are failures alone', () => {
    const few = [add, failure(1, 'Liveness'), failure(2, 'Readiness'), failure(3, 'Liveness'), failure(4, 'Liveness'), kill(5)];
    // the readiness failure between them counted at once, and alone it is below failureThreshold
    expect(incidentsOf(few)).toEqual([['probe-restart', 4, '3 liveness probe failure(s), then container app killed for restart']]);
    // 2,500 waiting: at 2,001 the oldest 1,001 went out as failures; the kill takes the other 1,499
    const many = [add, ...Array.from({ length: 2500 }, (_, i) => failure(i + 1, 'Liveness')), kill(2501)];
    expect(incidentsOf(many)).toEqual([
      ['probe-failed', 1001, 'Liveness Probe failed'],
      ['probe-restart', 1500, '1499 liveness probe failure(s), then container app killed for restart'],
    ]);
  });
});
