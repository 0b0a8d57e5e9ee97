// The kubelet's own life: each process's start, version and end, and node-level conditions, on the
// real samples and on generated logs (restart, crash then restart, graceful stop, time going back).
import { describe, expect, it } from 'vitest';
import data from '../schemas/kubelet-life.json' with { type: 'json' };
import { parseText, type LogRecord } from '../parser/index.js';
import { splitEnvelope } from '../parser/envelope/index.js';
import { signalsOf, systemdSignal } from '../lifecycle/kubelet-life-signals.js';
import type { KubeletLife, KubeletProcess } from '../lifecycle/kubelet-life-types.js';
import { buildKubeletLife } from './helpers/kubelet-life.js';
import { ProcessTracker } from '../lifecycle/process.js';
import { buildLifecycles } from '../lifecycle/model.js';
import { iso, parseSample } from './helpers/samples.js';

function parseOne(line: string): LogRecord {
  const r = parseText(line + '\n', { year: 2024 });
  expect(r.records, line).toHaveLength(1);
  return r.records[0]!;
}

const life = (text: string, year = 2024): KubeletLife => buildKubeletLife(parseText(text, { year }));

/** A process in brief: what a reader of the log would say about it. */
function brief(p: KubeletProcess) {
  return {
    pid: p.pid,
    version: p.version,
    start: p.start?.evidence.map((e) => `${e.kind}@${e.at.line}${e.count > 1 ? `x${e.count}` : ''}`) ?? null,
    lines: `${p.first.line}-${p.last.line}`,
    end: `${p.end.kind}@${p.end.at.line}${p.end.signal ? ` ${p.end.signal}` : ''}${p.end.exitStatus !== undefined ? ` status ${p.end.exitStatus}` : ''}`,
  };
}

describe('schemas/kubelet-life.json samples', () => {
  it.each(data.start.flatMap((e) => e.samples.map((s) => [e.id, s] as const)))('start %s: %s', (id, line) => {
    expect(signalsOf(parseOne(line))?.start?.kind).toBe(id);
  });

  it.each(data.end.flatMap((e) => e.samples.map((s) => [e.id, s] as const)))('end %s: %s', (_id, line) => {
    expect(signalsOf(parseOne(line))?.exit?.message).toBe(parseOne(line).msg);
  });

  it.each(data.node.flatMap((e) => e.samples.map((s) => [e.id, s] as const)))('node %s: %s', (id, line) => {
    const node = signalsOf(parseOne(line))?.node;
    expect(node?.id).toBe(id);
    expect(node!.kinds.length).toBeGreaterThan(0);
  });

  it.each(data.systemd.lines.flatMap((l) => l.samples.map((s) => [l.id, s] as const)))('systemd %s: %s', (id, line) => {
    const r = parseText(line + '\n', { year: 2024 });
    expect(r.foreign).toHaveLength(1);
    const env = splitEnvelope(line);
    expect(env.kind).toBe('line');
    if (env.kind === 'line') expect(systemdSignal(r.foreign[0]!.transport?.ident, env.payload)?.id).toBe(id);
  });

  it('reads the version where it is stated', () => {
    expect(data.start.find((e) => e.id === 'version')!.samples.map((s) => signalsOf(parseOne(s))?.start?.version)).toEqual(['v1.28.2', 'v1.18.0-alpha.5.158+1fd3f8d4b1e1e2', 'v1.32.3']);
    expect(signalsOf(parseOne('Nov 03 13:31:44 minion2 kubelet[1334]: I1103 13:31:44.327379    1334 server.go:770] Started kubelet v1.5.2'))?.start?.version).toBe('v1.5.2');
  });

  it('finds each reason a node condition states, and no PLEG incident in a kubelet that is starting', () => {
    const kinds = (line: string) => signalsOf(parseOne(line))?.node?.kinds;
    const [down, starting, pleg] = data.node.find((e) => e.id === 'skipping-pod-sync')!.samples;
    expect(kinds(down!)).toEqual(['runtime-not-ready']);
    expect(kinds(starting!)).toEqual(['starting']);
    expect(kinds(pleg!)).toEqual(['pleg-unhealthy']);
    const [notReadyPleg, notReadyCni] = data.node.find((e) => e.id === 'node-not-ready')!.samples;
    expect(kinds(notReadyPleg!)).toEqual(['not-ready', 'pleg-unhealthy']);
    expect(kinds(notReadyCni!)).toEqual(['not-ready', 'network-not-ready']);
    expect(kinds('E0325 12:00:00.000000    1304 kubelet.go:1765] skipping pod synchronization - [container runtime is down, PLEG is not healthy: pleg was last seen active 3m0.1s ago; threshold is 3m0s]')).toEqual(['pleg-unhealthy', 'runtime-not-ready']);
  });

  it('other systemd units and other programs say nothing about the kubelet', () => {
    expect(systemdSignal('systemd', 'Started Session 1369 of user root.')).toBeUndefined();
    expect(systemdSignal('systemd', 'Stopping Kubernetes API Service...')).toBeUndefined();
    expect(systemdSignal('systemd', 'containerd.service: Main process exited, code=killed, status=9/KILL')).toBeUndefined();
    expect(systemdSignal('dockerd', 'Started Kubernetes kubelet.')).toBeUndefined();
  });
});

