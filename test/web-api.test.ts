// The JSON API of `kubelog serve`, as the app and a user's browser meet it: the real command as a
// subprocess over a database ingested from the real samples, asked over HTTP. Every answer is
// checked against its schema in schemas/api/ and for exact values. The static part (the built
// app, its page fallback) runs in process with app.inject on a made-up app folder.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinesResponse, OverviewPod, OverviewResponse, PodCandidatesResponse, PodResponse, PodsResponse, SearchResponse, SourcesResponse } from '../web/api/types.js';
import { createServer } from '../web/server/app.js';
import { INCIDENT_KINDS } from '../lifecycle/incident-rules.js';
import { openDatabase } from '../store/db.js';
import { runCli } from './helpers/cli.js';
import { validateSchema } from './helpers/json-schema.js';
import { realDir, samplePath } from './helpers/samples.js';
import { serve, type Served } from './helpers/serve.js';

const UID = '4f3761db-ee39-4974-a2cc-9bf0a48e5c13'; // the design-notes pod: torn down twice, kill failed
const JOB_UID = 'e9e05afc-31c4-4ab9-9bc9-423b9fa3a494'; // sample 05's Job pod, with times
const AKS_NGINX_UID = '5da5612b-9738-493c-af51-a213072997f6'; // sample 09's pod: running before the log begins
const DESIGN_NOTES = 22; // its source: the samples are read oldest content first, timeless last but SOURCES.md
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const fileLines = (file: string) => readFileSync(file, 'utf8').split('\n');
/** Epoch µs of a UTC date and time with microseconds. */
const us = (iso: string, micros: number) => Date.parse(iso) * 1000 + micros;

let dir: string;
let db: string;
let server: Served;
let dbBefore: { sha: string; mtimeMs: number; size: number };
const fileState = (file: string) => ({ sha: createHash('sha256').update(readFileSync(file)).digest('hex'), mtimeMs: statSync(file).mtimeMs, size: statSync(file).size });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubelog-web-api-'));
  db = path.join(dir, 'samples.db');
  const r = await runCli(['ingest', '-q', '--db', db, '--year', '2024', realDir]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  dbBefore = fileState(db);
  server = await serve(['--db', db]);
});

afterAll(async () => {
  await server?.stop();
});

/** GET an API path: 200, JSON, valid against its schema. */
async function api<T>(pathAndQuery: string, schemaName: string, base = server.url): Promise<T> {
  const res = await fetch(base + pathAndQuery);
  const body = (await res.json()) as T;
  expect(res.status, JSON.stringify(body)).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  // schemas/api/pod.schema.json names the CLI's own PodView schema
  expect(validateSchema(`api/${schemaName}.schema.json`, body)).toEqual([]);
  return body;
}

/** GET an API path that must fail: the status, and an ApiError body. */
async function apiError(pathAndQuery: string, status: number): Promise<{ error: string; code: string }> {
  const res = await fetch(server.url + pathAndQuery);
  const body = (await res.json()) as { error: string; code: string };
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(validateSchema('api/error.schema.json', body)).toEqual([]);
  return body;
}

/** A raw HTTP GET with our own headers (fetch does not let a page set Host). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Bytes sent as they are (an HTTP client would fix or refuse them), and the answer: status, headers, JSON body. */
function rawHttp(url: string, text: string): Promise<{ status: number; headers: Record<string, string>; body: unknown }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(text));
    let buf = Buffer.alloc(0);
    const done = (): boolean => {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return false;
      const [statusLine, ...lines] = buf.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines) headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
      const body = buf.subarray(end + 4);
      if (body.length < Number(headers['content-length'] ?? 0)) return false;
      socket.destroy();
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body: body.length ? JSON.parse(body.toString()) : undefined });
      return true;
    };
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      done();
    });
    socket.on('end', () => done() || reject(new Error(`incomplete answer: ${buf.toString()}`)));
    socket.on('error', reject);
  });
}

describe('GET /api/sources', () => {
  it('lists every file of the samples folder as a source, oldest content first, with its line accounting', async () => {
    const s = await api<SourcesResponse>('/api/sources', 'sources');
    expect(s.db).toBe(db);
    // --year 2024 puts every dated sample in 2024, sample 14's klog file header (2019/08/20) too
    const order = ['05', '18', '17', '08', '21', '02', '16', '13', '01', '06', '19', '20', '12', '14', '15', '11', '09', '07', '03', '04', '10', '00'];
    expect(s.sources.map((x) => x.path)).toEqual([...order.map(samplePath), path.join(realDir, 'SOURCES.md')]);
    expect(s.sources.map((x) => x.id)).toEqual(order.map((_, i) => i + 1).concat(23));
    expect(s.sources[DESIGN_NOTES - 1]).toEqual({
      id: DESIGN_NOTES,
      path: samplePath('00'),
      node: null,
      envelope: 'none',
      gzip: false,
      complete: true,
      firstUs: null,
      lastUs: null,
      linesRead: 147,
      records: 69,
      foreignLines: 18,
      rejectedLines: 0,
    });
    expect({ firstUs: s.firstUs, lastUs: s.lastUs, pods: s.pods, records: s.records }).toEqual({ firstUs: 1705750962373494, lastUs: 1746935522232912, pods: 42, records: 619 });
    // what the pod list's incident filter offers: the kinds present, with their pods
    expect(s.incidentKinds).toEqual([
      { kind: 'mount-failed', pods: 4 },
      { kind: 'node-not-ready', pods: 4 },
      { kind: 'admission-rejected', pods: 1 },
      { kind: 'grace-exceeded', pods: 1 },
      { kind: 'image-pull-failed', pods: 1 },
      { kind: 'kill-failed', pods: 1 },
      { kind: 'probe-restart', pods: 1 },
      { kind: 'recreated-quickly', pods: 1 },
      { kind: 'status-failed', pods: 1 },
      { kind: 'torn-down-twice', pods: 1 },
    ]);
    expect(s.nodes.map((n) => [n.node, n.sources, n.pods])).toEqual([
      [null, 5, 9],
      ['vm-165', 1, 0],
      ['homework', 1, 1],
      ['kind-worker', 2, 4],
      ['e2e-big-minion-group-wfls', 3, 4],
      ['8rnr7mhj-nhcz55ua', 1, 2],
      ['api-int.ite-ocp.ite.local', 1, 1],
      ['aks-nodepool1-29985679-vmss00000A', 1, 1],
      ['minikube', 1, 0],
      ['node1', 1, 2],
      ['wxyd-216-8-20.linux.17usoft.com', 1, 3],
      ['minion2', 1, 0],
      ['aks-np2-39852331-vmss000000', 1, 1],
      ['sanji', 3, 14],
    ]);
    expect(s.nodes.find((n) => n.node === 'sanji')).toEqual({ node: 'sanji', sources: 3, pods: 14, firstUs: 1746793574528978, lastUs: 1746935522232912 });
  });
});

