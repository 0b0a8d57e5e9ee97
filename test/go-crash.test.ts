// Go runtime crash output (panic, fatal error, fatal signal, goroutine dump) is one `crash` record
// in every envelope, never the tail of an unrelated record; a header-less line long after the
// record before it does not join it.
import { describe, expect, it } from 'vitest';
import data from '../schemas/go-runtime-crash.json' with { type: 'json' };
import { crashOpener, isGoRuntimeLine, summarizeCrash } from '../parser/go-crash.js';
import { parseText, type LogRecord, type ParseResult } from '../parser/index.js';
import { iso, parseSample, recordAt } from './helpers/samples.js';
import { makeRand } from './helpers/rand.js';

function accounted(r: ParseResult) {
  expect(r.counts.linesRead).toBe(r.counts.recordLines + r.counts.foreign + r.counts.rejected);
}

const crashes = (r: ParseResult): LogRecord[] => r.records.filter((x) => x.format === 'crash');

describe('schemas/go-runtime-crash.json', () => {
  it.each(data.openers.flatMap((o) => o.samples.map((s) => [o.id, s] as const)))('opener %s: %s', (id, sample) => {
    expect(new RegExp(data.openers.find((o) => o.id === id)!.regex).test(sample)).toBe(true);
    expect(crashOpener(sample)).toBe(id);
  });

  it.each(data.lines.flatMap((l) => l.samples.map((s) => [l.id, s] as const)))('line %s: %s', (id, sample) => {
    expect(new RegExp(data.lines.find((l) => l.id === id)!.regex).test(sample)).toBe(true);
    expect(crashOpener(sample)).toBeUndefined();
    expect(isGoRuntimeLine(sample)).toBe(true);
  });

  it('kubelet and syslog text is not Go runtime output', () => {
    for (const text of [
      'node1 kubelet[1234]: I0607 14:54:46.123456    1234 kubelet.go:2389] "SyncLoop ADD"',
      'Flag --max-pods has been deprecated, This parameter should be set via the config file specified by the Kubelet\'s --config flag.',
      'FLAG: --address="0.0.0.0"',
      '"SyncLoop DELETE" source="api" pods=["default/a"]',
      'Destroyed container: /kubepods.slice (aliases: [], namespace: "")',
      'node1 kubelet: W0608 09:34:01.504879    6698 iscsi_util.go:353] x',
    ]) {
      expect(isGoRuntimeLine(text), text).toBe(false);
    }
  });

  it('a long first word cannot make the frame shape backtrack for ever', () => {
    const t0 = performance.now();
    expect(isGoRuntimeLine('a'.repeat(5000) + ' (b')).toBe(false);
    expect(performance.now() - t0).toBeLessThan(200);
  });
});

describe('summarizeCrash', () => {
  it('names a runtime panic by its panic text and signal', () => {
    const s = summarizeCrash([
      'panic: runtime error: invalid memory address or nil pointer dereference [recovered]',
      '\tpanic: runtime error: invalid memory address or nil pointer dereference',
      '[signal SIGSEGV: segmentation violation code=0x1 addr=0x28 pc=0x2a3f6b1]',
      '',
      'goroutine 153 [running]:',
      'main.main()',
      '\t/go/src/main.go:12 +0x1d',
      'exit status 2',
    ]);
    expect(s).toEqual({
      msg: 'panic: runtime error: invalid memory address or nil pointer dereference [recovered]',
      kv: {
        panic: 'runtime error: invalid memory address or nil pointer dereference [recovered]',
        signal: 'SIGSEGV',
        signalText: 'segmentation violation',
        code: '0x1',
        addr: '0x28',
        pc: '0x2a3f6b1',
        firstGoroutine: 'goroutine 153 [running]:',
        exitStatus: 2,
        crash: 'panic',
        goroutines: 1,
      },
    });
  });

  it('a fatal error explained by runtime: lines is a fatal error', () => {
    const s = summarizeCrash(['runtime: out of memory: cannot allocate 4194304-byte block (3997171712 in use)', 'fatal error: out of memory', '', 'runtime stack:', 'runtime.throw({0x4a0f40?, 0x0?})']);
    expect(s.kv).toEqual({ runtime: 'out of memory: cannot allocate 4194304-byte block (3997171712 in use)', fatalError: 'out of memory', crash: 'fatal-error', goroutines: 0 });
    expect(s.msg).toBe('runtime: out of memory: cannot allocate 4194304-byte block (3997171712 in use)');
  });
});