describe('the real samples', () => {
  it('16: one process, pid 1304, crashed with SIGABRT at line 8 (12:27:00); the crash record spans 8-47', () => {
    const { processes, nodeEvents } = buildKubeletLife(parseSample('16'));
    expect(processes.map(brief)).toEqual([{ pid: 1304, version: undefined, start: null, lines: '1-8', end: 'crash@8 SIGABRT' }]);
    const end = processes[0]!.end;
    expect(end).toMatchObject({ message: 'SIGABRT: abort', crash: { index: 7, line: 8, endLine: 47, goroutines: 2, firstGoroutine: 'goroutine 0 [idle]:' } });
    expect(iso(end.at.timeUs)).toBe('2024-03-25T12:27:00.000000Z');
    expect(processes[0]!.host).toBe('e2e-big-minion-group-wfls');
    expect(nodeEvents).toEqual([]);
  });

  it('21: a start boundary: systemd starts the unit, pflag warns, the flag dump follows', () => {
    const { processes } = buildKubeletLife(parseSample('21', { fallbackYear: 2026 }));
    expect(processes.map(brief)).toEqual([{ pid: 1304, version: undefined, start: ['systemd-started@2', 'flag-deprecated@3x5', 'flags@8x5'], lines: '3-12', end: 'log-end@12' }]);
    expect(processes[0]!.start!.at).toEqual({ index: -1, line: 2, foreign: 'Started Kubernetes kubelet.' });
  });

  it('11: v1.5.2, newest first: `Started kubelet v1.5.2` (the last line) is the start', () => {
    const { processes, nodeEvents } = buildKubeletLife(parseSample('11', { year: 2017 }));
    expect(processes.map(brief)).toEqual([{ pid: 1334, version: 'v1.5.2', start: ['started-kubelet@30', 'main-sync-loop@22'], lines: '30-1', end: 'log-end@1' }]);
    expect(processes[0]!.newestFirst).toBe(true);
    expect(iso(processes[0]!.start!.at.timeUs)).toBe('2017-11-03T13:31:44.327379Z');
    expect(nodeEvents.map((e) => [e.kind, e.first.line, e.count, e.detail])).toEqual([['runtime-not-ready', 21, 1, 'skipping pod synchronization - [container runtime is down]']]);
  });

  it('19 and 14: the main sync loop, the flag dump', () => {
    expect(buildKubeletLife(parseSample('19')).processes.map(brief)).toEqual([{ pid: 21530, version: undefined, start: ['main-sync-loop@10'], lines: '3-10', end: 'log-end@10' }]);
    expect(buildKubeletLife(parseSample('14')).processes.map(brief)).toEqual([{ pid: 3312, version: undefined, start: ['flags@5x14'], lines: '5-18', end: 'log-end@18' }]);
  });

  it('05: pods that cannot sync for want of a CNI network put the node network on the node lane', () => {
    const { processes, nodeEvents } = buildKubeletLife(parseSample('05'));
    expect(processes.map(brief)).toEqual([{ pid: 4787, version: undefined, start: null, lines: '1-46', end: 'log-end@46' }]);
    expect(nodeEvents.map((e) => [e.kind, e.entry, e.first.line, e.last.line, e.count])).toEqual([['network-not-ready', 'pod-sync-network', 5, 32, 5]]);
  });

  it('02: the node became ready (same node as 16 and 21, no start in the excerpt)', () => {
    const { processes, nodeEvents } = buildKubeletLife(parseSample('02'));
    expect(processes.map(brief)).toEqual([{ pid: 1304, version: undefined, start: null, lines: '1-51', end: 'log-end@51' }]);
    expect(nodeEvents.map((e) => [e.kind, e.first.line])).toEqual([['ready', 37]]);
  });

  it('every other sample is one process that runs to the end of its log', () => {
    for (const s of ['00', '01', '03', '04', '06', '07', '08', '09', '10', '12', '13', '15', '17', '18', '20']) {
      const { processes } = buildKubeletLife(parseSample(s));
      expect(processes.map((p) => p.end.kind), s).toEqual(['log-end']);
    }
  });
});