describe('GET /api/overview', () => {
  it('without a window: every pod, the timeless design-notes pod with its phases and anomalies in order', async () => {
    const o = await api<OverviewResponse>('/api/overview', 'overview');
    expect([o.fromUs, o.toUs]).toEqual([1705750962373494, 1746935522232912]);
    expect(o.pods).toHaveLength(42);
    const notes = o.pods.find((p) => p.uid === UID)!;
    expect(notes).toEqual({
      key: UID,
      uid: UID,
      namespace: 'default',
      name: 'nginx-deployment-9456bbbf9-cvrr7',
      node: null,
      static: false,
      // the second teardown's kill failed: still terminating where the log ends
      state: 'terminating',
      firstUs: null,
      lastUs: null,
      phases: [
        ['terminating', null, null, false, true, false],
        ['terminated', null, null, false, true, false],
        ['terminating', null, null, true, true, false],
      ],
      // one kill failure is one incident, whatever number of lines says it
      incidents: [
        ['torn-down-twice', null, 'warning'],
        ['kill-failed', null, 'critical'],
      ],
    });
    // pods of logs without times come last: here only this one
    expect(o.pods.filter((p) => p.firstUs === null)).toEqual([notes]);
    expect(o.pods.at(-1)).toEqual(notes);
    expect(o.pods.find((p) => p.uid === JOB_UID)!.phases).toEqual([
      ['sync', 1705750962373494, 1705750964533272, false, false, false],
      ['terminating', 1705750964533272, 1705750964698817, false, false, false],
      ['terminated', 1705750964698817, 1705750964799130, false, false, false],
    ]);
    // sample 09: the pod's first line is its container's PLEG start: it was syncing before the
    // log began, so the sync phase is a lower bound (≥ 7m06s), its teardown is whole
    expect(o.pods.find((p) => p.uid === AKS_NGINX_UID)!.phases).toEqual([
      ['sync', 1732903991927120, 1732904418242970, false, false, true],
      ['terminating', 1732904418242970, 1732904418668321, false, false, false],
    ]);
    const h = o.histogram;
    expect(h.records).toHaveLength(200);
    expect(h.fromUs).toBe(1705750962373494);
    expect(h.bucketUs).toBe(Math.ceil((1746935522232912 - 1705750962373494 + 1) / 200));
    // every record with a time (619 less the design notes' 69), its warnings and errors
    const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
    expect([sum(h.records), sum(h.warnings), sum(h.errors)]).toEqual([550, 18, 67]);
  });

  it('a window: the pods overlapping it (timeless ones never do), and the histogram over it', async () => {
    // sample 05's span, 11:42:42.373494 … 11:42:44.799130 on 2024-01-20
    const o = await api<OverviewResponse>('/api/overview?from=1705750962373494&to=1705750964799130&buckets=3', 'overview');
    expect([o.fromUs, o.toUs]).toEqual([1705750962373494, 1705750964799130]);
    expect(o.pods.map((p) => `${p.namespace}/${p.name}`)).toEqual([
      'kube-system/rke-ingress-controller-deploy-job-zj5t6',
      'kube-system/coredns-autoscaler-79599b9dc6-t89nc',
      'kube-system/coredns-6f85d5fb88-flfvm',
      'kube-system/metrics-server-8449844bf-s2dtd',
      'ingress-nginx/nginx-ingress-controller-w84zn',
      'ingress-nginx/default-http-backend-65dd5949d9-nw25s',
      'kube-system/kube-flannel-8h8dx',
    ]);
    // coredns-autoscaler cannot start for want of a CNI network: Error syncing pod twice, one incident
    expect(o.pods[1]!.incidents).toEqual([['node-not-ready', 1705750962400456, 'error']]);
    expect(o.pods.map((p) => p.state)).toEqual(['finished', 'running', 'running', 'running', 'running', 'running', 'running']);
    expect(o.histogram.bucketUs).toBe(808546); // ⌈(2425636 + 1) / 3⌉
    expect(o.histogram.records.reduce((a, b) => a + b)).toBe(46); // all of sample 05
  });

  it('buckets: up to 2000, 0 for none; a node narrows pods and records', async () => {
    expect((await api<OverviewResponse>('/api/overview?buckets=2000', 'overview')).histogram.records).toHaveLength(2000);
    expect((await api<OverviewResponse>('/api/overview?buckets=0', 'overview')).histogram).toEqual({ fromUs: null, bucketUs: 0, records: [], warnings: [], errors: [] });
    expect((await apiError('/api/overview?buckets=2001', 400)).error).toBe('parameter buckets: 2001 is out of range (0 to 2000)');
    const sanji = await api<OverviewResponse>('/api/overview?node=sanji&buckets=1', 'overview');
    expect([sanji.fromUs, sanji.toUs]).toEqual([1746793574528978, 1746935522232912]);
    expect(sanji.pods).toHaveLength(14);
    expect(sanji.histogram.records).toEqual([62]); // samples 03, 04 and 10: 14 + 23 + 25 records
  });
});

describe('GET /api/overview: the kubelet processes', () => {
  it("mark the kubelet's crashes and restarts on the axis: each process with how it ended, of the window and node", async () => {
    // sample 16: the kubelet dies of SIGABRT after a PLEG stall; sample 07's is restarted
    const e2e = await api<OverviewResponse>('/api/overview?node=e2e-big-minion-group-wfls&buckets=1&limit=0', 'overview');
    expect([e2e.kubeletTotal, e2e.kubelets]).toEqual([
      1,
      [{ node: 'e2e-big-minion-group-wfls', pid: 1304, version: null, firstUs: 1711368823000000, lastUs: 1711369620000000, end: 'crash', endUs: 1711369620000000, signal: 'SIGABRT', message: 'SIGABRT: abort' }],
    ]);
    const kind = await api<OverviewResponse>('/api/overview?node=kind-worker&buckets=1&limit=0', 'overview');
    expect(kind.kubelets.map((k) => [k.pid, k.end, k.endUs])).toEqual([
      [202, 'restart', 1710563614143267],
      [240, 'log-end', 1734670313690204],
    ]);
    // the whole database: one per process, in time order; a window keeps those it overlaps
    const all = await api<OverviewResponse>('/api/overview?limit=0', 'overview');
    expect(all.kubeletTotal).toBe(all.kubelets.length);
    expect(all.kubelets.filter((k) => k.end !== 'log-end').map((k) => `${k.node}:${k.end}`)).toEqual(['kind-worker:restart', 'e2e-big-minion-group-wfls:crash']);
    const window = await api<OverviewResponse>('/api/overview?from=1711369000000000&to=1711369700000000&limit=0', 'overview');
    expect(window.kubelets.map((k) => k.pid)).toEqual([1304]);
    // the rows' pages (buckets=0) do not carry them
    expect((await api<OverviewResponse>('/api/overview?buckets=0&limit=1', 'overview')).kubelets).toEqual([]);
  });
});