describe('16 GCE journald: SIGABRT 13 minutes after the last PLEG line', () => {
  const r = parseSample('16');

  it('is 8 records: 7 klog records and the crash record of lines 8-47', () => {
    expect(r.records.map((x) => [x.line, x.endLine, x.format])).toEqual([
      [1, 1, 'klog'],
      [2, 2, 'klog'],
      [3, 3, 'klog'],
      [4, 4, 'klog'],
      [5, 5, 'klog'],
      [6, 6, 'klog'],
      [7, 7, 'klog'],
      [8, 47, 'crash'],
    ]);
    accounted(r);
  });

  it('the crash record holds the signal, the goroutines and the whole dump', () => {
    const c = recordAt(r, 8);
    expect(c).toMatchObject({ envelope: 'syslog', severity: 'F', msg: 'SIGABRT: abort', structured: false });
    expect(c.kv).toEqual({ signal: 'SIGABRT', signalText: 'abort', pc: '0x46ce41', m: 0, sigcode: '0', firstGoroutine: 'goroutine 0 [idle]:', crash: 'signal', goroutines: 2 });
    expect(c.transport).toMatchObject({ host: 'e2e-big-minion-group-wfls', ident: 'kubelet', pid: 1304 });
    expect(iso(c.timeUs)).toBe('2024-03-25T12:27:00.000000Z');
    expect(c.raw.split('\n')).toHaveLength(40);
    expect(c.raw.split('\n').at(-1)).toContain('/usr/local/go/src/runtime/asm_amd64.s:1373 +0x1');
  });
});

// ---- every envelope, generated ----------------------------------------------------------------

const PANIC = [
  'panic: runtime error: invalid memory address or nil pointer dereference',
  '[signal SIGSEGV: segmentation violation code=0x1 addr=0x28 pc=0x2a3f6b1]',
];
const OPENERS: Record<string, { lines: string[]; kv: Record<string, unknown> }> = {
  panic: { lines: PANIC, kv: { crash: 'panic', signal: 'SIGSEGV', panic: 'runtime error: invalid memory address or nil pointer dereference' } },
  sigabrt: { lines: ['SIGABRT: abort', 'PC=0x46ce41 m=0 sigcode=0'], kv: { crash: 'signal', signal: 'SIGABRT', m: 0 } },
  fatal: { lines: ['fatal error: concurrent map writes'], kv: { crash: 'fatal-error', fatalError: 'concurrent map writes' } },
  sigquit: { lines: ['SIGQUIT: quit', 'PC=0x4727e1 m=0 sigcode=128'], kv: { crash: 'signal', signal: 'SIGQUIT', sigcode: '128' } },
};

const FRAMES = [
  ['k8s.io/kubernetes/pkg/kubelet/cm.(*containerManagerImpl).GetNodeAllocatableAbsolute(0x0)', '/workspace/src/k8s.io/kubernetes/pkg/kubelet/cm/container_manager_linux.go:661 +0x21'],
  ['k8s.io/kubernetes/pkg/kubelet/eviction.(*managerImpl).synchronize(0xc000a3e000, 0xc000b12340, 0x4a1e2a8)', '/workspace/src/k8s.io/kubernetes/pkg/kubelet/eviction/eviction_manager.go:253 +0x1f1'],
  ['k8s.io/apimachinery/pkg/util/wait.JitterUntil.func1()', '/workspace/src/k8s.io/kubernetes/vendor/k8s.io/apimachinery/pkg/util/wait/wait.go:155 +0x5f'],
  ['runtime.gopark(0x42e3ba0, 0x0, 0x1809, 0x1)', '/usr/local/go/src/runtime/proc.go:304 +0xe0 fp=0xc0015a69b0 sp=0xc0015a6990 pc=0x43ae00'],
  ['main.main()', '_output/dockerized/go/src/k8s.io/kubernetes/cmd/kubelet/kubelet.go:41 +0xe5'],
];
const STATES = ['running', 'select, 13 minutes', 'chan receive', 'IO wait', 'syscall, 13 minutes, locked to thread'];

interface Dump {
  lines: string[];
  goroutines: number;
  first: string;
}