// ---- generated logs ---------------------------------------------------------------------------

/** journalctl short lines of host node1. */
const J = (time: string, ident: string, text: string) => `Mar 25 ${time} node1 ${ident}: ${text}`;
const K = (time: string, pid: number, caller: string, body: string, sev = 'I') => `${sev}0325 ${time}.100000 ${String(pid).padStart(8)} ${caller}] ${body}`;
const KJ = (time: string, pid: number, caller: string, body: string, sev = 'I') => J(time, `kubelet[${pid}]`, K(time, pid, caller, body, sev));
const SYSTEMD = (time: string, text: string) => J(time, 'systemd[1]', text);

/** A kubelet 1.28 start-up of process `pid` at `time`. */
const startup = (time: string, pid: number, version = 'v1.28.2') => [
  J(time, `kubelet[${pid}]`, 'Flag --container-runtime-endpoint has been deprecated, This parameter should be set via the config file specified by the Kubelet\'s --config flag.'),
  KJ(time, pid, 'flags.go:64', 'FLAG: --address="0.0.0.0"'),
  KJ(time, pid, 'flags.go:64', 'FLAG: --anonymous-auth="true"'),
  KJ(time, pid, 'server.go:467', `"Kubelet version" kubeletVersion="${version}"`),
  KJ(time, pid, 'server.go:1256', '"Started kubelet"'),
  KJ(time, pid, 'kubelet.go:2303', '"Starting kubelet main sync loop"'),
];
const running = (time: string, pid: number) => KJ(time, pid, 'kubelet.go:2407', '"SyncLoop ADD" source="api" pods=["default/web-1"]');

const PANIC_DUMP = [
  'panic: runtime error: invalid memory address or nil pointer dereference',
  '[signal SIGSEGV: segmentation violation code=0x1 addr=0x28 pc=0x2a3f6b1]',
  '',
  'goroutine 153 [running]:',
  'k8s.io/kubernetes/pkg/kubelet/eviction.(*managerImpl).synchronize(0xc000a3e000, 0xc000b12340, 0x4a1e2a8)',
  '\t/workspace/src/k8s.io/kubernetes/pkg/kubelet/eviction/eviction_manager.go:253 +0x1f1',
];