describe('GET /api/overview, a page at a time', () => {
  const label = (p: OverviewPod): string => (p.name !== null ? `${p.namespace ?? '?'}/${p.name}` : p.key);
  // an open phase's end is where the log ends: its length is a lower bound, and sorts as one
  const terminatingUs = (p: OverviewPod): number => p.phases.reduce((sum, [phase, s, e]) => sum + (phase === 'terminating' && s !== null && e !== null ? e - s : 0), 0);
  let all: OverviewResponse;
  beforeAll(async () => {
    all = await api<OverviewResponse>('/api/overview?limit=2000&buckets=0', 'overview');
  });

  it('limit and offset walk the pods in order; the total and the count with incidents come with every page', async () => {
    expect([all.total, all.withIncidents, all.offset, all.pods.length]).toEqual([42, 15, 0, 42]);
    const walked: OverviewPod[] = [];
    for (let offset = 0; offset < 42; offset += 7) {
      const page = await api<OverviewResponse>(`/api/overview?limit=7&offset=${offset}&buckets=0`, 'overview');
      expect([page.total, page.withIncidents, page.offset, page.pods.length]).toEqual([42, 15, offset, Math.min(7, 42 - offset)]);
      walked.push(...page.pods);
    }
    expect(walked).toEqual(all.pods);
    // limit=0: the counts alone (the overview's first request, with the whole log's histogram)
    const counts = await api<OverviewResponse>('/api/overview?limit=0&buckets=240', 'overview');
    expect([counts.total, counts.withIncidents, counts.pods.length, counts.histogram.records.length]).toEqual([42, 15, 0, 240]);
    // without a limit: 500 at most
    expect((await api<OverviewResponse>('/api/overview', 'overview')).pods).toEqual(all.pods);
    expect((await apiError('/api/overview?limit=2001', 400)).error).toBe('parameter limit: 2001 is out of range (0 to 2000)');
    expect((await api<OverviewResponse>('/api/overview?offset=42', 'overview')).pods).toEqual([]);
  });

  it('filters and sorts as the overview toolbar does: text, with incidents, by name, state, incidents, terminating time, last seen', async () => {
    const nginx = await api<OverviewResponse>('/api/overview?text=NGINX&buckets=0', 'overview');
    expect(nginx.pods.map(label)).toEqual(all.pods.map(label).filter((l) => l.toLowerCase().includes('nginx')));
    expect([nginx.total, nginx.withIncidents]).toEqual([7, nginx.pods.filter((p) => p.incidents.length > 0).length]);
    expect(nginx.withIncidents).toBe(3);
    expect((await api<OverviewResponse>('/api/overview?text=4F3761DB&buckets=0', 'overview')).pods.map((p) => p.key)).toEqual([UID]);
    const withIncidents = await api<OverviewResponse>('/api/overview?incidents=1&buckets=0', 'overview');
    expect(withIncidents.pods).toEqual(all.pods.filter((p) => p.incidents.length > 0));
    expect([withIncidents.total, withIncidents.withIncidents]).toEqual([15, 15]);
    // each order is the start order (the list above), stably re-sorted
    const sorted = (by: (a: OverviewPod, b: OverviewPod) => number): OverviewPod[] => [...all.pods].sort(by);
    const sort = async (name: string): Promise<OverviewPod[]> => (await api<OverviewResponse>(`/api/overview?sort=${name}&buckets=0`, 'overview')).pods;
    expect((await sort('name')).map(label)).toEqual(all.pods.map(label).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0)));
    // the worst severity first, then the most incidents
    const worst = (p: OverviewPod): number => Math.min(9, ...p.incidents.map(([, , sev]) => ['critical', 'error', 'warning', 'info'].indexOf(sev)));
    expect(await sort('incidents')).toEqual(sorted((a, b) => worst(a) - worst(b) || b.incidents.length - a.incidents.length));
    expect((await sort('incidents'))[0]!.key).toBe(UID);
    // a pod still terminating where the log ends comes before those being torn down or done
    const states = (await sort('state')).map((p) => p.state);
    expect(states.slice(0, 2)).toEqual(['terminating', 'terminated']);
    expect(states.indexOf('running')).toBeLessThan(states.indexOf('finished'));
    expect(await sort('terminating')).toEqual(sorted((a, b) => terminatingUs(b) - terminatingUs(a)));
    expect((await sort('terminating'))[0]!.name).toBe('lws-1');
    const last = await sort('last');
    expect(last).toEqual(sorted((a, b) => (b.lastUs ?? -Infinity) - (a.lastUs ?? -Infinity)));
    expect(last.at(-1)!.key).toBe(UID);
    expect((await apiError('/api/overview?sort=terminated', 400)).error).toBe('parameter sort: "terminated" is not one of start, name, state, incidents, terminating, last');
  });
});

