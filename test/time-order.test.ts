// Newest-first input (gcloud logging read, logcli, Grafana/Kibana views, journalctl -r): the parser
// keeps the order and says so, the time report carries it, and the ingest summary shows it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseText } from '../parser/index.js';
import { parseSample, realDir, realSamples, samplePath } from './helpers/samples.js';
import { runCli } from './helpers/cli.js';
import { launchChromium, screenshot, strictPage, type BrowserSession } from './helpers/browser.js';
import { serve } from './helpers/serve.js';
import { validateSchema } from './helpers/json-schema.js';
import type { StatusResponse } from '../web/api/types.js';
import { stringify as stringifyYaml } from 'yaml';
import { openDatabase } from '../store/db.js';
import { findPods, podEvents } from '../pipeline/pods.js';

const sample08 = readFileSync(samplePath('08'), 'utf8').split('\n').filter((l) => l !== '');
const text = (ls: string[]): string => ls.join('\n') + '\n';
const newestFirst = (r: { diagnostics: { code: string; line: number; message: string }[] }) => r.diagnostics.filter((d) => d.code === 'newest-first');

let chromium: BrowserSession | undefined;
afterAll(async () => chromium?.close());

describe('an input that runs newest first', () => {
  it('11 (journalctl -r, pasted in an issue): said once, at its first record, with its steps', () => {
    const r = parseSample('11');
    const said = newestFirst(r);
    expect(said).toHaveLength(1);
    expect(said[0]!.line).toBe(r.records[0]!.line);
    expect(said[0]!.message).toMatch(/^the lines run newest first \(29 of 29 steps between records go back in time\): kubelog builds the pods from its records in reverse, oldest first/);
    expect(r.time.newestFirst).toEqual({ line: said[0]!.line, message: said[0]!.message });
  });

  it('no other real sample is said to run newest first (out-of-order goroutines are not a reversed log)', () => {
    const others = realSamples().filter((f) => !f.startsWith('11-'));
    expect(others.length).toBeGreaterThanOrEqual(20);
    for (const f of others) {
      const r = parseText(readFileSync(path.join(realDir, f)), { year: 2024 });
      expect(newestFirst(r), f).toEqual([]);
      expect(r.time.newestFirst, f).toBeUndefined();
    }
  });

  it('08 reversed line by line (journalctl -r): said; 08 as written: not', () => {
    expect(newestFirst(parseText(text([...sample08].reverse()), { year: 2025 }))).toHaveLength(1);
    expect(newestFirst(parseText(text(sample08), { year: 2025 }))).toEqual([]);
  });

  it('gcloud logging read as it prints by default (YAML, newest first) gives the pod of sample 08', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kubelog-gcloud-'));
    const docs = sample08.map((l, i) => {
      const m = /^\w{3} +\d+ \d\d:\d\d:\d\d (\S+) (\w+)\[(\d+)\]: ([IWEF](\d\d)(\d\d) (\d\d:\d\d:\d\d\.\d{6}).*)$/.exec(l)!;
      const entry = {
        insertId: `id${i}`,
        jsonPayload: { MESSAGE: m[4], SYSLOG_IDENTIFIER: m[2], _HOSTNAME: m[1], _PID: m[3] },
        logName: 'projects/demo/logs/kubelet',
        resource: { labels: { node_name: m[1] }, type: 'k8s_node' },
        timestamp: `2025-${m[5]}-${m[6]}T${m[7]}Z`,
      };
      return `---\n${stringifyYaml(entry)}`;
    });
    const file = path.join(dir, 'gcloud.yaml');
    writeFileSync(file, docs.reverse().join(''));
    const db = path.join(dir, 'g.db');
    const ingested = await runCli(['ingest', '--json', '--db', db, file]);
    expect(ingested.code).toBe(0);
    const out = JSON.parse(ingested.stdout) as { totals: { records: number; foreign: number; linesRead: number }; sources: { time?: { newestFirst?: object } }[] };
    // every entry a record over its lines, every `---` a foreign line
    expect([out.totals.records, out.totals.foreign]).toEqual([67, 67]);
    expect(out.sources[0]!.time!.newestFirst).toBeDefined();
    const pods = JSON.parse((await runCli(['pods', '--json', '--db', db])).stdout) as { pods: Array<{ key: string; node: string; state: string; terminatingUs: number; incidentKinds: string[] }> };
    expect(pods.pods.map((p) => [p.key, p.node, p.state, p.terminatingUs, p.incidentKinds])).toEqual([['4ba4f666-f410-4d32-a8c5-f961e3332096', 'kind-worker', 'finished', 111_035_911, ['grace-exceeded']]]);
  });

  it('kubelog ingest of a logcli dump (newest first by default): the pods of the log oldest first, and it says so under its input, in --json, in pods and pod, and in the browser', { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kubelog-order-'));
    const lines = sample08.map((l) => {
      const m = /^\w{3} +\d+ \d\d:\d\d:\d\d (\S+) \w+\[\d+\]: (([IWEF])(\d\d)(\d\d) (\d\d:\d\d:\d\d\.\d{6}).*)$/.exec(l)!;
      return `2025-${m[4]}-${m[5]}T${m[6]}Z {host="${m[1]}", unit="kubelet.service"} ${m[2]}`;
    });
    const file = path.join(dir, 'logcli.log');
    writeFileSync(file, text(lines.reverse()));
    const human = await runCli(['ingest', '--db', path.join(dir, 'a.db'), file]);
    expect(human.code).toBe(0);
    expect(human.stdout + human.stderr).toMatch(/\n +the lines run newest first \(65 of 66 steps between records go back in time\): kubelog builds the pods from its records in reverse, oldest first; a record of several lines came in reverse too and may be cut in pieces\. For exact records give kubelog the log oldest first: `gcloud logging read --order=asc`, `logcli query --forward`/);
    const json = await runCli(['ingest', '--json', '--db', path.join(dir, 'b.db'), file]);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout) as { sources: { time?: { newestFirst?: { line: number; message: string } } }[] };
    expect(out.sources[0]!.time!.newestFirst!.line).toBe(1);
    // and every command that shows its pods says so, on stderr; a forward log's pods say nothing
    const pods = await runCli(['pods', '--db', path.join(dir, 'a.db')]);
    expect(pods.code).toBe(0);
    expect(pods.stderr).toBe(`warning: ${file}: ${out.sources[0]!.time!.newestFirst!.message}\n`);
    const pod = await runCli(['pod', '--db', path.join(dir, 'a.db'), 'lws-e2e-thznm/lws-1']);
    expect(pod.stderr.split('\n')[0]).toBe(`warning: ${file}: ${out.sources[0]!.time!.newestFirst!.message}`);
    const forward = path.join(dir, 'forward.log');
    writeFileSync(forward, text(lines.reverse()));
    expect((await runCli(['ingest', '--db', path.join(dir, 'c.db'), forward])).code).toBe(0);
    expect((await runCli(['pods', '--db', path.join(dir, 'c.db')])).stderr).toBe('');
    // the pods of the newest-first dump are those of the same log oldest first: one pod, its
    // teardown 111 s against a 30 s grace period (as sample 08 reads), not two with negative lengths
    type PodsJson = { pods: Array<{ key: string; state: string; phases: Array<{ phase: string; startUs: number; endUs: number }>; incidentKinds: string[] }> };
    const podsOf = async (db: string) => {
      const r = JSON.parse((await runCli(['pods', '--json', '--db', db])).stdout) as PodsJson;
      return r.pods.map((p) => ({ key: p.key, state: p.state, phases: p.phases.map((ph) => [ph.phase, ph.startUs, ph.endUs]), incidents: p.incidentKinds }));
    };
    const backwards = await podsOf(path.join(dir, 'a.db'));
    expect(backwards).toEqual(await podsOf(path.join(dir, 'c.db')));
    expect(backwards).toHaveLength(1);
    expect(backwards[0]!.state).toBe('finished');
    const terminating = backwards[0]!.phases.find((p) => p[0] === 'terminating')!;
    expect((terminating[2] as number) - (terminating[1] as number)).toBe(111_035_911);
    // its events read forward in time too, each at its own line of the dump (67 lines: line n of
    // the dump is line 68 - n of the log)
    type PodJson = { events: Array<{ line: number; timeUs: number; kind: string }> };
    const eventsOf = async (db: string) => (JSON.parse((await runCli(['pod', '--json', '--db', db, 'lws-e2e-thznm/lws-1'])).stdout) as PodJson).events;
    const [back, fwd] = [await eventsOf(path.join(dir, 'a.db')), await eventsOf(path.join(dir, 'c.db'))];
    expect(back.map((e) => [e.timeUs, e.kind])).toEqual(fwd.map((e) => [e.timeUs, e.kind]));
    expect(back.map((e) => 68 - e.line)).toEqual(fwd.map((e) => e.line));
    // read a page at a time (kubelog pod of a busy pod), pages of any size give the same events:
    // the newest-first source is paged backwards
    for (const file of ['a.db', 'c.db']) {
      const d = openDatabase(path.join(dir, file), { readonly: true });
      try {
        const id = findPods(d, 'lws-e2e-thznm/lws-1')[0]!.id;
        const whole = [...podEvents(d, id)];
        expect(whole.map((e) => e.timeUs)).toEqual(fwd.map((e) => e.timeUs));
        for (const page of [1, 2, 7]) expect([...podEvents(d, id, {}, page)], `${file}, pages of ${page}`).toEqual(whole);
      } finally {
        d.close();
      }
    }

    // the browser says it above every page (the log text rendered as text), and only there
    const message = out.sources[0]!.time!.newestFirst!.message;
    chromium = await launchChromium();
    const problems: string[] = [];
    for (const [db, expected] of [
      [path.join(dir, 'a.db'), [{ path: file, message }]],
      [path.join(dir, 'c.db'), []],
    ] as const) {
      const served = await serve(['--db', db]);
      try {
        const status = (await (await fetch(`${served.url}/api/status`)).json()) as StatusResponse;
        expect(validateSchema('api/status.schema.json', status)).toEqual([]);
        expect(status.newestFirst).toEqual(expected);
        const page = await strictPage(chromium.context, problems);
        await page.goto(served.url + '/');
        await page.waitForSelector('[data-testid=pod-row]');
        const warning = page.locator('[data-testid=newest-first]');
        if (expected.length) {
          await warning.waitFor();
          expect(await warning.textContent()).toBe(`${file}: ${message}`);
          await screenshot(page, 'overview-newest-first');
        } else {
          expect(await warning.count()).toBe(0);
        }
        await page.close();
      } finally {
        expect(await served.stop()).toBe(0);
      }
    }
    expect(problems).toEqual([]);
  });
});