describe('generated: restarts, crashes, stops', () => {
  it('a restart: a new PID and its start-up lines, no stop line', () => {
    const log = [running('10:00:00', 100), running('10:00:01', 100), ...startup('10:05:00', 200)].join('\n') + '\n';
    const { processes } = life(log);
    expect(processes.map(brief)).toEqual([
      { pid: 100, version: undefined, start: null, lines: '1-2', end: 'restart@2' },
      { pid: 200, version: 'v1.28.2', start: ['new-pid@3', 'flag-deprecated@3', 'flags@4x2', 'version@6', 'started-kubelet@7', 'main-sync-loop@8'], lines: '3-8', end: 'log-end@8' },
    ]);
  });

  it('the node incident of a restart says how long the log was silent; a hole of hours is no silent restart', () => {
    const detail = (log: string[]) => buildLifecycles(parseText(log.join('\n') + '\n', { year: 2024 }).records).nodeIncidents.map((i) => [i.kind, i.detail]);
    expect(detail([running('10:00:00', 100), running('10:00:01', 100), ...startup('10:05:00', 200)])).toEqual([
      ['kubelet-restart', 'kubelet 100 restarted without a word: kubelet 200 5.0 min later'],
    ]);
    // two files of one host name with hours between them: the stop and the start may be in what is missing
    expect(detail([running('10:00:00', 100), running('10:00:01', 100), running('13:00:01', 200)])).toEqual([
      ['kubelet-restart', "kubelet 100's last line, then no line of this node for 3.0 h, then kubelet 200: the log does not show how one ended or the other began"],
    ]);
  });

  it('a restart between two versions the processes printed says so', () => {
    const log = [...startup('10:00:00', 100, 'v1.27.4'), ...startup('10:05:00', 200)].join('\n') + '\n';
    expect(buildLifecycles(parseText(log, { year: 2024 }).records).nodeIncidents.map((i) => i.detail)).toEqual([
      'kubelet 100 restarted without a word: kubelet 200 5.0 min later; its version changed (v1.27.4 → v1.28.2)',
    ]);
  });

  it('a crash, then systemd restarts the kubelet', () => {
    const log = [
      ...startup('10:00:00', 100),
      running('10:00:01', 100),
      ...PANIC_DUMP.map((l) => J('10:00:02', 'kubelet[100]', l)),
      SYSTEMD('10:00:02', 'kubelet.service: Main process exited, code=exited, status=2/INVALIDARGUMENT'),
      SYSTEMD('10:00:02', "kubelet.service: Failed with result 'exit-code'."),
      SYSTEMD('10:00:12', 'kubelet.service: Scheduled restart job, restart counter is at 1.'),
      SYSTEMD('10:00:12', 'Stopped kubelet: The Kubernetes Node Agent.'),
      SYSTEMD('10:00:12', 'Started kubelet: The Kubernetes Node Agent.'),
      ...startup('10:00:12', 300),
    ].join('\n') + '\n';
    const { processes } = life(log);
    expect(processes.map(brief)).toEqual([
      { pid: 100, version: 'v1.28.2', start: ['flag-deprecated@1', 'flags@2x2', 'version@4', 'started-kubelet@5', 'main-sync-loop@6'], lines: '1-8', end: 'crash@8 SIGSEGV' },
      { pid: 300, version: 'v1.28.2', start: ['systemd-started@18', 'new-pid@19', 'flag-deprecated@19', 'flags@20x2', 'version@22', 'started-kubelet@23', 'main-sync-loop@24'], lines: '19-24', end: 'log-end@24' },
    ]);
    const end = processes[0]!.end;
    expect(end.message).toBe('panic: runtime error: invalid memory address or nil pointer dereference');
    expect(end.crash).toMatchObject({ line: 8, endLine: 13, goroutines: 1, panic: 'runtime error: invalid memory address or nil pointer dereference' });
    expect(end.evidence.map((e) => e.line)).toEqual([8, 14, 15, 16, 17]);
  });

  it('a crash in a container log: the restarted kubelet has the same PID and no journal', () => {
    const bare = (time: string, body: string) => K(time, 7, 'kubelet.go:2407', body);
    const log = [
      bare('10:00:00', '"SyncLoop ADD" source="api" pods=["default/web-1"]'),
      ...PANIC_DUMP,
      bare('10:00:15', '"Kubelet version" kubeletVersion="v1.28.2"'),
      bare('10:00:15', '"SyncLoop ADD" source="api" pods=["default/web-1"]'),
    ].join('\n') + '\n';
    const { processes } = life(log);
    expect(processes.map(brief)).toEqual([
      { pid: 7, version: undefined, start: null, lines: '1-2', end: 'crash@2 SIGSEGV' },
      { pid: 7, version: 'v1.28.2', start: ['after-exit@8', 'version@8'], lines: '8-9', end: 'log-end@9' },
    ]);
  });

  it('a graceful stop: systemd stops the unit and the log ends', () => {
    const log = [
      running('10:00:00', 100),
      SYSTEMD('10:01:00', 'Stopping kubelet: The Kubernetes Node Agent...'),
      SYSTEMD('10:01:00', 'kubelet.service: Deactivated successfully.'),
      SYSTEMD('10:01:00', 'Stopped kubelet: The Kubernetes Node Agent.'),
    ].join('\n') + '\n';
    const { processes } = life(log);
    expect(processes.map(brief)).toEqual([{ pid: 100, version: undefined, start: null, lines: '1-1', end: 'stop@2' }]);
    expect(processes[0]!.end).toMatchObject({ message: 'Stopping kubelet: The Kubernetes Node Agent...', evidence: [{ line: 2 }, { line: 3 }, { line: 4 }] });
  });

  it('a stop and a start in /var/log/messages without PIDs in the tag', () => {
    const M = (time: string, ident: string, text: string) => `Mar 25 ${time} node1 ${ident}: ${text}`;
    const log = [
      M('10:00:00', 'kubelet', K('10:00:00', 6698, 'kubelet.go:1', 'SyncLoop (ADD, "api"): ""')),
      M('10:01:00', 'systemd', 'Stopping Kubernetes Kubelet Server...'),
      M('10:01:00', 'systemd', 'kubelet.service: main process exited, code=killed, status=15/TERM'),
      M('10:01:00', 'systemd', 'Stopped Kubernetes Kubelet Server.'),
      M('10:01:05', 'systemd', 'Started Kubernetes Kubelet Server.'),
      M('10:01:05', 'kubelet', K('10:01:05', 7012, 'kubelet.go:1', 'Starting kubelet main sync loop.')),
    ].join('\n') + '\n';
    const { processes } = life(log);
    expect(processes.map(brief)).toEqual([
      { pid: 6698, version: undefined, start: null, lines: '1-1', end: 'stop@2' },
      { pid: 7012, version: undefined, start: ['systemd-started@5', 'new-pid@6', 'main-sync-loop@6'], lines: '6-6', end: 'log-end@6' },
    ]);
  });

  it('an exit on an error the kubelet logged, and a kill by SIGABRT without a dump in the log', () => {
    const exit = life([...startup('10:00:00', 100), KJ('10:00:00', 100, 'run.go:74', '"command failed" err="failed to run Kubelet: running with swap on is not supported"', 'E'), SYSTEMD('10:00:00', 'kubelet.service: Main process exited, code=exited, status=1/FAILURE')].join('\n') + '\n');
    expect(exit.processes.map((p) => [p.end.kind, p.end.at.line, p.end.message])).toEqual([['exit', 7, 'command failed']]);
    const killed = life([running('10:00:00', 100), SYSTEMD('10:00:09', 'kubelet.service: Main process exited, code=killed, status=6/ABRT')].join('\n') + '\n');
    expect(killed.processes.map(brief)).toEqual([{ pid: 100, version: undefined, start: null, lines: '1-1', end: 'crash@2 SIGABRT' }]);
  });

  it('time going back in one bare file without PIDs (JSON format) starts another process', () => {
    const jl = (sec: number, msg: string) => `{"ts":${Date.UTC(2024, 5, 7, 10, 0, 0) + sec * 1000}.5,"caller":"kubelet/kubelet.go:2407","msg":"${msg}","v":2}`;
    const log = [jl(0, 'SyncLoop ADD'), jl(60, 'SyncLoop ADD'), jl(300, 'SyncLoop ADD'), jl(-120, 'SyncLoop ADD'), jl(-119, 'SyncLoop UPDATE')].join('\n') + '\n';
    const { processes } = life(log);
    expect(processes.map(brief)).toEqual([
      { pid: undefined, version: undefined, start: null, lines: '1-3', end: 'restart@3' },
      { pid: undefined, version: undefined, start: ['time-back@4'], lines: '4-5', end: 'log-end@5' },
    ]);
  });

  it('start-up lines out of order mark a restart in JSON logs without PIDs; jitter of racing goroutines does not', () => {
    const jl = (ms: number, msg: string, extra = '') => `sanji: {"ts":${Date.UTC(2024, 5, 7, 10, 0, 0) + ms}.5,"caller":"kubelet/kubelet.go:1","msg":"${msg}","v":0${extra}}`;
    const log = [
      jl(0, 'Kubelet version', ',"kubeletVersion":"v1.32.3"'),
      jl(5, 'Starting kubelet main sync loop'),
      jl(10_000, 'SyncLoop ADD'),
      jl(9_999, 'SyncLoop ADD'),
      jl(60_000, 'Kubelet version', ',"kubeletVersion":"v1.32.4"'),
      jl(60_005, 'Starting kubelet main sync loop'),
    ].join('\n') + '\n';
    expect(life(log).processes.map(brief)).toEqual([
      { pid: undefined, version: 'v1.32.3', start: ['version@1', 'main-sync-loop@2'], lines: '1-4', end: 'restart@4' },
      { pid: undefined, version: 'v1.32.4', start: ['version@5', 'main-sync-loop@6'], lines: '5-6', end: 'log-end@6' },
    ]);
  });

  it('newest first with two processes: each in time order, the restart found between them', () => {
    // (pflag's warnings would read as continuation lines of the flag dump above them: left out)
    const log = [running('10:05:02', 200), ...startup('10:05:00', 200).slice(1).reverse(), running('10:00:01', 100), running('10:00:00', 100)].join('\n') + '\n';
    const { processes } = life(log);
    expect(processes.map(brief)).toEqual([
      { pid: 200, version: 'v1.28.2', start: ['new-pid@6', 'flags@6x2', 'version@4', 'started-kubelet@3', 'main-sync-loop@2'], lines: '6-1', end: 'log-end@1' },
      { pid: 100, version: undefined, start: null, lines: '8-7', end: 'restart@7' },
    ]);
    expect(processes.every((p) => p.newestFirst)).toBe(true);
  });

  it('newest first with three processes: each restart names the process that came after it in time', () => {
    const log = [running('10:10:00', 300), running('10:05:00', 200), running('10:00:00', 100)].join('\n') + '\n';
    const { kubelets, nodeIncidents } = buildLifecycles(parseText(log, { year: 2024 }).records);
    expect(kubelets.map((p) => [p.pid, p.end.kind])).toEqual([
      [300, 'log-end'],
      [200, 'restart'],
      [100, 'restart'],
    ]);
    expect(nodeIncidents.map((i) => [i.kind, i.at.line, i.detail])).toEqual([
      ['kubelet-restart', 1, 'kubelet 200 restarted without a word: kubelet 300 5.0 min later'],
      ['kubelet-restart', 2, 'kubelet 100 restarted without a word: kubelet 200 5.0 min later'],
    ]);
  });

  it('one journal PID is one process whatever start-ups it prints (k3s: apiserver and kubelet)', () => {
    const k3s = (time: string, caller: string, body: string) => J(time, 'k3s[699204]', K(time, 699204, caller, body));
    const log = [
      k3s('15:00:00', 'server.go:156', 'Version: v1.27.1+k3s1'),
      k3s('15:00:01', 'alloc.go:330', '"allocated clusterIPs" service="default/kubernetes"'),
      k3s('15:00:05', 'server.go:467', '"Kubelet version" kubeletVersion="v1.27.1+k3s1"'),
      k3s('15:00:06', 'kubelet.go:2303', '"Starting kubelet main sync loop"'),
    ].join('\n') + '\n';
    expect(life(log).processes.map(brief)).toEqual([{ pid: 699204, version: 'v1.27.1+k3s1', start: ['version@1x2', 'main-sync-loop@4'], lines: '1-4', end: 'log-end@4' }]);
  });

  it('node conditions repeat into spans, split by a quiet minute and by a restart', () => {
    const skip = (time: string, pid: number) => KJ(time, pid, 'kubelet.go:2327', '"Skipping pod synchronization" err="PLEG is not healthy: pleg was last seen active 3m0.4s ago; threshold is 3m0s"', 'E');
    const log = [skip('10:00:00', 100), skip('10:00:01', 100), skip('10:00:02', 100), skip('10:05:00', 100), skip('10:05:01', 200)].join('\n') + '\n';
    const { nodeEvents } = life(log);
    expect(nodeEvents.map((e) => [e.kind, e.epoch, e.first.line, e.last.line, e.count])).toEqual([
      ['pleg-unhealthy', 0, 1, 3, 3],
      ['pleg-unhealthy', 0, 4, 4, 1],
      ['pleg-unhealthy', 1, 5, 5, 1],
    ]);
  });
});