describe('GET /api/pod/:key', () => {
  it('the design-notes pod: its phases by line, every point naming its source', async () => {
    const { pod } = await api<PodResponse>(`/api/pod/${UID}`, 'pod');
    expect(pod.phases.map((p) => [p.phase, p.start, p.end, p.evidence, p.open, p.durationUs, p.gracePeriodS, p.startBy.by, p.endBy.by ?? p.endBy.evidence])).toEqual([
      ['terminating', { line: 5, source: DESIGN_NOTES }, { line: 29, source: DESIGN_NOTES }, 'exact', false, null, 30, 'sync-terminating-pod-enter', 'sync-terminating-pod-exit'],
      ['terminated', { line: 39, source: DESIGN_NOTES }, { line: 50, source: DESIGN_NOTES }, 'exact', false, null, undefined, 'sync-terminated-pod-enter', 'sync-terminated-pod-exit'],
      // torn down again, and its kill failed: still terminating at the last line
      ['terminating', { line: 140, source: DESIGN_NOTES }, { line: 147, source: DESIGN_NOTES }, 'exact', true, null, 1, 'sync-terminating-pod-enter', 'log-end'],
    ]);
    // a pod torn down again after its first teardown did not finish there
    expect(pod.state).toBe('terminating');
    expect(pod.finished).toBeNull();
    expect(pod.incidents.map((a) => [a.kind, a.severity, a.lines, a.evidence.map((e) => e.line)])).toEqual([
      ['torn-down-twice', 'warning', 2, [5, 140]],
      ['kill-failed', 'critical', 2, [145, 146]],
    ]);
    expect(pod.events).toHaveLength(69);
    const kill = pod.events.find((e) => e.line === 146)!;
    expect(kill).toMatchObject({ source: DESIGN_NOTES, lane: 'runtime', kind: 'runtime.container.kill-failed', msg: 'Kill container failed', kv: { containerName: 'nginx' } });
    // the raw text is /api/lines' to give
    expect(pod.events.some((e) => e.raw !== undefined)).toBe(false);
    // the answer broken on purpose fails its schema, through api/pod.schema.json's $ref into pod.schema.json
    const incidents = [{ ...pod.incidents[0]!, severity: 'dire' }, ...pod.incidents.slice(1)];
    // (the answer is one of two shapes: ajv also says why it is not the other, a list of candidates)
    expect(validateSchema('api/pod.schema.json', { pod: { ...pod, incidents }, kubelet: [] })).toContainEqual(expect.stringMatching(/^\/pod\/incidents\/0\/severity: must be equal to one of the allowed values/));
  });

  it('a pod with times: phase start and end times and durations', async () => {
    const { pod } = await api<PodResponse>(`/api/pod/${JOB_UID}`, 'pod');
    expect(pod.phases.map((p) => [p.phase, p.start, p.end, p.durationUs])).toEqual([
      ['sync', { line: 1, timeUs: 1705750962373494, source: 1 }, { line: 34, timeUs: 1705750964533272, source: 1 }, 2159778],
      ['terminating', { line: 34, timeUs: 1705750964533272, source: 1 }, { line: 40, timeUs: 1705750964698817, source: 1 }, 165545],
      ['terminated', { line: 40, timeUs: 1705750964698817, source: 1 }, { line: 46, timeUs: 1705750964799130, source: 1 }, 100313],
    ]);
  });

  it("the kubelet's crashes and restarts while the pod lived: kube-proxy's sync runs to the crash", async () => {
    const { pod, kubelet, kubeletTotal } = await api<PodResponse>('/api/pod/2b5a92651754a304649e3cc5de130d56', 'pod');
    expect(kubeletTotal).toBe(1);
    expect(pod.phases.map((p) => [p.phase, p.open, p.endBy.evidence, p.end.timeUs])).toEqual([['sync', true, 'kubelet-crash', 1711369620000000]]);
    // the crash is 13 minutes after the pod's last line: the phase's end counts
    expect(pod.last.timeUs).toBe(1711368828160365);
    expect(kubelet).toEqual([
      {
        line: 8,
        timeUs: 1711369620000000,
        source: 7,
        kind: 'kubelet-crash',
        severity: 'critical',
        lines: 1,
        evidence: [{ line: 8, timeUs: 1711369620000000, source: 7 }],
        detail: 'kubelet 1304 crashed: SIGABRT: abort; the log ends',
        subject: 'e2e-big-minion-group-wfls',
      },
    ]);
    // a pod of another node, or of a log without times, sees none
    expect((await api<PodResponse>(`/api/pod/${JOB_UID}`, 'pod')).kubeletTotal).toBe(0);
    expect((await api<PodResponse>(`/api/pod/${JOB_UID}`, 'pod')).kubelet).toEqual([]);
    expect((await api<PodResponse>(`/api/pod/${UID}`, 'pod')).kubelet).toEqual([]);
  });

  it('an unknown key is a 404 that says how to find pods', async () => {
    const e = await apiError('/api/pod/00000000-0000-0000-0000-000000000000', 404);
    expect(e.code).toBe('no-such-pod');
    expect(e.error).toMatch(/no pod matches "00000000-0000-0000-0000-000000000000".*\/api\/pods\?text=/);
    expect((await apiError('/api/pod/default/no-such-pod', 404)).code).toBe('no-such-pod');
  });

  it('takes what `kubelog pod` takes: a UID prefix, namespace/name; several matches are candidates', async () => {
    for (const q of ['4f3761db', 'default/nginx-deployment-9456bbbf9-cvrr7', encodeURIComponent('default/nginx-deployment-9456bbbf9-cvrr7')]) {
      expect((await api<PodResponse>(`/api/pod/${q}`, 'pod')).pod.key).toBe(UID);
    }
    // kube-proxy of that node is a static pod and its mirror: the same name twice
    const r = await api<PodCandidatesResponse>('/api/pod/kube-system/kube-proxy-e2e-big-minion-group-wfls', 'pod');
    expect(r.query).toBe('kube-system/kube-proxy-e2e-big-minion-group-wfls');
    expect(r.candidates.map((c) => [c.key, c.state, c.static, c.mirrorOf !== null])).toEqual([
      ['2b5a92651754a304649e3cc5de130d56', 'running', true, false],
      ['e122c82b-c004-4b2f-bf90-77bc3b2bf4d9', 'mirror', false, true],
    ]);
  });
});

describe('GET /api/lines', () => {
  it('the log around the kill failure, exactly as read', async () => {
    const r = await api<LinesResponse>(`/api/lines?source=${DESIGN_NOTES}&line=146&before=1&after=1`, 'lines');
    const lines = fileLines(samplePath('00'));
    expect(r).toEqual({
      source: DESIGN_NOTES,
      path: samplePath('00'),
      line: 146,
      lines: [145, 146, 147].map((n) => ({ line: n, endLine: n, kind: 'record', text: lines[n - 1] })),
    });
    expect(r.lines[1]!.text).toBe(
      ' "Kill container failed" err="rpc error: code = Unknown desc = Error response from daemon: No such container: dc18bc33e7914de8b6db57585ce56f2fbbb36c8deab970d5d0014f882ce1748c" pod="default/nginx-deployment-9456bbbf9-cvrr7" podUID=4f3761db-ee39-4974-a2cc-9bf0a48e5c13 containerName="nginx" containerID={Type:docker ID:dc18bc33e7914de8b6db57585ce56f2fbbb36c8deab970d5d0014f882ce1748c}',
    );
  });

  it('every line is there, foreign ones too, and a record spanning lines is one entry', async () => {
    // ten lines either side by default; the file ends at 147
    const r = await api<LinesResponse>(`/api/lines?source=${DESIGN_NOTES}&line=140`, 'lines');
    const lines = fileLines(samplePath('00'));
    const covered = r.lines.flatMap((l) => Array.from({ length: l.endLine - l.line + 1 }, (_, i) => l.line + i));
    expect(covered).toEqual(Array.from({ length: 18 }, (_, i) => 130 + i));
    for (const l of r.lines) expect(l.text).toBe(lines.slice(l.line - 1, l.endLine).join('\n'));
    // sample 14 begins with the klog file header: foreign lines with their kind
    const head = await api<LinesResponse>('/api/lines?source=14&line=1&before=0&after=4', 'lines');
    expect(head.lines.map((l) => [l.line, l.kind, l.detail])).toEqual([
      [1, 'foreign', 'klog-file-header'],
      [2, 'foreign', 'klog-file-header'],
      [3, 'foreign', 'klog-file-header'],
      [4, 'foreign', 'klog-file-header'],
      [5, 'record', undefined],
    ]);
    expect(head.lines[0]!.text).toBe('Log file created at: 2019/08/20 20:28:26');
  });

  it("with pod=, each record says whether it is that pod's or names another pod; severities", async () => {
    const r = await api<LinesResponse>(`/api/lines?source=1&line=20&before=5&after=4&pod=${JOB_UID}`, 'lines');
    // the Job pod's PLEG events; two other pods' ADDs and one's sync error name their UIDs; the
    // topology and reflector lines name no pod
    expect(r.lines.map((l) => [l.line, l.severity, l.pod])).toEqual([
      [15, 'I', 'this'],
      [16, 'I', 'this'],
      [17, 'I', 'other'],
      [18, 'I', undefined],
      [19, 'I', undefined],
      [20, 'I', 'other'],
      [21, 'I', undefined],
      [22, 'I', undefined],
      [23, 'E', 'other'],
      [24, 'I', undefined],
    ]);
    // without pod=, no owners
    const plain = await api<LinesResponse>('/api/lines?source=1&line=20&before=5&after=4', 'lines');
    expect(plain.lines.map((l) => l.pod)).toEqual(new Array(10).fill(undefined));
    expect((await apiError('/api/lines?source=1&line=20&pod=00000000-0000-0000-0000-000000000000', 404)).code).toBe('no-such-pod');
    expect((await apiError(`/api/lines?source=1&line=20&pod=${'x'.repeat(513)}`, 400)).error).toBe('parameter pod: is 513 characters long; a pod key has at most 512');
  });

  it('errors: no source among several, an unknown source, a line past the end', async () => {
    expect((await apiError('/api/lines?line=3', 400)).error).toMatch(/^parameter source: is required/);
    expect((await apiError('/api/lines?source=99&line=3', 404)).code).toBe('no-such-source');
    expect((await apiError(`/api/lines?source=${DESIGN_NOTES}&line=148`, 404)).error).toMatch(/has 147 lines, not 148/);
    expect((await apiError('/api/lines?source=1', 400)).error).toBe('parameter line: is required');
  });
});

