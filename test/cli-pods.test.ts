// `kubelog pods`, `kubelog pod` and `kubelog rebuild` as real subprocesses over a real SQLite
// file ingested from the real samples.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { runCli } from './helpers/cli.js';
import { samplePath } from './helpers/samples.js';
import { validateSchema } from './helpers/json-schema.js';
import { writeManyPods } from './bench/many-pods-db.js';


const UID = '4f3761db-ee39-4974-a2cc-9bf0a48e5c13';
let db: string;

beforeAll(async () => {
  db = path.join(mkdtempSync(path.join(tmpdir(), 'kubelog-pods-')), 'k.db');
  const r = await runCli(['ingest', '-q', '--db', db, '--year', '2024', samplePath('00'), samplePath('05'), samplePath('06')]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});

interface PodsJson {
  total: number;
  pods: { uid: string | null; namespace: string | null; name: string | null; state: string; incidentKinds: string[]; phases: { phase: string; startLine: number; endLine: number; evidence: string; open: boolean; startBy: { evidence: string }; endBy: { evidence: string } }[] }[];
}

describe('kubelog pods', () => {
  it('lists the pods that ingest found, with their phases', async () => {
    const r = await runCli(['pods', '--db', db, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as PodsJson;
    expect(validateSchema('pods.schema.json', out)).toEqual([]);
    expect(out.total).toBe(9);
    const nginx = out.pods.find((p) => p.uid === UID)!;
    expect(nginx).toMatchObject({ namespace: 'default', name: 'nginx-deployment-9456bbbf9-cvrr7' });
    // the second teardown's kill fails at L146: its syncTerminatingPod returns an error (exit at
    // L147 all the same) and would be retried; the log ends there, inside the phase
    expect(nginx.phases.map((p) => [p.phase, p.startLine, p.endLine, p.evidence, p.endBy.evidence])).toEqual([
      ['terminating', 5, 29, 'exact', 'exact'],
      ['terminated', 39, 50, 'exact', 'exact'],
      ['terminating', 140, 147, 'exact', 'log-end'],
    ]);
    expect(nginx.state).toBe('terminating');
    expect(nginx.incidentKinds).toEqual(['torn-down-twice', 'kill-failed']); // in log order
  });

  it('filters: --incidents, --severity, --state, --namespace, --name glob', async () => {
    const withIncidents = JSON.parse((await runCli(['pods', '--db', db, '--json', '--incidents'])).stdout) as PodsJson;
    expect(withIncidents.pods.map((p) => p.name).sort()).toEqual([
      'coredns-6f85d5fb88-flfvm',
      'coredns-autoscaler-79599b9dc6-t89nc',
      'default-http-backend-65dd5949d9-nw25s',
      'liveness-exec',
      'metrics-server-8449844bf-s2dtd',
      'nginx-deployment-9456bbbf9-cvrr7',
    ]);
    // a failed kill is critical; the RKE node's network not ready (sample 05) is an error
    const critical = JSON.parse((await runCli(['pods', '--db', db, '--json', '--severity', 'critical'])).stdout) as PodsJson;
    expect(critical.pods.map((p) => p.name)).toEqual(['nginx-deployment-9456bbbf9-cvrr7']);
    const errors = JSON.parse((await runCli(['pods', '--db', db, '--json', '--severity', 'error'])).stdout) as PodsJson;
    expect(errors.total).toBe(5);
    const states = JSON.parse((await runCli(['pods', '--db', db, '--json', '--state', 'finished', '--state', 'terminating'])).stdout) as PodsJson;
    expect(states.pods.map((p) => [p.name, p.state])).toEqual([
      ['rke-ingress-controller-deploy-job-zj5t6', 'finished'],
      ['nginx-deployment-9456bbbf9-cvrr7', 'terminating'],
    ]);
    const ingress = JSON.parse((await runCli(['pods', '--db', db, '--json', '--namespace', 'ingress-nginx'])).stdout) as PodsJson;
    expect(ingress.pods.map((p) => p.name)).toEqual(['nginx-ingress-controller-w84zn', 'default-http-backend-65dd5949d9-nw25s']);
    const glob = JSON.parse((await runCli(['pods', '--db', db, '--json', '--name', 'coredns-*'])).stdout) as PodsJson;
    expect(glob.total).toBe(2);
  });

  it('--since/--until select by time (pods of logs without times never match)', async () => {
    const may = JSON.parse((await runCli(['pods', '--db', db, '--json', '--since', '2024-05-01T00:00:00Z'])).stdout) as PodsJson;
    expect(may.pods.map((p) => p.name)).toEqual(['liveness-exec']);
    // sample 05: the Job pod is first seen at 11:42:42.373, coredns-autoscaler at 11:42:42.400
    const jan = JSON.parse((await runCli(['pods', '--db', db, '--json', '--since', '2024-01-20', '--until', '2024-01-20 11:42:42.45'])).stdout) as PodsJson;
    expect(jan.pods.map((p) => p.name)).toEqual(['rke-ingress-controller-deploy-job-zj5t6', 'coredns-autoscaler-79599b9dc6-t89nc']);
    const bad = await runCli(['pods', '--db', db, '--since', 'yesterday-ish']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since yesterday-ish: not a time/);
  });

  it('prints a table for people', async () => {
    const r = await runCli(['pods', '--db', db, '--incidents', '--sort', 'name']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^POD\s+UID\s+FIRST SEEN \(UTC\)\s+STATE\s+STARTUP\s+SYNC\s+TERMINATING\s+TERMINATED\s+INCIDENTS$/);
    expect(lines.find((l) => l.startsWith('default/nginx-deploymen'))).toMatch(/4f3761db\s+terminating\s+— ×2\s+—\s+torn-down-twice,kill-failed$/);
    // a phase the log ended inside is a lower bound
    expect(lines.find((l) => l.startsWith('default/liveness-exec'))).toMatch(/93e17ecc\s+2024-05-16 18:34:04\.558\s+running\s+≥ 76\.5s\s+probe-restart$/);
    expect(lines).toHaveLength(7);
  });

  it('files of different machines without host names are not one kubelet restarting', async () => {
    // 05 (RKE, pid 4787) between the Windows log files 14 and 15 (pid 3312): no restarts
    const d = path.join(mkdtempSync(path.join(tmpdir(), 'kubelog-hosts-')), 'k.db');
    const r = await runCli(['ingest', '--json', '--db', d, '--year', '2024', samplePath('14'), samplePath('05'), samplePath('15')]);
    const out = JSON.parse(r.stdout) as { lifecycle: { restarts: number } };
    expect(out.lifecycle.restarts).toBe(0);
    const pods = JSON.parse((await runCli(['pods', '--db', d, '--json', '--namespace', 'ingress-nginx'])).stdout) as PodsJson;
    expect(pods.pods.map((p) => p.phases.map((ph) => ph.open))).toEqual([[true], [true]]);
  });

  it('a phase the log begins inside is a lower bound too: `≥` in both commands, `≤` at its start', async () => {
    // sample 09 (AKS, syslog): default/nginx's first line is its container's PLEG ContainerStarted at
    // 18:13:11.927; the pod was syncing before that. At 18:20:18.243 the kill begins its teardown.
    const d = path.join(mkdtempSync(path.join(tmpdir(), 'kubelog-before-')), 'k.db');
    expect((await runCli(['ingest', '-q', '--db', d, samplePath('09')])).code).toBe(0);
    const table = (await runCli(['pods', '--db', d])).stdout.trimEnd().split('\n');
    expect(table[1]).toMatch(/^default\/nginx\s+5da5612b\s+2024-11-29 18:13:11\.927\s+terminated\s+≥ 7m06s\s+425\.4ms$/);
    const pod = (await runCli(['pod', 'default/nginx', '--db', d])).stdout;
    expect(pod).toMatch(/^sync\s+≤ \+0\.000s\s+≥ 7m06s\s+inferred\s+inferred\s+▒▒█+$/m);
    expect(pod).toMatch(/^terminating\s+\+426\.316s\s+425\.4ms\s+inferred\s+inferred\s+█$/m);
    const json = JSON.parse((await runCli(['pods', '--db', d, '--json'])).stdout) as PodsJson;
    expect(json.pods[0]!.phases.map((ph) => [ph.phase, ph.startBy.evidence, ph.open])).toEqual([
      ['sync', 'log-start', false],
      ['terminating', 'inferred', false],
    ]);
  });

  it('a log that begins after the admission (or the kill): the startup (teardown) is a lower bound, the kubelet\'s own figure stays', async () => {
    // sample 08 as a rotated file would begin: (a) at line 11, 04:31:21.406865, after the pod's
    // SyncLoop ADD (21.080604) and its volumes; (b) at line 32, 04:31:23.677289, after its kill
    const dir = mkdtempSync(path.join(tmpdir(), 'kubelog-cut-'));
    const lines = readFileSync(samplePath('08'), 'utf8').split('\n');
    const cut = async (from: number) => {
      const file = path.join(dir, `from-${from}.log`);
      writeFileSync(file, lines.slice(from - 1).join('\n'));
      const d = path.join(dir, `from-${from}.db`);
      expect((await runCli(['ingest', '-q', '--db', d, '--year', '2024', file])).code).toBe(0);
      return d;
    };
    const a = await cut(11);
    const row = (JSON.parse((await runCli(['pods', '--db', a, '--json'])).stdout) as { pods: Array<Record<string, unknown>> }).pods[0]!;
    // ready at 22.318990 (container c started): 912.1 ms after the log's first line, ≥ because the
    // admission is not in it; sync until the DELETE at 23.611176
    expect([row.startupUs, row.startupOpen, row.syncUs]).toEqual([912_125, true, 2_204_311]);
    const text = (await runCli(['pod', 'lws-1', '--db', a])).stdout;
    expect(text).toMatch(/^startup\s+≤ \+0\.000s\s+≥ 912\.1ms\s+▆+$/m);
    expect(text).toMatch(/kubelet: podStartSLOduration 2\.755s, podStartE2EDuration 2\.755s/);
    const view = JSON.parse((await runCli(['pod', 'lws-1', '--db', a, '--json'])).stdout) as { startup: Array<{ beganBefore?: true; open: boolean }>; teardown: Array<{ beganBefore?: true }> };
    expect([view.startup[0]!.beganBefore, view.startup[0]!.open, view.teardown[0]!.beganBefore]).toEqual([true, false, undefined]);
    expect(validateSchema('pod.schema.json', view)).toEqual([]);

    const b = await cut(32);
    const torn = JSON.parse((await runCli(['pod', 'lws-1', '--db', b, '--json'])).stdout) as { phases: Array<{ phase: string; startBy: { evidence: string } }>; teardown: Array<{ beganBefore?: true }> };
    expect(torn.phases.map((ph) => [ph.phase, ph.startBy.evidence])).toEqual([
      ['terminating', 'log-start'],
      ['terminated', 'inferred'],
    ]);
    expect(torn.teardown[0]!.beganBefore).toBe(true);
    expect((await runCli(['pod', 'lws-1', '--db', b])).stdout).toMatch(/^teardown\s+≤ \+0\.000s\s+≥ 2m10s\s+▆+$/m);
  });

  it('a missing database is a clear error', async () => {
    const r = await runCli(['pods', '--db', '/nonexistent/k.db']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no such database\. Ingest a log first/);
  });
});

describe('kubelog pod', () => {
  it('finds a pod by UID prefix and draws its timeline', async () => {
    const r = await runCli(['pod', '4f3761db', '--db', db]);
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/^default\/nginx-deployment-9456bbbf9-cvrr7 {2}uid 4f3761db-ee39-4974-a2cc-9bf0a48e5c13/);
    expect(out).toMatch(/^state terminating \(when the log ends\)$/m);
    expect(out).toMatch(/^terminating\s+L5\s+—\s+exact\s+exact\s+█+/m);
    expect(out).toMatch(/^terminated\s+L39\s+—\s+exact\s+exact\s+ *█+/m);
    expect(out).toMatch(/^terminating\s+L140\s+—\s+exact\s+log end\s+ *█+▒+$/m);
    expect(out).toMatch(/^\s+L145\s+critical\s+kill failed\s+nginx: Container termination failed with gracePeriod: rpc error: c… \(2 lines\)$/m);
    expect(out).toMatch(/^\s+L1\s+\S?\s*api\s+SyncLoop DELETE$/m);
  });

  it('by namespace/name, with --json and the raw lines', async () => {
    const r = await runCli(['pod', 'kube-system/rke-ingress-controller-deploy-job-zj5t6', '--db', db, '--json']);
    expect(r.code).toBe(0);
    const view = JSON.parse(r.stdout) as { uid: string; phases: { phase: string; start: { line: number; timeUs: number }; durationUs: number }[]; events: { raw: string; lane: string | null }[] };
    expect(validateSchema('pod.schema.json', view)).toEqual([]);
    // the same answer broken on purpose fails: the check is not a formality
    const broken = { ...view, phases: [{ ...view.phases[0]!, phase: 'starting' }, ...view.phases.slice(1)] };
    expect(validateSchema('pod.schema.json', broken)).toEqual([expect.stringMatching(/^\/phases\/0\/phase: must be equal to one of the allowed values/)]);
    expect(view.uid).toBe('e9e05afc-31c4-4ab9-9bc9-423b9fa3a494');
    expect(view.phases.map((p) => [p.phase, p.start.line])).toEqual([
      ['sync', 1],
      ['terminating', 34],
      ['terminated', 40],
    ]);
    expect(view.phases[0]!.durationUs).toBe(2159778); // 11:42:42.373494 → 11:42:44.533272
    expect(view.events[0]!.raw).toMatch(/^I0120 11:42:42\.373494 {4}4787 kubelet\.go:1827\] SyncLoop \(ADD, "api"\)/);
  });

  it('an ambiguous or unknown query says what to do', async () => {
    const amb = await runCli(['pod', 'coredns-6f85d5fb88-flfvm', '--db', db]);
    expect(amb.code).toBe(0); // a unique name is fine
    const none = await runCli(['pod', 'no-such-pod', '--db', db]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no pod matches "no-such-pod"/);
  });
});

describe('kubelog rebuild', () => {
  it('recomputes the same pods', async () => {
    const before = (await runCli(['pods', '--db', db, '--json'])).stdout;
    const r = await runCli(['rebuild', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^9 pods, 8 incidents, 0 kubelet restarts from 126 records/);
    expect((await runCli(['pods', '--db', db, '--json'])).stdout).toBe(before);
  });
});

describe('kubelog pods on 150,000 pods', () => {
  // a table of them once overflowed the stack (their widths spread into Math.max); it is written
  // row by row now, as is the JSON (one string of a million pods is past V8's limit: README, Benchmarks)
  it('prints every row, as text and as JSON', { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubelog-many-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true })); // 116 MB
    const many = path.join(dir, 'many.db');
    writeManyPods(many, 150_000);
    const text = await runCli(['pods', '--db', many, '--sort', 'name']);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(150_001);
    expect(lines[0]).toMatch(/^POD\s+UID\s+FIRST SEEN \(UTC\)\s+STATE\s+STARTUP\s+SYNC\s+TERMINATING\s+TERMINATED\s+INCIDENTS$/);
    expect(lines[1]).toMatch(/^batch\/api-gateway-/);
    const json = await runCli(['pods', '--db', many, '--json', '--sort', 'name']);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout) as PodsJson & { db: string };
    expect(out.total).toBe(150_000);
    expect(out.pods).toHaveLength(150_000);
    expect(validateSchema('pods.schema.json', { ...out, pods: out.pods.slice(0, 100) })).toEqual([]);
    expect(lines[1]!.startsWith(`${out.pods[0]!.namespace}/${out.pods[0]!.name}`)).toBe(true);
  });
});
