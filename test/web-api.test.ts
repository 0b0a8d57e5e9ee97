// The JSON API of `kubelog serve`, as the app and a user's browser meet it: the real command as a
// subprocess over a database ingested from the real samples, asked over HTTP. Every answer is
// checked against its schema in schemas/api/ and for exact values. The static part (the built
// app, its page fallback) runs in process with app.inject on a made-up app folder.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinesResponse, OverviewResponse, PodResponse, PodsResponse, SearchResponse, SourcesResponse } from '../web/api/types.js';
import { createServer } from '../web/server/app.js';
import { openDatabase } from '../store/db.js';
import { runCli } from './helpers/cli.js';
import { validateSchema } from './helpers/json-schema.js';
import { realDir, repoRoot, samplePath } from './helpers/samples.js';
import { serve, type Served } from './helpers/serve.js';

const UID = '4f3761db-ee39-4974-a2cc-9bf0a48e5c13'; // the design-notes pod: torn down twice, kill failed
const JOB_UID = 'e9e05afc-31c4-4ab9-9bc9-423b9fa3a494'; // sample 05's Job pod, with times
const DESIGN_NOTES = 22; // its source: the samples are read oldest content first, timeless last but SOURCES.md
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const schemas = new Map<string, Record<string, unknown>>();
function schema(name: string): Record<string, unknown> {
  let s = schemas.get(name);
  if (!s) schemas.set(name, (s = JSON.parse(readFileSync(path.join(repoRoot, 'schemas/api', `${name}.schema.json`), 'utf8')) as Record<string, unknown>));
  return s;
}

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
  expect(validateSchema(schema(schemaName), body)).toEqual([]);
  return body;
}