describe('GET /api/pods', () => {
  const names = (r: PodsResponse) => r.pods.map((p) => `${p.namespace}/${p.name}`);

  it('text: a substring of namespace/name, any case, or a UID prefix', async () => {
    const nginx = await api<PodsResponse>('/api/pods?text=NGINX', 'pods');
    expect(nginx.total).toBe(7);
    expect(names(nginx)).toEqual([
      'ingress-nginx/nginx-ingress-controller-w84zn',
      'ingress-nginx/default-http-backend-65dd5949d9-nw25s',
      'ingress/nginx-ingress-microk8s-controller-6f5rn',
      'default/nginx-cb8956d5f-c5zh8',
      'default/cautious-leopard-nginx-ingress-default-backend-7b6f5b895d-7wnb6',
      'default/nginx',
      'default/nginx-deployment-9456bbbf9-cvrr7',
    ]);
    expect(names(await api<PodsResponse>(`/api/pods?text=${encodeURIComponent('default/nginx')}`, 'pods'))).toEqual(['default/nginx-cb8956d5f-c5zh8', 'default/nginx', 'default/nginx-deployment-9456bbbf9-cvrr7']);
    const byUid = await api<PodsResponse>('/api/pods?text=4F3761DB', 'pods');
    expect(byUid.pods.map((p) => p.key)).toEqual([UID]);
    // which sums are lower bounds: sample 09's pod began syncing before its log, the design-notes
    // pod's second teardown is still going where its log ends
    const aks = (await api<PodsResponse>('/api/pods?text=5da5612b', 'pods')).pods[0]!;
    expect([aks.syncUs, aks.openPhases, aks.beforeLogPhases]).toEqual([426315850, [], ['sync']]);
    expect([byUid.pods[0]!.openPhases, byUid.pods[0]!.beforeLogPhases]).toEqual([['terminating'], []]);
    // LIKE's wildcards are taken literally
    expect((await api<PodsResponse>('/api/pods?text=%25', 'pods')).total).toBe(0);
    expect((await api<PodsResponse>('/api/pods?text=_', 'pods')).total).toBe(0);
  });

  it('namespace, incident kind, with incidents, state', async () => {
    expect(names(await api<PodsResponse>('/api/pods?namespace=ingress-nginx', 'pods'))).toEqual(['ingress-nginx/nginx-ingress-controller-w84zn', 'ingress-nginx/default-http-backend-65dd5949d9-nw25s']);
    const killed = await api<PodsResponse>('/api/pods?incident=kill-failed', 'pods');
    expect(killed.total).toBe(1);
    expect(killed.pods[0]).toMatchObject({ key: UID, state: 'terminating', incidents: 2, incidentKinds: ['torn-down-twice', 'kill-failed'], worstSeverity: 'critical', exact: true, events: 69 });
    expect(names(await api<PodsResponse>('/api/pods?incident=probe-restart', 'pods'))).toEqual(['default/liveness-exec']);
    expect(names(await api<PodsResponse>('/api/pods?incident=grace-exceeded', 'pods'))).toEqual(['lws-e2e-thznm/lws-1']);
    // the four pods of sample 05 that wait for the node's CNI network
    expect(names(await api<PodsResponse>('/api/pods?incident=node-not-ready', 'pods'))).toEqual([
      'kube-system/coredns-autoscaler-79599b9dc6-t89nc',
      'kube-system/coredns-6f85d5fb88-flfvm',
      'kube-system/metrics-server-8449844bf-s2dtd',
      'ingress-nginx/default-http-backend-65dd5949d9-nw25s',
    ]);
    expect((await api<PodsResponse>('/api/pods?incidents=true', 'pods')).total).toBe(15);
    expect(names(await api<PodsResponse>('/api/pods?incidents=true&namespace=default', 'pods'))).toEqual(['default/liveness-exec', 'default/nginx-deployment-9456bbbf9-cvrr7']);
    expect(names(await api<PodsResponse>('/api/pods?state=terminating', 'pods'))).toEqual(['default/nginx-deployment-9456bbbf9-cvrr7']);
  });

  it('sort by terminating time, longest first; offset and limit', async () => {
    const r = await api<PodsResponse>('/api/pods?sort=terminating&desc=true&limit=3', 'pods');
    expect(r.total).toBe(42);
    // sample 08's pod: 111 s against its 30 s grace period; the Job pod of sample 05 is third
    expect(r.pods.map((p) => [p.name, p.terminatingUs])).toEqual([
      ['lws-1', 111035911],
      ['nginx', 425351],
      ['rke-ingress-controller-deploy-job-zj5t6', 165545],
    ]);
    const page = await api<PodsResponse>('/api/pods?offset=40&limit=5', 'pods');
    expect([page.total, page.offset, page.pods.length]).toEqual([42, 40, 2]);
    expect((await api<PodsResponse>('/api/pods?limit=1000', 'pods')).pods).toHaveLength(42);
  });

  it('a time window', async () => {
    const r = await api<PodsResponse>('/api/pods?from=1746793574528978&to=1746934058062202', 'pods');
    expect(names(r)).toEqual(expect.arrayContaining(['downloads/sonarr-56449fd8d-rg9jx', 'downloads/bazarr-59476f74b8-dl55v']));
    expect(r.total).toBe(8);
  });

});

