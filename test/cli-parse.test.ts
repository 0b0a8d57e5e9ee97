// `kubelog parse` as a real subprocess: files, stdin, gzip, flags, the summary, errors.
import { mkdtempSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { kubelogBin, runCli } from './helpers/cli.js';
import { samplePath } from './helpers/samples.js';

const ndjson = (s: string) => s.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('kubelog parse', () => {
  it('prints one JSON record per line for a file, and a summary on stderr', async () => {
    const r = await runCli(['parse', '--year', '2024', samplePath('00')]);
    expect(r.code).toBe(0);
    const recs = ndjson(r.stdout);
    expect(recs).toHaveLength(69);
    expect(recs[0]).toMatchObject({ line: 1, msg: 'SyncLoop DELETE', kv: { source: 'api', pods: ['default/nginx-deployment-9456bbbf9-cvrr7'] } });
    expect(r.stderr).toMatch(/^147 lines read: 69 records in 129 lines, 18 foreign \(18 blank\), 0 rejected; 0 diagnostics; /m);
  });

  it('reads stdin when no file is given, and with "-"', async () => {
    const input = readFileSync(samplePath('06'));
    for (const args of [['parse', '--year', '2025'], ['parse', '--year', '2025', '-']]) {
      const r = await runCli(args, { input });
      expect(r.code).toBe(0);
      const recs = ndjson(r.stdout);
      expect(recs).toHaveLength(11);
      expect(recs[0]).toMatchObject({ time: '2025-05-16T18:34:04.558677Z', msg: 'SyncLoop ADD', kv: { pods: ['default/liveness-exec'] } });
      expect(r.stderr).toMatch(/12 lines read: 11 records in 11 lines, 1 foreign \(1 text\), 0 rejected; 3 diagnostics/);
      expect(r.stderr).toMatch(/^-:5: warning: key=< block has no closing " >": output$/m);
    }
  });

  it('reads gzip by its magic bytes, from a file and from stdin', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubelog-'));
    const gz = path.join(dir, 'kubelet.log-20240607'); // logrotate dateext name, no .gz suffix needed
    writeFileSync(gz, gzipSync(readFileSync(samplePath('05'))));
    const fromFile = await runCli(['parse', '-q', '--year', '2024', gz]);
    const fromStdin = await runCli(['parse', '-q', '--year', '2024'], { input: readFileSync(gz) });
    expect(ndjson(fromFile.stdout)).toHaveLength(46);
    expect(fromStdin.stdout).toBe(fromFile.stdout);
  });

  it('applies --tz to klog times, in every form the zone module reads (+08:00, +8, UTC+8, a name; west of UTC too)', async () => {
    const first = { '+08:00': '2024-04-17T11:46:19.298368Z', '+8': '2024-04-17T11:46:19.298368Z', 'UTC+8': '2024-04-17T11:46:19.298368Z', 'Asia/Shanghai': '2024-04-17T11:46:19.298368Z', '-5': '2024-04-18T00:46:19.298368Z' };
    for (const [tz, time] of Object.entries(first)) {
      const r = await runCli(['parse', '-q', '--year', '2024', '--tz', tz, samplePath('13')]);
      expect(r.code, `--tz ${tz}: ${r.stderr}`).toBe(0);
      expect(ndjson(r.stdout)[0], `--tz ${tz}`).toMatchObject({ time });
    }
  });

  it('the summary says how each file was dated and which klog times were off', async () => {
    const r = await runCli(['parse', samplePath('09'), samplePath('16')]);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.slice(-3)).toEqual([
      `${samplePath('09')}: times: year 2024 from the log (line 1: 2024-11-29T18:13:11.682692569Z), zone +00:00 from the same time`,
      '  1 klog time more than 120 s off the transport time, placed at it; first line 22: klog time 1129 16:20:18.683569 is 1h 59m 59.3s before its transport time Nov 29 18:20:18: placed at the transport time',
      `${samplePath('16')}: times: year ${statSync(samplePath('16')).mtime.getFullYear()} from the file's modification time: nothing in the log says (use --year), zone +00:00 assumed: nothing in the log says (use --tz)`,
    ]);
    expect(ndjson(r.stdout).find((x) => x.line === 22)).toMatchObject({ time: '2024-11-29T18:20:18.000000Z', klogTime: '1129 16:20:18.683569' });
  });

  it('labels records with their file when given several, and sums the summary', async () => {
    const r = await runCli(['parse', '--year', '2024', samplePath('03'), samplePath('04')]);
    const recs = ndjson(r.stdout);
    expect(recs).toHaveLength(37);
    expect(recs[0]!.file).toBe(samplePath('03'));
    expect(recs[36]!.file).toBe(samplePath('04'));
    expect(r.stderr).toMatch(/^37 lines read: 37 records in 37 lines, 0 foreign, 0 rejected/m);
  });

  it('--all adds foreign and rejected lines as typed objects', async () => {
    const r = await runCli(['parse', '--all', '--year', '2024', samplePath('20')]);
    const objs = ndjson(r.stdout);
    const foreign = objs.filter((o) => o.type === 'foreign');
    expect(foreign).toHaveLength(10);
    expect(foreign[0]).toMatchObject({ kind: 'other-program', transport: { ident: 'systemd-udevd' } });
  });

  it('a missing file, a directory, a bad --tz and a corrupt gzip are clear errors with exit 2', async () => {
    const missing = await runCli(['parse', '/nonexistent/kubelet.log']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/\/nonexistent\/kubelet.log: no such file/);
    const dir = await runCli(['parse', tmpdir()]);
    expect(dir.code).toBe(2);
    expect(dir.stderr).toMatch(/is a directory/);
    const tz = await runCli(['parse', '--tz', 'Mars/Olympus', samplePath('00')]);
    expect(tz.code).toBe(2);
    expect(tz.stderr).toMatch(/--tz Mars\/Olympus: not a zone/);
    const d = mkdtempSync(path.join(tmpdir(), 'kubelog-'));
    const bad = path.join(d, 'bad.gz');
    writeFileSync(bad, gzipSync(readFileSync(samplePath('01'))).subarray(0, 200));
    const gz = await runCli(['parse', '-q', bad]);
    expect(gz.code).toBe(2);
    expect(gz.stderr).toMatch(/^error: .*bad\.gz: gzip data is truncated: the file ends at byte 200 \(after \d+ bytes of content\)/m);
  });

  it('an unreadable file is a clear error', async () => {
    if (process.getuid?.() === 0) return; // root reads everything; the check is meaningless here
    const d = mkdtempSync(path.join(tmpdir(), 'kubelog-'));
    const f = path.join(d, 'secret.log');
    writeFileSync(f, 'x\n');
    chmodSync(f, 0o000);
    const r = await runCli(['parse', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot be read/);
  });

  it('stops quietly when the reader goes away (| head -1)', async () => {
    const big = Buffer.from(readFileSync(samplePath('01'), 'utf8').repeat(400));
    const result = await new Promise<{ code: number | null; stderr: string; lines: number }>((resolve) => {
      const child = spawn('sh', ['-c', `"${process.execPath}" "${kubelogBin}" parse -q --year 2024 | head -1`]);
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('close', (code) => resolve({ code, stderr: err, lines: out.trim().split('\n').length }));
      child.stdin.on('error', () => undefined);
      child.stdin.end(big);
    });
    expect(result.lines).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('--help lists the parse command', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/parse\s+Parse kubelet logs/);
  });
});