function dump(rand: (n: number) => number, opener: string, blanks: boolean): Dump {
  const lines = [...OPENERS[opener]!.lines];
  const goroutines = 1 + rand(4);
  let first = '';
  for (let g = 0; g < goroutines; g++) {
    if (blanks) lines.push('');
    const header = `goroutine ${g === 0 ? 153 : g + 1} [${STATES[rand(STATES.length)]}]:`;
    if (g === 0) first = header;
    lines.push(header);
    for (let f = 0, n = 1 + rand(4); f < n; f++) {
      const [fn, at] = FRAMES[rand(FRAMES.length)]!;
      lines.push(fn!, '\t' + at!);
    }
    if (rand(2)) lines.push('created by k8s.io/kubernetes/pkg/kubelet.(*Kubelet).Run', '\t/workspace/src/k8s.io/kubernetes/pkg/kubelet/kubelet.go:1440 +0x4d7');
  }
  if (blanks) lines.push('');
  return { lines, goroutines, first };
}

type Envelope = 'journald' | 'rsyslog' | 'bare-klog' | 'kubectl-timestamps' | 'bare-json' | 'journald-json';
const ENVELOPES: Envelope[] = ['journald', 'rsyslog', 'bare-klog', 'kubectl-timestamps', 'bare-json', 'journald-json'];

/** One kubelet line (record or crash text) of process `pid` at `hh:mm:ss`, in an envelope. */
function wrap(env: Envelope, pid: number, time: string, text: string, kind: 'record' | 'text'): string {
  const record = env.endsWith('json')
    ? `{"ts":${Date.UTC(2020, 2, 25, +time.slice(0, 2), +time.slice(3, 5), +time.slice(6, 8))}.5,"caller":"kubelet/kubelet.go:2152","msg":"${text}","v":2}`
    : `I0325 ${time}.444175 ${String(pid).padStart(8)} kubelet.go:1952] "${text}"`;
  const body = kind === 'record' ? record : text;
  switch (env) {
    case 'journald':
    case 'journald-json':
      return `Mar 25 ${time} node1 kubelet[${pid}]: ${body}`;
    case 'rsyslog':
      return `Mar 25 ${time} node1 kubelet[${pid}]: ${body.replace(/^\t/, '#011')}`;
    case 'kubectl-timestamps':
      return `2020-03-25T${time}.123456789Z ${body}`;
    default:
      return body;
  }
}

describe('a crash in every envelope (generated, fixed seeds)', () => {
  it.each(Array.from({ length: 48 }, (_, i) => [ENVELOPES[i % ENVELOPES.length]!, 1000 + i] as const))('%s seed %i', (env, seed) => {
    const rand = makeRand(seed);
    const opener = Object.keys(OPENERS)[rand(4)]!;
    // journald and rsyslog keep the runtime's blank lines as empty messages; the others as blank lines
    const d = dump(rand, opener, rand(2) === 1);
    const gap = rand(2) === 1;
    const restart = rand(2) === 1;
    const crashTime = gap ? '12:27:00' : '12:14:02';
    const lines = [wrap(env, 1304, '12:14:01', 'SyncLoop (PLEG): event for pod', 'record'), wrap(env, 1304, '12:14:02', 'Probe failed', 'record')];
    const start = lines.length + 1;
    for (const l of d.lines) lines.push(wrap(env, 1304, crashTime, l, 'text'));
    let end = lines.length;
    while (d.lines[end - start] === '') end--; // trailing blank lines are separators
    if (restart) {
      lines.push(wrap(env, 2001, '12:27:05', 'Flag --max-pods has been deprecated, This parameter should be set via the config file', 'text'));
      lines.push(wrap(env, 2001, '12:27:05', 'Starting kubelet main sync loop', 'record'));
    }
    const r = parseText(lines.join('\n') + '\n', { year: 2020 });
    accounted(r);
    const [c, ...more] = crashes(r);
    expect(more).toEqual([]);
    expect([c!.line, c!.endLine]).toEqual([start, end]);
    expect(c!.msg).toBe(OPENERS[opener]!.lines[0]);
    expect(c!.kv).toMatchObject({ ...OPENERS[opener]!.kv, goroutines: d.goroutines, firstGoroutine: d.first });
    expect(c!.severity).toBe('F');
    // the records around it keep to their own lines
    expect(recordAt(r, start - 1).endLine).toBe(start - 1);
    if (restart) {
      expect(recordAt(r, lines.length - 1)).toMatchObject({ format: 'text', msg: expect.stringMatching(/^Flag --max-pods/) });
      expect(recordAt(r, lines.length).endLine).toBe(lines.length);
    }
    if (env !== 'bare-klog' && env !== 'bare-json') expect(iso(c!.timeUs)).toBe(`2020-03-25T${crashTime}${env === 'kubectl-timestamps' ? '.123456' : '.000000'}Z`);
  });
});