describe('every parameter is checked', () => {
  it('a value the route cannot take is a 400 naming the parameter, never clamped or echoed back', async () => {
    const cases: Array<[string, string]> = [
      ['/api/pods?sort=bogus', 'parameter sort: "bogus" is not one of start, name, state, startup, terminating, terminated, sync, incidents, severity, events'],
      ['/api/pods?state=dead', 'parameter state: "dead" is not one of stuck-terminating, terminating, terminated, running, finished, rejected, mirror, orphan, unknown'],
      ['/api/pods?incident=phase-open', `parameter incident: "phase-open" is not one of ${INCIDENT_KINDS.join(', ')}`],
      ['/api/pods?limit=ten', 'parameter limit: "ten" is not an integer'],
      ['/api/pods?desc=maybe', 'parameter desc: "maybe" is not true or false'],
      ['/api/pods?offset=1&offset=2', 'parameter offset: given more than once'],
      ['/api/pods?offset=-5', 'parameter offset: -5 is out of range (0 or more)'],
      ['/api/pods?limit=0', 'parameter limit: 0 is out of range (1 to 1000)'],
      ['/api/pods?limit=100000', 'parameter limit: 100000 is out of range (1 to 1000)'],
      ['/api/pods?limt=5', 'parameter limt: not known here (this address takes text, namespace, incident, incidents, state, sort, desc, offset, limit, from, to)'],
      ['/api/overview?from=1.5', 'parameter from: "1.5" is not an integer'],
      ['/api/overview?from=2&to=1', 'parameter from: 2 is after to (1)'],
      ['/api/overview?offset=-1', 'parameter offset: -1 is out of range (0 or more)'],
      ['/api/overview?pods=0', 'parameter pods: not known here (this address takes from, to, buckets, node, text, incidents, sort, offset, limit)'],
      [`/api/lines?source=${DESIGN_NOTES}&line=-1`, 'parameter line: -1 is out of range (1 or more)'],
      [`/api/lines?source=${DESIGN_NOTES}&line=0`, 'parameter line: 0 is out of range (1 or more)'],
      [`/api/lines?source=0&line=1`, 'parameter source: 0 is out of range (1 or more)'],
      [`/api/lines?source=${DESIGN_NOTES}&line=5&before=201`, 'parameter before: 201 is out of range (0 to 200)'],
      [`/api/lines?source=${DESIGN_NOTES}&line=99999999999999999`, 'parameter line: "99999999999999999" is not an integer'],
      ['/api/sources?x=1', 'parameter x: not known here (this address takes no parameters)'],
      [`/api/pod/${UID}?raw=1`, 'parameter raw: not known here (this address takes no parameters)'],
      [`/api/pod/${'x'.repeat(513)}`, 'parameter key: is 513 characters long; a pod key has at most 512'],
      ['/api/search?q=pod&limit=501', 'parameter limit: 501 is out of range (1 to 500)'],
      ['/api/search?q=pod&after=12', 'parameter after: "12" is not a search position (the "next" of a previous answer)'],
      ['/api/search?q=pod&after=-1:0', 'parameter after: "-1:0" is not a search position (the "next" of a previous answer)'],
      ['/api/diff?a=node:x&b=node:y&top=0', 'parameter top: 0 is out of range (1 to 200)'],
    ];
    for (const [p, message] of cases) {
      const e = await apiError(p, 400);
      expect([p, e.code, e.error]).toEqual([p, 'bad-parameter', message]);
    }
  });
});

describe('GET /api/search', () => {
  it('a phrase: the records that contain it, with their pod', async () => {
    const r = await api<SearchResponse>(`/api/search?q=${encodeURIComponent('"Kill container failed"')}`, 'search');
    expect(r).toEqual({
      query: '"Kill container failed"',
      truncated: false,
      next: null,
      // one block of the log could hold it (FTS5's index is per block), and held it
      blocks: { searched: 1, left: 0 },
      hits: [{ source: DESIGN_NOTES, line: 146, timeUs: null, severity: null, msg: 'Kill container failed', podKey: UID, text: fileLines(samplePath('00'))[145] }],
    });
    const probes = await api<SearchResponse>(`/api/search?q=${encodeURIComponent('"Probe failed" Liveness')}`, 'search');
    expect(probes.hits.map((h) => [h.source, h.line, h.timeUs, h.severity, h.podKey])).toEqual([
      [10, 5, us('2024-05-16T18:34:39Z', 885628), 'I', '93e17ecc-ab55-461a-b526-29248d2554ad'],
      [10, 6, us('2024-05-16T18:34:44Z', 887534), 'I', '93e17ecc-ab55-461a-b526-29248d2554ad'],
      [10, 7, us('2024-05-16T18:34:49Z', 885197), 'I', '93e17ecc-ab55-461a-b526-29248d2554ad'],
    ]);
  });

  it('limit: the first hits, and where the next page starts; the pages put together are every hit', async () => {
    // pages of 500 and of 7 (a page may also end early, when its half second of work runs out)
    const walk = async (limit: number): Promise<SearchResponse['hits']> => {
      const hits: SearchResponse['hits'] = [];
      for (let next: string | null = ''; next !== null; ) {
        const page: SearchResponse = await api<SearchResponse>(`/api/search?q=pod&limit=${limit}${next ? `&after=${next}` : ''}`, 'search');
        expect(page.hits.length).toBeLessThanOrEqual(limit);
        expect(page.truncated).toBe(page.next !== null);
        if (page.next !== null) expect(page.next).toMatch(/^\d+:\d+$/);
        hits.push(...page.hits);
        next = page.next;
      }
      return hits;
    };
    const whole = await walk(500);
    expect(whole).toHaveLength(352);
    expect(new Set(whole.map((h) => `${h.source}:${h.line}`)).size).toBe(352);
    expect(await walk(7)).toEqual(whole);
    const two = await api<SearchResponse>('/api/search?q=pod&limit=2', 'search');
    expect(two.hits).toEqual(whole.slice(0, 2));
    expect(two.truncated).toBe(true);
  });

  it('a query that would read most of the index is refused before it runs: too many terms, too short a prefix', async () => {
    const letters = 'abcdefghijklmnopq'.split('');
    const prefixes = letters.slice(0, 16).map((c) => `${c}*`).join(' ');
    const e = await apiError(`/api/search?q=${encodeURIComponent(prefixes)}`, 400);
    expect(e).toEqual({ code: 'search-too-costly', error: `${JSON.stringify(prefixes)} would cost too much to search: the prefix "a*" is shorter than 2 characters and would read most of the index. Use fewer words, longer prefixes, or "an exact phrase".` });
    const words = letters.map((c) => `${c}${c}`).join(' ');
    expect((await apiError(`/api/search?q=${encodeURIComponent(words)}`, 400)).error).toContain('it has 17 terms; a search takes at most 16');
    // a phrase's words are terms too; operators and NEAR are not
    expect((await apiError(`/api/search?q=${encodeURIComponent(`"${words}"`)}`, 400)).error).toContain('it has 17 terms');
    expect((await api<SearchResponse>(`/api/search?q=${encodeURIComponent('kill* NOT container OR NEAR(pod probe)')}`, 'search')).query).toBe('kill* NOT container OR NEAR(pod probe)');
  });

  it('a query FTS5 cannot read is a 400 saying so; no query is a 400 too', async () => {
    for (const q of ['"unterminated', 'AND', 'probe:failed']) {
      const e = await apiError(`/api/search?q=${encodeURIComponent(q)}`, 400);
      expect(e.code).toBe('invalid-search');
      expect(e.error).toContain(`${JSON.stringify(q)} is not a valid search query`);
    }
    expect((await apiError('/api/search', 400)).error).toMatch(/^parameter q: is required/);
  });
});