/** GET an API path that must fail: the status, and an ApiError body. */
async function apiError(pathAndQuery: string, status: number): Promise<{ error: string; code: string }> {
  const res = await fetch(server.url + pathAndQuery);
  const body = (await res.json()) as { error: string; code: string };
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(validateSchema(schema('error'), body)).toEqual([]);
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

describe('GET /api/sources', () => {
  it('lists every file of the samples folder as a source, oldest content first, with its line accounting', async () => {
    const s = await api<SourcesResponse>('/api/sources', 'sources');
    expect(s.db).toBe(db);
    const order = ['14', '21', '19', '05', '18', '17', '08', '02', '16', '13', '01', '06', '20', '12', '15', '11', '09', '07', '03', '04', '10', '00'];
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
    expect({ firstUs: s.firstUs, lastUs: s.lastUs, pods: s.pods, records: s.records }).toEqual({ firstUs: 1566332906508550, lastUs: 1746935522232912, pods: 40, records: 618 });
    // what the pod list's anomaly filter offers: the kinds present, with their pods
    expect(s.anomalyKinds).toEqual([
      { kind: 'sync-error', pods: 7 },
      { kind: 'phase-open', pods: 2 },
      { kind: 'kill-failed', pods: 1 },
      { kind: 'probe-failed', pods: 1 },
      { kind: 'probe-restart', pods: 1 },
      { kind: 'status-failed', pods: 1 },
      { kind: 'torn-down-twice', pods: 1 },
    ]);
    expect(s.nodes.map((n) => [n.node, n.sources, n.pods])).toEqual([
      [null, 5, 9],
      ['e2e-big-minion-group-wfls', 3, 4],
      ['minikube', 1, 0],
      ['vm-165', 1, 0],
      ['homework', 1, 1],
      ['kind-worker', 2, 4],
      ['8rnr7mhj-nhcz55ua', 1, 2],
      ['api-int.ite-ocp.ite.local', 1, 1],
      ['aks-nodepool1-29985679-vmss00000A', 1, 1],
      ['node1', 1, 1],
      ['wxyd-216-8-20.linux.17usoft.com', 1, 2],
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
    expect([o.fromUs, o.toUs]).toEqual([1566332906508550, 1746935522232912]);
    expect(o.pods).toHaveLength(40);
    const notes = o.pods.find((p) => p.uid === UID)!;
    expect(notes).toEqual({
      key: UID,
      uid: UID,
      namespace: 'default',
      name: 'nginx-deployment-9456bbbf9-cvrr7',
      node: null,
      static: false,
      firstUs: null,
      lastUs: null,
      phases: [
        ['terminating', null, null, false, true],
        ['terminated', null, null, false, true],
        ['terminating', null, null, false, true],
      ],
      anomalies: [
        ['torn-down-twice', null],
        ['kill-failed', null],
        ['kill-failed', null],
      ],
    });
    // pods of logs without times come last: here only this one
    expect(o.pods.filter((p) => p.firstUs === null)).toEqual([notes]);
    expect(o.pods.at(-1)).toEqual(notes);
    expect(o.pods.find((p) => p.uid === JOB_UID)!.phases).toEqual([
      ['sync', 1705750962373494, 1705750964533272, false, false],
      ['terminating', 1705750964533272, 1705750964698817, false, false],
      ['terminated', 1705750964698817, 1705750964799130, false, false],
    ]);
    const h = o.histogram;
    expect(h.records).toHaveLength(200);
    expect(h.fromUs).toBe(1566332906508550);
    expect(h.bucketUs).toBe(Math.ceil((1746935522232912 - 1566332906508550 + 1) / 200));
    // every record with a time (618 less the design notes' 69), its warnings and errors
    const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
    expect([sum(h.records), sum(h.warnings), sum(h.errors)]).toEqual([549, 18, 66]);
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
    // coredns-autoscaler cannot start for want of a CNI network: Error syncing pod, twice
    expect(o.pods[1]!.anomalies).toEqual([
      ['sync-error', 1705750962400456],
      ['sync-error', 1705750964400470],
    ]);
    expect(o.histogram.bucketUs).toBe(808546); // ⌈(2425636 + 1) / 3⌉
    expect(o.histogram.records.reduce((a, b) => a + b)).toBe(46); // all of sample 05
  });

  it('buckets are clamped; a node narrows pods and records', async () => {
    expect((await api<OverviewResponse>('/api/overview?buckets=99999', 'overview')).histogram.records).toHaveLength(2000);
    expect((await api<OverviewResponse>('/api/overview?buckets=0', 'overview')).histogram.records).toHaveLength(1);
    const sanji = await api<OverviewResponse>('/api/overview?node=sanji&buckets=1', 'overview');
    expect([sanji.fromUs, sanji.toUs]).toEqual([1746793574528978, 1746935522232912]);
    expect(sanji.pods).toHaveLength(14);
    expect(sanji.histogram.records).toEqual([62]); // samples 03, 04 and 10: 14 + 23 + 25 records
  });
});

describe('GET /api/pod/:key', () => {
  it('the design-notes pod: its phases by line, every point naming its source', async () => {
    const { pod } = await api<PodResponse>(`/api/pod/${UID}`, 'pod');
    expect(pod.phases.map((p) => [p.phase, p.start, p.end, p.evidence, p.open, p.durationUs, p.gracePeriodS])).toEqual([
      ['terminating', { line: 5, source: DESIGN_NOTES }, { line: 29, source: DESIGN_NOTES }, 'exact', false, null, 30],
      ['terminated', { line: 39, source: DESIGN_NOTES }, { line: 50, source: DESIGN_NOTES }, 'exact', false, null, undefined],
      ['terminating', { line: 140, source: DESIGN_NOTES }, { line: 147, source: DESIGN_NOTES }, 'exact', false, null, 1],
    ]);
    expect(pod.finished).toEqual({ line: 51, source: DESIGN_NOTES, evidence: 'exact' });
    expect(pod.anomalies.map((a) => [a.kind, a.line])).toEqual([
      ['torn-down-twice', 140],
      ['kill-failed', 145],
      ['kill-failed', 146],
    ]);
    expect(pod.events).toHaveLength(69);
    const kill = pod.events.find((e) => e.line === 146)!;
    expect(kill).toMatchObject({ source: DESIGN_NOTES, lane: 'runtime', kind: 'runtime.container.kill-failed', msg: 'Kill container failed', kv: { containerName: 'nginx' } });
    // the raw text is /api/lines' to give
    expect(pod.events.some((e) => e.raw !== undefined)).toBe(false);
  });

  it('a pod with times: phase start and end times and durations', async () => {
    const { pod } = await api<PodResponse>(`/api/pod/${JOB_UID}`, 'pod');
    expect(pod.phases.map((p) => [p.phase, p.start, p.end, p.durationUs])).toEqual([
      ['sync', { line: 1, timeUs: 1705750962373494, source: 4 }, { line: 34, timeUs: 1705750964533272, source: 4 }, 2159778],
      ['terminating', { line: 34, timeUs: 1705750964533272, source: 4 }, { line: 40, timeUs: 1705750964698817, source: 4 }, 165545],
      ['terminated', { line: 40, timeUs: 1705750964698817, source: 4 }, { line: 46, timeUs: 1705750964799130, source: 4 }, 100313],
    ]);
  });

  it('an unknown key is a 404 that says how to find pods', async () => {
    const e = await apiError('/api/pod/00000000-0000-0000-0000-000000000000', 404);
    expect(e.code).toBe('no-such-pod');
    expect(e.error).toMatch(/no pod has the key "00000000-0000-0000-0000-000000000000".*\/api\/pods\?text=/);
    // a prefix is not a key: the app always has whole keys
    expect((await apiError('/api/pod/4f3761db', 404)).code).toBe('no-such-pod');
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
    const head = await api<LinesResponse>('/api/lines?source=1&line=1&before=0&after=4', 'lines');
    expect(head.lines.map((l) => [l.line, l.kind, l.detail])).toEqual([
      [1, 'foreign', 'klog-file-header'],
      [2, 'foreign', 'klog-file-header'],
      [3, 'foreign', 'klog-file-header'],
      [4, 'foreign', 'klog-file-header'],
      [5, 'record', undefined],
    ]);
    expect(head.lines[0]!.text).toBe('Log file created at: 2019/08/20 20:28:26');
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
    expect(nginx.total).toBe(6);
    expect(names(nginx)).toEqual([
      'ingress-nginx/nginx-ingress-controller-w84zn',
      'ingress-nginx/default-http-backend-65dd5949d9-nw25s',
      'ingress/nginx-ingress-microk8s-controller-6f5rn',
      'default/nginx-cb8956d5f-c5zh8',
      'default/nginx',
      'default/nginx-deployment-9456bbbf9-cvrr7',
    ]);
    expect(names(await api<PodsResponse>(`/api/pods?text=${encodeURIComponent('default/nginx')}`, 'pods'))).toEqual(['default/nginx-cb8956d5f-c5zh8', 'default/nginx', 'default/nginx-deployment-9456bbbf9-cvrr7']);
    const byUid = await api<PodsResponse>('/api/pods?text=4F3761DB', 'pods');
    expect(byUid.pods.map((p) => p.key)).toEqual([UID]);
    // LIKE's wildcards are taken literally
    expect((await api<PodsResponse>('/api/pods?text=%25', 'pods')).total).toBe(0);
    expect((await api<PodsResponse>('/api/pods?text=_', 'pods')).total).toBe(0);
  });

  it('namespace, anomaly kind, anomalous', async () => {
    expect(names(await api<PodsResponse>('/api/pods?namespace=ingress-nginx', 'pods'))).toEqual(['ingress-nginx/nginx-ingress-controller-w84zn', 'ingress-nginx/default-http-backend-65dd5949d9-nw25s']);
    const killed = await api<PodsResponse>('/api/pods?anomaly=kill-failed', 'pods');
    expect(killed.total).toBe(1);
    expect(killed.pods[0]).toMatchObject({ key: UID, anomalies: 3, anomalyKinds: ['torn-down-twice', 'kill-failed'], exact: true, events: 69 });
    expect(names(await api<PodsResponse>('/api/pods?anomaly=probe-restart', 'pods'))).toEqual(['default/liveness-exec']);
    expect((await api<PodsResponse>('/api/pods?anomaly=sync-error', 'pods')).total).toBe(7);
    expect((await api<PodsResponse>('/api/pods?anomalous=true', 'pods')).total).toBe(12);
    expect(names(await api<PodsResponse>('/api/pods?anomalous=true&namespace=default', 'pods'))).toEqual(['default/liveness-exec', 'default/nginx', 'default/nginx-deployment-9456bbbf9-cvrr7']);
  });

  it('sort by terminating time, longest first; offset and limit', async () => {
    const r = await api<PodsResponse>('/api/pods?sort=terminating&desc=true&limit=2', 'pods');
    expect(r.total).toBe(40);
    expect(r.pods[0]!.key).toBe(JOB_UID);
    // the only pod with a closed, timed terminating phase; the others follow it
    expect(r.pods.map((p) => p.terminatingUs)).toEqual([165545, null]);
    const page = await api<PodsResponse>('/api/pods?offset=38&limit=5', 'pods');
    expect([page.total, page.offset, page.pods.length]).toEqual([40, 38, 2]);
    expect((await api<PodsResponse>('/api/pods?limit=100000', 'pods')).pods).toHaveLength(40);
  });

  it('a time window', async () => {
    const r = await api<PodsResponse>('/api/pods?from=1746793574528978&to=1746934058062202', 'pods');
    expect(names(r)).toEqual(expect.arrayContaining(['downloads/sonarr-56449fd8d-rg9jx', 'downloads/bazarr-59476f74b8-dl55v']));
    expect(r.total).toBe(8);
  });

  it('bad parameters are 400s naming the parameter', async () => {
    expect((await apiError('/api/pods?sort=bogus', 400)).error).toBe('parameter sort: "bogus" is not one of start, name, terminating, terminated, sync, anomalies, events');
    expect((await apiError('/api/pods?limit=ten', 400)).error).toBe('parameter limit: "ten" is not an integer');
    expect((await apiError('/api/pods?desc=maybe', 400)).error).toBe('parameter desc: "maybe" is not true or false');
    expect((await apiError('/api/pods?offset=1&offset=2', 400)).error).toBe('parameter offset: given more than once');
    expect((await apiError('/api/overview?from=1.5', 400)).code).toBe('bad-parameter');
    expect((await apiError('/api/overview?from=2&to=1', 400)).error).toBe('parameter from: 2 is after to (1)');
  });
});

describe('GET /api/search', () => {
  it('a phrase: the records that contain it, with their pod', async () => {
    const r = await api<SearchResponse>(`/api/search?q=${encodeURIComponent('"Kill container failed"')}`, 'search');
    expect(r).toEqual({
      query: '"Kill container failed"',
      truncated: false,
      hits: [{ source: DESIGN_NOTES, line: 146, timeUs: null, severity: null, msg: 'Kill container failed', podKey: UID, text: fileLines(samplePath('00'))[145] }],
    });
    const probes = await api<SearchResponse>(`/api/search?q=${encodeURIComponent('"Probe failed" Liveness')}`, 'search');
    expect(probes.hits.map((h) => [h.source, h.line, h.timeUs, h.severity, h.podKey])).toEqual([
      [12, 5, us('2024-05-16T18:34:39Z', 885628), 'I', '93e17ecc-ab55-461a-b526-29248d2554ad'],
      [12, 6, us('2024-05-16T18:34:44Z', 887534), 'I', '93e17ecc-ab55-461a-b526-29248d2554ad'],
      [12, 7, us('2024-05-16T18:34:49Z', 885197), 'I', '93e17ecc-ab55-461a-b526-29248d2554ad'],
    ]);
  });

  it('limit: the first hits, and whether there were more', async () => {
    const r = await api<SearchResponse>('/api/search?q=pod&limit=2', 'search');
    expect(r.hits).toHaveLength(2);
    expect(r.truncated).toBe(true);
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
    for (const p of ['/api/sources', '/api/pods?sort=bogus', '/api/nope', '/']) {
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
    expect(validateSchema(schema('error'), body)).toEqual([]);
    expect(body.code).toBe('forbidden-host');
    expect(body.error).toMatch(/Host "evil\.example" is not allowed.*--allow-host evil\.example/);
    expect(r.headers['content-security-policy']).toBe(CSP);
    for (const host of ['localhost:7780', '127.0.0.1', '[::1]:80']) expect((await rawGet(`${server.url}/api/sources`, { host })).status, host).toBe(200);
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
        expect(pod.phases.map((p) => [p.phase, p.start.timeUs, p.end?.timeUs ?? null, p.open])).toEqual([
          ['sync', us('2024-06-07T06:00:00Z', 0), us('2024-06-07T06:00:01Z', 0), false],
          ['terminating', us('2024-06-07T06:00:01Z', 0), null, true],
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