describe('stacks that belong to the record before them', () => {
  const J = (time: string, text: string) => `Mar 25 ${time} node1 kubelet[1304]: ${text}`;

  it('klog.Fatal prints every goroutine after its F record: one klog record', () => {
    const r = parseText(
      [
        J('12:00:00', 'F0325 12:00:00.100000    1304 server.go:273] failed to run Kubelet: failed to create kubelet: misconfiguration'),
        J('12:00:00', 'goroutine 1 [running]:'),
        J('12:00:00', 'k8s.io/klog/v2.stacks(0x1)'),
        J('12:00:00', '\t/workspace/vendor/k8s.io/klog/v2/klog.go:1026 +0x8a'),
        J('12:00:00', ''),
        J('12:00:00', 'goroutine 6 [chan receive]:'),
        J('12:00:00', 'k8s.io/klog/v2.(*loggingT).flushDaemon(0x6e6a0a0)'),
      ].join('\n') + '\n',
      { year: 2020 },
    );
    expect(r.records.map((x) => [x.line, x.endLine, x.format, x.severity])).toEqual([[1, 7, 'klog', 'F']]);
  });

  it('an `Observed a panic` error keeps its stack; the re-panic after it is the crash', () => {
    const r = parseText(
      [
        J('12:00:00', 'E0325 12:00:00.100000    1304 runtime.go:78] Observed a panic: "invalid memory address or nil pointer dereference" (runtime error: invalid memory address or nil pointer dereference)'),
        J('12:00:00', 'goroutine 153 [running]:'),
        J('12:00:00', 'k8s.io/apimachinery/pkg/util/runtime.logPanic(0x3a4b0d0, 0x6e1f2a0)'),
        J('12:00:00', '\t/workspace/vendor/k8s.io/apimachinery/pkg/util/runtime/runtime.go:74 +0x95'),
        J('12:00:00', 'panic: runtime error: invalid memory address or nil pointer dereference [recovered]'),
        J('12:00:00', '\tpanic: runtime error: invalid memory address or nil pointer dereference'),
        J('12:00:00', '[signal SIGSEGV: segmentation violation code=0x1 addr=0x28 pc=0x2a3f6b1]'),
        J('12:00:00', ''),
        J('12:00:00', 'goroutine 153 [running]:'),
        J('12:00:00', 'k8s.io/apimachinery/pkg/util/runtime.HandleCrash(0x0, 0x0, 0x0)'),
        J('12:00:00', '\t/workspace/vendor/k8s.io/apimachinery/pkg/util/runtime/runtime.go:55 +0x10c'),
      ].join('\n') + '\n',
      { year: 2020 },
    );
    expect(r.records.map((x) => [x.line, x.endLine, x.format])).toEqual([
      [1, 4, 'klog'],
      [5, 11, 'crash'],
    ]);
    expect(recordAt(r, 5).kv).toMatchObject({ crash: 'panic', signal: 'SIGSEGV', goroutines: 1 });
  });

  it('a goroutine dump after an info record is a crash record of its own', () => {
    const r = parseText([J('12:00:00', 'I0325 12:00:00.100000    1304 kubelet.go:1952] SyncLoop (PLEG): event'), J('12:00:00', 'goroutine 1 [running]:'), J('12:00:00', 'main.main()')].join('\n') + '\n', { year: 2020 });
    expect(r.records.map((x) => [x.line, x.endLine, x.format])).toEqual([
      [1, 1, 'klog'],
      [2, 3, 'crash'],
    ]);
    expect(recordAt(r, 2).kv).toEqual({ firstGoroutine: 'goroutine 1 [running]:', crash: 'goroutine', goroutines: 1 });
  });
});