describe('what every answer carries', () => {
  it('security headers, no caching of API answers, compression over 1 KB', async () => {
    const page = (await rawGet(`${server.url}/`, {})).body.toString();
    const script = /<script[^>]+src="([^"]+)"/.exec(page)![1]!;
    for (const p of ['/api/sources', '/api/pods?sort=bogus', '/api/nope', '/', script, '/assets/no-such-file.js']) {
      const r = await rawGet(server.url + p, {});
      expect(r.headers['content-security-policy'], p).toBe(CSP);
      expect(r.headers['x-content-type-options'], p).toBe('nosniff');
      expect(r.headers['referrer-policy'], p).toBe('no-referrer');
      if (p.startsWith('/api')) expect(r.headers['cache-control'], p).toBe('no-store');
    }
    const br = await rawGet(`${server.url}/api/overview`, { 'accept-encoding': 'br' });
    expect(br.headers['content-encoding']).toBe('br');
    const gz = await rawGet(`${server.url}/api/overview`, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const small = await rawGet(`${server.url}/api/pod/nope`, { 'accept-encoding': 'gzip' });
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it('a request addressed to another host name is refused (DNS rebinding)', async () => {
    const r = await rawGet(`${server.url}/api/sources`, { host: 'evil.example' });
    expect(r.status).toBe(403);
    const body = JSON.parse(r.body.toString()) as { error: string; code: string };
    expect(validateSchema('api/error.schema.json', body)).toEqual([]);
    expect(body.code).toBe('forbidden-host');
    expect(body.error).toMatch(/Host "evil\.example" is not allowed.*--allow-host evil\.example/);
    expect(r.headers['content-security-policy']).toBe(CSP);
    for (const host of ['localhost:7780', '127.0.0.1', '[::1]:80']) expect((await rawGet(`${server.url}/api/sources`, { host })).status, host).toBe(200);
  });

  it('the Host header is checked exactly: one of them, a name and a port, nothing else', async () => {
    const port = new URL(server.url).port;
    const get = (target: string, ...headers: string[]) => rawHttp(server.url, `GET ${target} HTTP/1.1\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`);
    const refused: Array<[string, string[], number, string, RegExp]> = [
      ['/api/sources', [`Host: localhost:${port}@evil.example`], 400, 'bad-host', /^Host "localhost:\d+@evil\.example" is not a host name with an optional port$/],
      ['/api/sources', ['Host: localhost', 'Host: evil.example'], 400, 'bad-host', /^the request has 2 Host headers/],
      ['/api/sources', ['Host: localhost', 'Host: localhost'], 400, 'bad-host', /^the request has 2 Host headers/],
      ['/api/sources', ['Host: localhost:99999'], 400, 'bad-host', /is not a host name with an optional port/],
      ['/api/sources', ['Host: evil.example:80'], 403, 'forbidden-host', /^Host "evil\.example" is not allowed/],
      ['http://evil.example/api/sources', ['Host: localhost'], 400, 'bad-url', /is not a path: kubelog serve is not a proxy/],
      // Fastify's own refusal of a URL it cannot decode passes the same checks
      ['/%c0%ae', ['Host: localhost'], 400, 'bad-url', /^"\/%c0%ae" is not a valid address/],
      ['/api/%c0%ae', ['Host: evil.example'], 403, 'forbidden-host', /^Host "evil\.example" is not allowed/],
    ];
    for (const [target, headers, status, code, message] of refused) {
      const r = await get(target, ...headers);
      const what = `${target} ${headers.join(', ')}`;
      expect([what, r.status, (r.body as { code: string }).code], what).toEqual([what, status, code]);
      expect(validateSchema('api/error.schema.json', r.body), what).toEqual([]);
      expect((r.body as { error: string }).error, what).toMatch(message);
      expect([r.headers['content-security-policy'], r.headers['x-content-type-options'], r.headers['referrer-policy']], what).toEqual([CSP, 'nosniff', 'no-referrer']);
    }
    // HTTP/1.0 may leave the Host out, and is refused without one
    const bare = await rawHttp(server.url, 'GET /api/sources HTTP/1.0\r\n\r\n');
    expect([bare.status, (bare.body as { code: string }).code]).toEqual([400, 'bad-host']);
    for (const host of [`localhost:${port}`, 'LOCALHOST.', '127.0.0.1', `[::1]:${port}`]) expect((await get('/api/sources', `Host: ${host}`, 'Connection: close')).status, host).toBe(200);
  });

  it('bytes that are not HTTP get an ApiError with the security headers', async () => {
    const r = await rawHttp(server.url, 'GET /api/sources HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n\r\n');
    expect([r.status, (r.body as { code: string }).code]).toEqual([400, 'bad-request']);
    expect(validateSchema('api/error.schema.json', r.body)).toEqual([]);
    expect(r.headers['content-security-policy']).toBe(CSP);
  });

  it('the API answers only its own pages: a request another site makes the browser send is refused', async () => {
    const port = new URL(server.url).port;
    const origin = (o: string) => rawGet(`${server.url}/api/sources`, { host: `localhost:${port}`, origin: o });
    const site = (s: string, p = '/api/sources') => rawGet(server.url + p, { 'sec-fetch-site': s });
    const evil = await origin('http://evil.example');
    expect(evil.status).toBe(403);
    const body = JSON.parse(evil.body.toString()) as { error: string; code: string };
    expect(body).toEqual({ code: 'cross-site', error: `the API answers only kubelog's own pages, not a request from the page at "http://evil.example": open the app at http://localhost:${port}/ instead` });
    expect(evil.headers['content-security-policy']).toBe(CSP);
    expect((await origin('null')).status).toBe(403);
    expect((await origin(`http://localhost:${Number(port) + 1}`)).status).toBe(403);
    expect((await origin(`http://localhost:${port}`)).status).toBe(200);
    expect((await origin(`HTTP://LOCALHOST:${port}`)).status).toBe(200);
    expect((await site('cross-site')).status).toBe(403);
    expect(JSON.parse((await site('same-site')).body.toString())).toMatchObject({ code: 'cross-site', error: expect.stringContaining('another site (Sec-Fetch-Site: "same-site")') });
    expect((await site('same-origin')).status).toBe(200);
    // typed in the address bar, or a bookmark
    expect((await site('none')).status).toBe(200);
    // every API route, unknown ones included
    for (const p of ['/api/overview', '/api/pods', `/api/pod/${UID}`, `/api/lines?source=${DESIGN_NOTES}&line=1`, '/api/search?q=pod', '/api/diff?a=node:sanji&b=node:minion2', '/api/diff/pods?side=node:sanji&workload=x', '/api/nope', '/%61pi/sources', '/api%2Fsources']) {
      expect((await site('cross-site', p)).status, p).toBe(403);
    }
    // a link to a page of the app from elsewhere opens it
    expect((await site('cross-site', `/pod/${UID}`)).status).toBe(200);
  });

  it('--allow-host adds a name the server answers to', async () => {
    const other = await serve(['--db', db, '--allow-host', 'Kubelog.Test']);
    try {
      expect((await rawGet(`${other.url}/api/sources`, { host: 'kubelog.test:8080' })).status).toBe(200);
      expect((await rawGet(`${other.url}/api/sources`, { host: 'evil.example' })).status).toBe(403);
    } finally {
      expect(await other.stop()).toBe(0);
    }
  });

  it('an unknown API path is a 404 ApiError', async () => {
    expect((await apiError('/api/nope', 404)).code).toBe('not-found');
  });
});

describe('kubelog serve FILE', () => {
  it('ingests, then serves; a pod known only by name has a ~namespace/name key; SIGTERM exits 0', async () => {
    const log = path.join(dir, 'web.log');
    writeFileSync(
      log,
      [
        'I0607 06:00:00.000000    1234 kubelet.go:2440] "SyncLoop ADD" source="api" pods=["default/web-0"]',
        'I0607 06:00:01.000000    1234 kubelet.go:2456] "SyncLoop DELETE" source="api" pods=["default/web-0"]',
        '',
      ].join('\n'),
    );
    const served = await serve(['--db', path.join(dir, 'web.db'), '--year', '2024', log]);
    try {
      expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(served.stderr()).toMatch(/^new +.*web\.log \(source 1\): 2 lines read: 2 records/m);
      const sources = await api<SourcesResponse>('/api/sources', 'sources', served.url);
      expect(sources.sources.map((s) => [s.path, s.records])).toEqual([[log, 2]]);
      for (const key of [encodeURIComponent('~default/web-0'), '~default/web-0']) {
        const { pod } = await api<PodResponse>(`/api/pod/${key}`, 'pod', served.url);
        expect(pod.key).toBe('~default/web-0');
        expect(pod.phases.map((p) => [p.phase, p.start.timeUs, p.end.timeUs, p.open])).toEqual([
          ['sync', us('2024-06-07T06:00:00Z', 0), us('2024-06-07T06:00:01Z', 0), false],
          // still terminating at the last line: the phase runs to where the log ends
          ['terminating', us('2024-06-07T06:00:01Z', 0), us('2024-06-07T06:00:01Z', 0), true],
        ]);
      }
      // one source: /api/lines needs no source
      const lines = await api<LinesResponse>('/api/lines?line=1&after=0', 'lines', served.url);
      expect(lines.lines.map((l) => l.line)).toEqual([1]);
    } finally {
      expect(await served.stop()).toBe(0);
    }
  });

  it('a missing database says to ingest first', async () => {
    const r = await runCli(['serve', '--db', path.join(dir, 'none.db'), '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    // oclif wraps the message to the terminal's width behind › marks
    expect(r.stderr.replace(/\s*›\s*/g, ' ')).toMatch(/none\.db: no such database\. Ingest a log first: kubelog ingest --db /);
  });
});

describe('the built app', () => {
  it('serves its files, the page for any other address, and 503 until it is built', async () => {
    const appDir = path.join(dir, 'app');
    mkdirSync(path.join(appDir, 'assets'), { recursive: true });
    writeFileSync(path.join(appDir, 'index.html'), '<!doctype html><title>kubelog</title>');
    writeFileSync(path.join(appDir, 'assets', 'index-abc123.js'), 'console.log(1)');
    const d = openDatabase(db, { readonly: true });
    const local = { host: 'localhost' };
    try {
      const app = createServer({ db: d, dbPath: db, staticDir: appDir });
      const page = await app.inject({ url: '/pod/some-uid', headers: local });
      expect([page.statusCode, page.body]).toEqual([200, '<!doctype html><title>kubelog</title>']);
      expect(page.headers['content-security-policy']).toBe(CSP);
      expect(page.headers['cache-control']).toBe('no-cache');
      const asset = await app.inject({ url: '/assets/index-abc123.js', headers: local });
      expect([asset.statusCode, asset.body, asset.headers['cache-control']]).toEqual([200, 'console.log(1)', 'public, max-age=31536000, immutable']);
      expect((await app.inject({ url: '/api/missing', headers: local })).json()).toEqual({ error: expect.stringMatching(/^no API at GET \/api\/missing/), code: 'not-found' });
      expect((await app.inject({ url: '/', headers: { host: 'evil.example' } })).statusCode).toBe(403);
      await app.close();
      const bare = createServer({ db: d, dbPath: db, staticDir: path.join(dir, 'not-built') });
      const missing = await bare.inject({ url: '/', headers: local });
      expect(missing.statusCode).toBe(503);
      expect(missing.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(missing.body).toMatch(/web app is not built.*run `npm run build`/);
      expect((await bare.inject({ url: '/api/pods?limit=1', headers: local })).statusCode).toBe(200);
      await bare.close();
    } finally {
      d.close();
    }
  });
});

describe('read-only', () => {
  it('the server changed nothing in the database, and exits 0 on SIGTERM', async () => {
    expect(await server.stop()).toBe(0);
    expect(fileState(db)).toEqual(dbBefore);
  });
});