describe('ProcessTracker keeps the epoch API the phase model uses', () => {
  it('epochs, ends, pids and restarts', () => {
    const r = parseText([running('10:00:00', 100), running('10:00:01', 100), ...startup('10:05:00', 200)].join('\n') + '\n', { year: 2024 });
    const t = new ProcessTracker();
    const epochs = r.records.map((x, i) => t.add(x, i));
    expect(epochs).toEqual([0, 0, 1, 1, 1, 1, 1, 1]);
    expect([t.hasEnded(0), t.hasEnded(1)]).toEqual([true, false]);
    expect(t.pids()).toEqual([100, 200]);
    expect(t.restarts).toBe(1);
    expect(t.lastOf(0)).toMatchObject({ index: 1, line: 2 });
  });

  it('the phase model sees a restart the PID does not show (a container restarted after a crash)', () => {
    const bare = (time: string, body: string) => K(time, 7, 'kubelet.go:2407', body);
    const r = parseText([bare('10:00:00', '"SyncLoop ADD" source="api" pods=["default/web-1"]'), ...PANIC_DUMP, bare('10:00:15', '"Kubelet version" kubeletVersion="v1.28.2"'), bare('10:00:15', '"SyncLoop ADD" source="api" pods=["default/web-1"]')].join('\n') + '\n', { year: 2024 });
    const t = new ProcessTracker();
    expect(r.records.map((x, i) => t.add(x, i))).toEqual([0, 0, 1, 1]);
    expect([t.restarts, t.hasEnded(0), t.hasEnded(1)]).toEqual([1, true, false]);
  });

  it('hosts replayed together keep their own processes', () => {
    const t = new ProcessTracker();
    const a = parseText(running('10:00:00', 100) + '\n', { year: 2024 }).records[0]!;
    const b = parseText(K('10:00:00', 100, 'kubelet.go:1', '"x"') + '\n', { year: 2024 }).records[0]!;
    expect([t.add(a, 0), t.add(b, 1, 'file-b'), t.add(a, 2)]).toEqual([0, 1, 0]);
    expect(t.processes().map((p) => p.host)).toEqual(['node1', 'file-b']);
  });
});