describe('continuation lines and time gaps', () => {
  const J = (time: string, text: string) => `Mar 25 ${time} node1 kubelet[1304]: ${text}`;
  const AWS = 'E0325 12:13:47.035843    1304 aws_credentials.go:77] while getting AWS credentials NoCredentialProviders: no valid providers in chain. Deprecated.';
  const MORE = '        For verbose messaging see aws.Config.CredentialsChainVerboseErrors';

  it('an indented line within the same moment continues the record', () => {
    const r = parseText([J('12:13:47', AWS), J('12:13:47', MORE)].join('\n') + '\n', { year: 2020 });
    expect(r.records.map((x) => [x.line, x.endLine])).toEqual([[1, 2]]);
  });

  it('an indented line 13 minutes later is not part of it', () => {
    const r = parseText([J('12:13:47', AWS), J('12:27:00', MORE)].join('\n') + '\n', { year: 2020 });
    expect(r.records.map((x) => [x.line, x.endLine, x.format])).toEqual([
      [1, 1, 'klog'],
      [2, 2, 'text'],
    ]);
    accounted(r);
  });

  it('the gap is measured on transport times: across New Year too', () => {
    const line = (date: string, text: string) => `${date} node1 kubelet[1304]: ${text}`;
    const near = parseText([line('Dec 31 23:59:59', 'E1231 23:59:59.900000    1304 x.go:1] a'), line('Jan  1 00:00:00', MORE)].join('\n') + '\n', { year: 2020 });
    expect(near.records.map((x) => [x.line, x.endLine])).toEqual([[1, 2]]);
    const far = parseText([line('Dec 31 23:59:59', 'E1231 23:59:59.900000    1304 x.go:1] a'), line('Jan  1 00:01:00', MORE)].join('\n') + '\n', { year: 2020 });
    expect(far.records.map((x) => [x.line, x.endLine])).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it('a panic of another program in the journal stays foreign', () => {
    const r = parseText(
      [J('12:00:00', 'I0325 12:00:00.100000    1304 kubelet.go:1] "x"'), 'Mar 25 12:00:01 node1 containerd[812]: panic: send on closed channel', 'Mar 25 12:00:01 node1 containerd[812]: goroutine 7 [running]:'].join('\n') + '\n',
      { year: 2020 },
    );
    expect(r.records).toHaveLength(1);
    expect(r.foreign.map((f) => [f.line, f.kind])).toEqual([
      [2, 'other-program'],
      [3, 'other-program'],
    ]);
  });
});

describe('hostile mixes (generated, fixed seeds)', () => {
  const POOL = [
    ...PANIC,
    ...OPENERS.sigabrt!.lines,
    'fatal error: concurrent map writes',
    'goroutine 7 [running]:',
    'goroutine 1 [select, 13 minutes]:',
    ...FRAMES.flat(),
    '\t/usr/local/go/src/runtime/proc.go:304 +0xe0',
    'created by k8s.io/kubernetes/pkg/kubelet.(*Kubelet).Run',
    'rax    0xca',
    '',
    '   ',
    'Flag --max-pods has been deprecated, This parameter should be set via the config file',
    'some text a person pasted',
    'I0325 12:14:01.444175     1304 kubelet.go:1952] "SyncLoop ADD" source="api" pods=["default/a"]',
    'E0325 12:14:01.444175     1304 runtime.go:78] Observed a panic: "boom"',
    'F0325 12:14:01.444175     1304 server.go:273] failed to run Kubelet: boom',
    '{"ts":1585138441444.175,"caller":"kubelet/kubelet.go:1","msg":"x","v":0}',
    'panic: (',
    'goroutine 99999999999999999999 [',
    '(((((((((((((((((((((((((((((((((((((((((',
  ];
  const ENVS = [(t: string) => t, (t: string) => `Mar 25 12:14:0${t.length % 10} node1 kubelet[1304]: ${t}`, (t: string) => `2020-03-25T12:14:01.000000001Z ${t}`];

  it.each(Array.from({ length: 30 }, (_, i) => 5000 + i))('seed %i: every line accounted for; crash records hold crash lines only', (seed) => {
    const rand = makeRand(seed);
    const env = ENVS[rand(ENVS.length)]!;
    const lines = Array.from({ length: 80 }, () => env(POOL[rand(POOL.length)]!));
    const r = parseText(lines.join('\n') + '\n', { year: 2020 });
    accounted(r);
    for (const c of crashes(r)) {
      expect(crashOpener(c.msg), c.raw).toBeDefined();
      expect(c.kv.goroutines).toBe(c.raw.split('\n').filter((l) => /goroutine \d+ \[[^\]]*\]:$/.test(l)).length);
    }
  });
});
