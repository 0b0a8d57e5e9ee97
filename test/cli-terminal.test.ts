// Log text is hostile: what `kubelog pods`, `pod` and `parse` print reaches a real terminal (a pty
// from util-linux `script`), and the bytes that arrive there hold no escape sequence but kubelog's
// own colours, no C1 control, no bidi override: pod names carrying clear-screen, OSC 52 (clipboard
// write), window titles and right-to-left overrides arrive as visible escapes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { kubelogBin, runCli } from './helpers/cli.js';
import { makeRand } from './helpers/rand.js';
import { samplePath } from './helpers/samples.js';

const UID = '4f3761db-ee39-4974-a2cc-9bf0a48e5c13';
const NAME = 'nginx-deployment-9456bbbf9-cvrr7';
/** The pod name of the first round, and how a terminal must show it. */
const EVIL = 'nginx\x1b[2J\x1b]52;c;ZXZpbA==\x07\u202eevil\u009b31m';
const EVIL_SHOWN = 'nginx\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07\\u202eevil\\x9b31m';

/** What attackers put in log text: clear screen, clipboard write, title, DCS, bell, C1 CSI, DEL, bidi controls, separators. */
const PIECES = ['\x1b[2J', '\x1b]52;c;ZXZpbA==\x07', '\x1b]0;owned\x1b\\', '\x1bP+q544e\x1b\\', '\x07', '\b', '\r', '\x9b31m', '\x7f', '\u202e', '\u202a', '\u2066', '\u2069', '\u200e', '\u200f', '\u061c', '\u2028', '\u0085'];

function hostileName(rand: (n: number) => number): string {
  let s = 'pod';
  for (let i = 0; i < 3 + rand(5); i++) s += rand(3) ? PIECES[rand(PIECES.length)]! : String.fromCharCode(97 + rand(26));
  return s;
}

/** As the kubelet writes a string in a quoted value (Go's strconv.Quote): controls as \xHH / \u00HH / \uHHHH. */
function goQuoted(s: string): string {
  return [...s]
    .map((c) => {
      const n = c.codePointAt(0)!;
      if (c === '"' || c === '\\') return `\\${c}`;
      if (n < 0x20 || n === 0x7f) return `\\x${n.toString(16).padStart(2, '0')}`;
      if ((n >= 0x80 && n < 0xa0) || n === 0x61c || (n >= 0x200e && n <= 0x200f) || (n >= 0x2028 && n <= 0x202e) || (n >= 0x2066 && n <= 0x2069)) return `\\u${n.toString(16).padStart(4, '0')}`;
      return c;
    })
    .join('');
}

/** Run a kubelog command in a pty of 120 columns; the bytes the terminal received. */
function inPty(args: string[]): Buffer {
  const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
  const cmd = `stty cols 120 rows 50; ${[process.execPath, kubelogBin, ...args].map(quote).join(' ')}`;
  const r = spawnSync('script', ['-q', '-e', '-c', cmd, '/dev/null'], { input: '', env: { ...process.env, TERM: 'xterm-256color' } });
  expect(r.status, r.stderr.toString()).toBe(0);
  return r.stdout;
}

/** Nothing in `bytes` drives a terminal but line breaks and kubelog's own SGR colours. */
function expectInert(bytes: Buffer): void {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x1b) {
      const seq = /^\x1b\[(?:1|2|22|31|32|33|34|36|39)m/.exec(bytes.subarray(i, i + 6).toString('latin1'));
      expect(seq, `escape sequence at byte ${i}: ${JSON.stringify(bytes.subarray(i, i + 12).toString('latin1'))}`).not.toBeNull();
      i += seq![0].length - 1;
    } else if (b < 0x20 || b === 0x7f) {
      expect([0x0a, 0x0d], `control byte 0x${b.toString(16)} at ${i}`).toContain(b);
    }
  }
  const unsafe = /[\u0080-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u.exec(bytes.toString('utf8'));
  expect(unsafe?.[0] ?? null).toBeNull();
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubelog-terminal-'));
});

async function ingestWithName(name: string, db: string): Promise<void> {
  const log = path.join(dir, `${path.basename(db)}.log`);
  writeFileSync(log, readFileSync(samplePath('00'), 'utf8').replaceAll(NAME, goQuoted(name)));
  const r = await runCli(['ingest', '-q', '--db', db, log]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}

describe('hostile pod names in a terminal', () => {
  it('kubelog pod shows the name in its header and workload line as visible escapes', async () => {
    const db = path.join(dir, 'evil.db');
    await ingestWithName(EVIL, db);
    const bytes = inPty(['pod', '--db', db, UID.slice(0, 8), '--raw']);
    expectInert(bytes);
    const lines = bytes.toString('utf8').replace(/\x1b\[\d+m/g, '').split('\r\n');
    expect(lines[0]).toBe(`default/${EVIL_SHOWN}  uid ${UID}`);
    expect(lines[1]).toMatch(new RegExp(`^workload default/${EVIL_SHOWN.replace(/[\\[\]^$.*+?()|{}]/g, '\\$&')}  ·  69 records`));
  });

  it('kubelog pods, pod and pod --json: generated names (seeded) never reach the terminal raw', async () => {
    const rand = makeRand(13);
    for (let round = 0; round < 3; round++) {
      const name = hostileName(rand);
      const db = path.join(dir, `gen-${round}.db`);
      await ingestWithName(name, db);
      expectInert(inPty(['pods', '--db', db]));
      expectInert(inPty(['pod', '--db', db, UID, '--raw']));
      const json = inPty(['pod', '--db', db, UID, '--json']);
      expectInert(json);
      // the JSON is still the name, exactly, for a program that reads it
      const view = JSON.parse(json.toString('utf8')) as { name: string };
      expect(view.name).toBe(name);
    }
  });
});

describe('hostile text in a journal MESSAGE', () => {
  it('kubelog parse: its diagnostics and its JSON records reach the terminal inert', () => {
    const message = `I0417 19:46:20.280279    4170 kubelet.go:2231] "SyncLoop ADD" source="api" pods=["a/b"] \x1b]52;c;ZXZpbA==\x07 \u202eevil\u009b2J\x07\x1b[2J`;
    const log = path.join(dir, 'journal.json');
    writeFileSync(log, JSON.stringify({ __REALTIME_TIMESTAMP: '1717740000000276', _HOSTNAME: 'node-1', SYSLOG_IDENTIFIER: 'kubelet', _PID: '4170', MESSAGE: message }) + '\n');
    const bytes = inPty(['parse', log]);
    expectInert(bytes);
    const lines = bytes.toString('utf8').split('\r\n');
    // the diagnostics name the stray text, escaped
    expect(lines).toContain(`${log}:1: warning: unexpected text after a value: \\u202eevil\\x9b2J[2J`);
    expect(lines.some((l) => l.startsWith(`${log}:1: warning: `) && l.includes('->\\x1b<-'))).toBe(true);
    // the record, as JSON: the same text for jq, its C1 and bidi characters as \u escapes
    const json = lines.find((l) => l.startsWith('{'))!;
    expect(json).toContain('\\u202eevil\\u009b2J');
    expect((JSON.parse(json) as { raw: string }).raw).toContain('\u202eevil\u009b2J');
  });
});
