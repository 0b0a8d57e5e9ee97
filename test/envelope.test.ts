import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import data from '../schemas/envelopes.json' with { type: 'json' };
import {
  isKnownForeignIdent,
  klogFileHeaderTime,
  splitComponentPrefix,
  splitEnvelope,
  type EnvelopeResult,
} from '../parser/envelope/index.js';
import { makeRand } from './helpers/rand.js';
import { parseText } from '../parser/index.js';
import { isGoRuntimeLine } from '../parser/go-crash.js';


const REAL = new URL('../samples/real/', import.meta.url);

function realLines(file: string): string[] {
  const lines = readFileSync(new URL(file, REAL), 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function asLine(r: EnvelopeResult): Extract<EnvelopeResult, { kind: 'line' }> {
  if (r.kind !== 'line') throw new Error(`expected a line, got ${JSON.stringify(r)}`);
  return r;
}

interface Expect {
  kind: string;
  envelope?: string;
  transport?: Record<string, unknown>;
  payloadStart?: number;
  payloadPrefix?: string;
  payload?: string;
  clock?: Record<string, number>;
  offsetMinutes?: number;
  foreignKind?: string;
  reason?: string;
  otherProgram?: boolean;
}
interface Sample { source: string; line: string; expect: Expect }

function allSamples(): Array<[string, Sample]> {
  const out: Array<[string, Sample]> = [];
  for (const [name, shape] of Object.entries(data.shapes)) for (const s of shape.samples) out.push([`shapes.${name}`, s as Sample]);
  for (const [name, marker] of Object.entries(data.markers)) for (const s of marker.samples) out.push([`markers.${name}`, s as Sample]);
  for (const s of data.rejects.samples) out.push(['rejects', s as Sample]);
  for (const s of data.componentWrapper.samples) out.push(['componentWrapper', s as Sample]);
  return out;
}

describe('schemas/envelopes.json samples', () => {
  const samples = allSamples();

  it('has samples for every shape and marker', () => {
    expect(samples.length).toBeGreaterThanOrEqual(60);
    for (const shape of Object.values(data.shapes)) expect(shape.samples.length).toBeGreaterThan(0);
    for (const marker of Object.values(data.markers)) expect(marker.samples.length).toBeGreaterThan(0);
  });

  it.each(samples.map(([group, s]) => [group, s.line.slice(0, 70), s] as const))('%s: %s', (_group, _short, s) => {
    const r = splitEnvelope(s.line);
    const e = s.expect;
    expect(r.kind).toBe(e.kind);
    if (r.kind === 'line') {
      expect(r.envelope).toBe(e.envelope);
      expect(r.transport).toStrictEqual(e.transport);
      expect(r.payloadStart).toBe(e.payloadStart);
      if (r.payloadStart >= 0) expect(r.payload).toBe(s.line.slice(r.payloadStart));
      if (e.payloadPrefix !== undefined) expect(r.payload.startsWith(e.payloadPrefix)).toBe(true);
      if (e.payload !== undefined) expect(r.payload).toBe(e.payload);
      expect(r.clock).toStrictEqual(e.clock);
      expect(r.offsetMinutes).toBe(e.offsetMinutes);
      expect(r.otherProgram).toBe(e.otherProgram);
    } else if (r.kind === 'foreign') {
      expect(r.foreignKind).toBe(e.foreignKind);
      expect(r.transport).toStrictEqual(e.transport);
    } else {
      expect(r.reason).toBe(e.reason);
      expect(r.message.length).toBeGreaterThan(0);
    }
  });

  it('a transport timeUs in a sample agrees with an independent Date.UTC reading of its text', () => {
    for (const [, s] of samples) {
      const t = s.expect.transport as { timeUs?: number; timeText?: string } | undefined;
      if (t?.timeUs === undefined || t.timeText === undefined || !/^\d{4}-/.test(t.timeText)) continue;
      const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|([+-])(\d\d):?(\d\d))$/.exec(t.timeText);
      expect(m).not.toBeNull();
      const [, y, mo, d, h, mi, sec, frac = '', z, sign, oh = '0', om = '0'] = m!;
      const off = z === 'Z' ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
      const us = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +sec!) * 1000 + Number(frac.padEnd(6, '0').slice(0, 6)) - off * 60_000_000;
      expect(t.timeUs).toBe(us);
    }
  });
});

describe('samples/real: every envelope recognised', () => {
  // Per file: envelope kind → line count, and ident → line count.
  const expected: Record<string, { kinds: Record<string, number>; idents?: Record<string, number> }> = {
    '00-design-notes-teardown-trace.log': { kinds: { none: 128, 'foreign:blank': 19 } },
    '01-openshift418-journald-kubeletsh-static-pod-restart.log': { kinds: { syslog: 82 }, idents: { 'kubelet.sh': 82 } },
    '02-gce-e2e-2020-journald-unstructured-pod-startup.log': { kinds: { syslog: 51 }, idents: { kubelet: 51 } },
    '03-talos-json-csi-mount-failure-error-syncing-pod.log': { kinds: { prefix: 14 } },
    '04-talos-json-mirror-pod-delete-apiserver-outage.log': { kinds: { prefix: 23 } },
    '05-rke-docker-klog-unstructured-job-pod-lifecycle.log': { kinds: { none: 46 } },
    '06-aks-journald-structured-liveness-restart.log': { kinds: { syslog: 11, none: 1 }, idents: { kubelet: 11 } },
    '07-kind-v1.31-journald-structured-pod-teardown-truncated.log': { kinds: { syslog: 15 }, idents: { kubelet: 15 } },
    '08-kind-v1.32-journald-structured-verbose-full-pod-lifecycle.log': { kinds: { syslog: 67 }, idents: { kubelet: 67 } },
    // grep of /var/log/syslog by a container ID: containerd and systemd lines beside the kubelet's
    '09-aks-rsyslog-varlogsyslog-mixed-daemons-pod-delete.log': { kinds: { syslog: 23 }, idents: { containerd: 12, systemd: 3, kubelet: 8 } },
    '10-talos-json-pod-startup-volumes-startup-latency.log': { kinds: { prefix: 25 } },
    '11-k8s-v1.5.2-journalctl-reverse-order-apiserver-unreachable.log': { kinds: { syslog: 30 }, idents: { kubelet: 30 } },
    '12-selfhosted-v1.2x-journald-verbose-admission-reject-TopologyAffinityError-terminated.log': { kinds: { syslog: 61 }, idents: { kubelet: 61 } },
    '13-kubeadm-v1.26-journald-CST-pod-startup-gostruct-event.log': { kinds: { syslog: 12 }, idents: { kubelet: 12 } },
    '14-windows-v1.17-glog-logfile-header-flags.log': { kinds: { 'foreign:klog-file-header': 4, none: 14 } },
    '15-windows-v1.17-logfile-unstructured-verbose-container-start.log': { kinds: { none: 33 } },
    // the goroutine dump's lines carry the kubelet's journal prefix too
    '16-gce-e2e-2020-journald-pleg-then-SIGABRT-goroutine-dump.log': { kinds: { syslog: 47 }, idents: { kubelet: 47 } },
    '17-microk8s-rsyslog-RFC3339-timestamps-ImagePullBackOff.log': { kinds: { 'syslog-iso': 10 }, idents: { systemd: 8, 'microk8s.daemon-kubelite': 2 } },
    '18-k3s-journald-single-process-apiserver-lines-NOT-kubelet.log': { kinds: { syslog: 10 }, idents: { k3s: 10 } },
    '19-minikube-logs-kubelet-section-v1.18-startup.log': {
      kinds: { 'foreign:section-marker': 1, 'foreign:journal-marker': 1, syslog: 8 },
      idents: { kubelet: 8 },
    },
    '20-centos-varlogmessages-no-pid-2018-helm-delete-volume-unmount-docker.log': {
      kinds: { syslog: 31 },
      idents: { kubelet: 21, 'systemd-udevd': 5, dockerd: 5 },
    },
    '21-gce-e2e-2020-journald-kubelet-start-boundary-systemd-and-deprecation-lines.log': {
      kinds: { 'foreign:journal-marker': 1, syslog: 11 },
      idents: { systemd: 1, kubelet: 10 },
    },
  };

  it('covers every sample file', () => {
    const files = readFileSync(new URL('SOURCES.md', REAL), 'utf8').match(/\b\d\d-[\w.-]+\.log\b/g) ?? [];
    expect(Object.keys(expected).sort()).toStrictEqual([...new Set(files)].sort());
  });

  it.each(Object.entries(expected))('%s', (file, want) => {
    const kinds: Record<string, number> = {};
    const idents: Record<string, number> = {};
    for (const line of realLines(file)) {
      const r = splitEnvelope(line);
      const k = r.kind === 'line' ? r.envelope : r.kind === 'foreign' ? `foreign:${r.foreignKind}` : `reject:${r.reason}`;
      kinds[k] = (kinds[k] ?? 0) + 1;
      if (r.kind === 'line') {
        if (r.transport?.ident !== undefined) idents[r.transport.ident] = (idents[r.transport.ident] ?? 0) + 1;
        // The payload of every kubelet line starts with its klog header or kubelet JSON (or is a
        // deprecation notice, the indented continuation of a multi-line record in 02, or the Go
        // runtime's crash output in 16).
        if (r.envelope !== 'none' && (r.transport?.ident === 'kubelet' || r.transport?.ident === 'kubelet.sh' || r.envelope === 'prefix')) {
          expect(r.payload.startsWith('SIGABRT') || isGoRuntimeLine(r.payload) || /^(?:[IWEF]\d{4} \d\d:\d\d:\d\d\.\d{6} |\{"ts":|Flag --| {8}For verbose messaging)/.test(r.payload), r.payload).toBe(true);
        }
        if (r.payloadStart >= 0) expect(r.payload).toBe(line.slice(r.payloadStart));
      }
    }
    expect(kinds).toStrictEqual(want.kinds);
    expect(idents).toStrictEqual(want.idents ?? {});
  });

  it('01 line 1: kubelet.sh under an OpenShift host name', () => {
    const line = realLines('01-openshift418-journald-kubeletsh-static-pod-restart.log')[0]!;
    const r = asLine(splitEnvelope(line));
    expect(r.envelope).toBe('syslog');
    expect(r.transport).toStrictEqual({ host: 'api-int.ite-ocp.ite.local', ident: 'kubelet.sh', pid: 2473, timeText: 'May 12 05:20:21' });
    expect(r.payload.startsWith('I0512 05:20:21.594304    2473 util.go:48] "No ready sandbox')).toBe(true);
    expect(r.clock).toStrictEqual({ month: 5, day: 12, hour: 5, minute: 20, second: 21, micros: 0 });
    expect(r.offsetMinutes).toBeUndefined();
  });

  it('03 line 1: `sanji: ` in front of kubelet JSON', () => {
    const line = realLines('03-talos-json-csi-mount-failure-error-syncing-pod.log')[0]!;
    const r = asLine(splitEnvelope(line));
    expect(r.envelope).toBe('prefix');
    expect(r.transport).toStrictEqual({ host: 'sanji' });
    expect(r.payloadStart).toBe(7);
    expect(r.payload.startsWith('{"ts":1746793574528.9778,"caller":"nestedpendingoperations/')).toBe(true);
    expect(() => JSON.parse(r.payload)).not.toThrow();
  });

  it('20: no pid, space-padded day, foreign programs keep their ident', () => {
    const lines = realLines('20-centos-varlogmessages-no-pid-2018-helm-delete-volume-unmount-docker.log');
    const first = asLine(splitEnvelope(lines[0]!));
    expect(first.transport).toStrictEqual({ host: 'node1', ident: 'kubelet', timeText: 'Jun  8 09:34:01' });
    expect(first.clock).toStrictEqual({ month: 6, day: 8, hour: 9, minute: 34, second: 1, micros: 0 });
    expect(first.payload.startsWith('W0608 09:34:01.504879    6698 iscsi_util.go:353] Warning: Unmount skipped')).toBe(true);
    const udev = lines.map((l) => splitEnvelope(l)).filter((r) => r.kind === 'line' && r.transport?.ident === 'systemd-udevd');
    expect(udev).toHaveLength(5);
  });

  it('19: minikube wrapper lines are markers', () => {
    const lines = realLines('19-minikube-logs-kubelet-section-v1.18-startup.log');
    expect(splitEnvelope(lines[0]!)).toStrictEqual({ kind: 'foreign', foreignKind: 'section-marker' });
    expect(splitEnvelope(lines[1]!)).toStrictEqual({ kind: 'foreign', foreignKind: 'journal-marker' });
    expect(asLine(splitEnvelope(lines[2]!)).transport).toStrictEqual({ host: 'minikube', ident: 'kubelet', pid: 21530, timeText: 'May 19 12:00:09' });
  });

  it('14: klog file header, then bare klog', () => {
    const lines = realLines('14-windows-v1.17-glog-logfile-header-flags.log');
    expect(lines.slice(0, 4).map((l) => splitEnvelope(l).kind)).toStrictEqual(['foreign', 'foreign', 'foreign', 'foreign']);
    expect(klogFileHeaderTime(lines[0]!)).toStrictEqual({ year: 2019, month: 8, day: 20, hour: 20, minute: 28, second: 26, micros: 0 });
    expect(splitEnvelope(lines[4]!)).toStrictEqual({ kind: 'line', envelope: 'none', payload: lines[4], payloadStart: 0 });
  });
});

describe('splitEnvelope edge cases', () => {
  it('RFC 3164 day space-padded and zero-padded give the same clock', () => {
    const a = asLine(splitEnvelope('Jun  8 09:34:01 node1 kubelet[6698]: W0608 09:34:01.504879    6698 x.go:1] a'));
    const b = asLine(splitEnvelope('Jun 08 09:34:01 node1 kubelet[6698]: W0608 09:34:01.504879    6698 x.go:1] a'));
    const c = asLine(splitEnvelope('Jun 8 09:34:01 node1 kubelet[6698]: W0608 09:34:01.504879    6698 x.go:1] a'));
    expect(a.clock).toStrictEqual(b.clock);
    expect(c.clock).toStrictEqual(b.clock);
    expect(a.transport?.timeText).toBe('Jun  8 09:34:01');
    expect(b.transport?.timeText).toBe('Jun 08 09:34:01');
    expect(a.payload).toBe(b.payload);
    expect(a.payloadStart).toBe(37);
  });

  it('month names in any case; an unknown month name without host/tag is not an envelope', () => {
    expect(asLine(splitEnvelope('DEC 31 23:59:59 n kubelet: x')).clock?.month).toBe(12);
    expect(asLine(splitEnvelope('dec 31 23:59:59 n kubelet: x')).clock?.month).toBe(12);
    expect(asLine(splitEnvelope('Dex 31 23:59:59 text without a tag')).envelope).toBe('none');
  });

  it('no pid: `node1 kubelet: W0608 …`', () => {
    const r = asLine(splitEnvelope('Jun  8 09:34:05 node1 kubelet: W0608 09:34:05.200959    6698 pod_container_deletor.go:77] Container "0064" not found'));
    expect(r.transport).toStrictEqual({ host: 'node1', ident: 'kubelet', timeText: 'Jun  8 09:34:05' });
    expect(r.payload.startsWith('W0608 09:34:05.200959')).toBe(true);
  });

  it('no host: `<ts> tag[pid]: `', () => {
    const r = asLine(splitEnvelope('Jun  8 09:34:05 kubelet[6698]: I0608 09:34:05.200959    6698 x.go:1] y'));
    expect(r.transport).toStrictEqual({ ident: 'kubelet', pid: 6698, timeText: 'Jun  8 09:34:05' });
    expect(r.payload).toBe('I0608 09:34:05.200959    6698 x.go:1] y');
  });

  it('empty message after the tag', () => {
    expect(asLine(splitEnvelope('Jun  8 09:34:05 node1 kubelet[6698]:')).payload).toBe('');
    expect(asLine(splitEnvelope('Jun  8 09:34:05 node1 kubelet[6698]: ')).payload).toBe('');
  });

  it('`+0000` and `+00:00` give the same instant', () => {
    const a = asLine(splitEnvelope('2023-06-07T14:54:46.123456+0000 node1 kubelet[1234]: I0607 14:54:46.123456    1234 x.go:1] a'));
    const b = asLine(splitEnvelope('2023-06-07T14:54:46.123456+00:00 node1 kubelet[1234]: I0607 14:54:46.123456    1234 x.go:1] a'));
    const z = asLine(splitEnvelope('2023-06-07T14:54:46.123456Z node1 kubelet[1234]: I0607 14:54:46.123456    1234 x.go:1] a'));
    expect(a.transport?.timeUs).toBe(1686149686123456);
    expect(b.transport?.timeUs).toBe(1686149686123456);
    expect(z.transport?.timeUs).toBe(1686149686123456);
    expect([a.offsetMinutes, b.offsetMinutes, z.offsetMinutes]).toStrictEqual([0, 0, 0]);
    expect(a.payload).toBe(b.payload);
    expect(a.clock).toBeUndefined();
  });

  it('`+0800` and `+08:00`', () => {
    const a = asLine(splitEnvelope('2023-06-07T22:54:46+0800 node1 kubelet[1234]: x'));
    const b = asLine(splitEnvelope('2023-06-07T22:54:46+08:00 node1 kubelet[1234]: x'));
    expect(a.offsetMinutes).toBe(480);
    expect(b.offsetMinutes).toBe(480);
    expect(a.transport?.timeUs).toBe(1686149686000000);
    expect(b.transport?.timeUs).toBe(1686149686000000);
  });

  it('short-unix', () => {
    const r = asLine(splitEnvelope('1686149686.000001 node1 kubelet[1234]: I0607 14:54:46.000001    1234 x.go:1] a'));
    expect(r.envelope).toBe('syslog-unix');
    expect(r.transport).toStrictEqual({ host: 'node1', ident: 'kubelet', pid: 1234, timeUs: 1686149686000001, timeText: '1686149686.000001' });
    // a number without a host/tag part is not an envelope
    expect(asLine(splitEnvelope('1686149686.000001 is a number')).envelope).toBe('none');
  });

  it('journal JSON with a byte-array MESSAGE', () => {
    const bytes = [...Buffer.from('I0607 14:54:46.123456    1234 x.go:1] "caf\u00e9" ', 'utf8'), 0xff, 0xfe];
    const line = JSON.stringify({ __REALTIME_TIMESTAMP: '1686149686123456', _HOSTNAME: 'n', SYSLOG_IDENTIFIER: 'kubelet', _PID: '1234', MESSAGE: bytes });
    const r = asLine(splitEnvelope(line));
    expect(r.envelope).toBe('journal-json');
    expect(r.payloadStart).toBe(-1);
    expect(r.payload).toBe('I0607 14:54:46.123456    1234 x.go:1] "caf\u00e9" \ufffd\ufffd');
    expect(r.transport).toStrictEqual({ host: 'n', ident: 'kubelet', pid: 1234, timeUs: 1686149686123456, timeText: '1686149686123456' });
  });

  it('journal JSON: MESSAGE missing → foreign; a repeated field takes its first value', () => {
    expect(splitEnvelope('{"__REALTIME_TIMESTAMP":"1686149686123456","_PID":"7"}')).toStrictEqual({
      kind: 'foreign',
      foreignKind: 'blank',
      transport: { pid: 7, timeUs: 1686149686123456, timeText: '1686149686123456' },
    });
    const r = asLine(splitEnvelope('{"MESSAGE":["first","second"],"SYSLOG_IDENTIFIER":["kubelet","x"]}'));
    expect(r.payload).toBe('first');
    expect(r.transport).toStrictEqual({ ident: 'kubelet' });
  });

  it('kubelet JSON and other JSON are not journal JSON (and never parsed)', () => {
    const kubelet = '{"ts":1746933999062.943,"caller":"kubelet/kubelet.go:1917","msg":"Trying to delete pod","v":0}';
    expect(splitEnvelope(kubelet)).toStrictEqual({ kind: 'line', envelope: 'none', payload: kubelet, payloadStart: 0 });
    // Broken kubelet JSON is the caller's to judge, not a journal bad-json.
    expect(asLine(splitEnvelope('{"ts":17469339')).envelope).toBe('none');
    // Upper-case keys but no journal fields.
    expect(asLine(splitEnvelope('{"A":1}')).envelope).toBe('none');
  });

  it('json-seq record separator and a byte-order mark are skipped', () => {
    const entry = '{"__REALTIME_TIMESTAMP":"1686149686123456","MESSAGE":"hi"}';
    expect(asLine(splitEnvelope(`\u001e${entry}`)).payload).toBe('hi');
    const bom = asLine(splitEnvelope('\ufeffMay 12 05:20:21 h kubelet[1]: I0512 x'));
    expect(bom.payloadStart).toBe(31);
    expect(bom.payload).toBe('I0512 x');
    const bomNone = asLine(splitEnvelope('\ufeffI0512 05:20:21.594304    2473 util.go:48] x'));
    expect(bomNone.payloadStart).toBe(1);
    expect(bomNone.payload).toBe('I0512 05:20:21.594304    2473 util.go:48] x');
  });

  it('garbage', () => {
    expect(splitEnvelope('\u0000\u0001')).toMatchObject({ kind: 'reject', reason: 'binary' });
    expect(splitEnvelope('I0607 ok\u0007bell')).toMatchObject({ kind: 'reject', reason: 'binary', message: expect.stringContaining('U+0007 at column 9') });
    expect(splitEnvelope('{"__REALTIME_TIMESTAMP":')).toMatchObject({ kind: 'reject', reason: 'bad-json' });
    expect(splitEnvelope('Foo 99 99:99:99 x y: z')).toMatchObject({ kind: 'reject', reason: 'bad-envelope' });
    expect(splitEnvelope('Jun 07 24:00:00 node1 kubelet[1]: x')).toMatchObject({ kind: 'reject', reason: 'bad-envelope' });
    expect(splitEnvelope('Feb 30 10:00:00 node1 kubelet[1]: x')).toMatchObject({ kind: 'reject', reason: 'bad-envelope' });
    // Feb 29 without a year is possible
    expect(asLine(splitEnvelope('Feb 29 10:00:00 node1 kubelet[1]: x')).clock?.day).toBe(29);
    expect(asLine(splitEnvelope('2024-02-29T10:00:00Z node1 kubelet[1]: x')).transport?.timeUs).toBe(Date.UTC(2024, 1, 29, 10) * 1000);
    // epoch µs beyond 2^53 would lose precision: impossible
    expect(splitEnvelope('8023-06-07T14:54:46.5Z node1 kubelet[1]: x')).toMatchObject({ kind: 'reject', reason: 'bad-envelope' });
    expect(splitEnvelope('9999999999.000001 node1 kubelet[1]: x')).toMatchObject({ kind: 'reject', reason: 'bad-envelope' });
    expect(asLine(splitEnvelope('2250-06-07T14:54:46.5Z node1 kubelet[1]: x')).transport?.timeUs).toBe(Date.UTC(2250, 5, 7, 14, 54, 46, 500) * 1000);
    // TAB is text, not binary
    expect(asLine(splitEnvelope('\tkey: value')).envelope).toBe('none');
  });

  it('empty and whitespace-only lines are blank', () => {
    expect(splitEnvelope('')).toStrictEqual({ kind: 'foreign', foreignKind: 'blank' });
    expect(splitEnvelope(' ')).toStrictEqual({ kind: 'foreign', foreignKind: 'blank' });
    expect(splitEnvelope('\t \t')).toStrictEqual({ kind: 'foreign', foreignKind: 'blank' });
  });

  it('markers are recognised only in full', () => {
    expect(asLine(splitEnvelope('-- not a journal marker')).envelope).toBe('none');
    expect(asLine(splitEnvelope('==> kubelet')).envelope).toBe('none');
    expect(asLine(splitEnvelope('Log file rotated')).envelope).toBe('none');
    expect(asLine(splitEnvelope('Binary: something else')).envelope).toBe('none');
  });

  it('a CRI container-log line is not taken for host/tag: its payload follows the stream and tag', () => {
    const line = '2016-10-06T00:17:09.669794202Z stdout P log content 1';
    expect(splitEnvelope(line)).toStrictEqual({
      kind: 'line',
      envelope: 'container',
      transport: { timeUs: 1475713029669794, timeText: '2016-10-06T00:17:09.669794202Z' },
      payload: 'log content 1',
      payloadStart: 40,
      offsetMinutes: 0,
    });
  });

  it('`word: ` prefixes only in front of kubelet JSON or a klog header', () => {
    expect(asLine(splitEnvelope('FLAG: --add-dir-header="false"')).envelope).toBe('none');
    expect(asLine(splitEnvelope('node1: not kubelet')).envelope).toBe('none');
    expect(asLine(splitEnvelope('n1.example.com: E0607 14:54:46.123456    1234 x.go:1] boom')).transport).toStrictEqual({ host: 'n1.example.com' });
  });

  // A guard against super-linear regexes (backtracking over 10 MB takes minutes), not a speed
  // target: the bound is generous so a loaded CI machine cannot fail it.
  it('stays linear on 10 MB lines of every shape', () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const lines = [
      big,
      `Jun 07 14:54:46 node1 kubelet[1]: I0607 ${big}`,
      `Jun 07 14:54:46 ${big}`,
      `Jun 07 14:54:46 ${big} ${big}`,
      `2023-06-07T14:54:46Z ${big}`,
      `1686149686.123456 ${big}`,
      `{"__CURSOR":"${big}`,
      `{"ts":${big}`,
      `==> ${big}`,
      `-- ${big}`,
      `[ 1.000000] ${big}`,
      `${'a'.repeat(10 * 1024 * 1024)}: {"ts":1}`,
      ' '.repeat(10 * 1024 * 1024),
      `${big}\u0000`,
      '\ufeff'.repeat(10 * 1024 * 1024),
      `\u001e{"__CURSOR":${big}`,
    ];
    for (const line of lines) {
      const t0 = performance.now();
      const r = splitEnvelope(line);
      const ms = performance.now() - t0;
      expect(r.kind).toBeDefined();
      expect(ms, `${line.slice(0, 20)}…: ${ms.toFixed(1)} ms`).toBeLessThan(5000);
    }
    expect(asLine(splitEnvelope(lines[1]!)).payloadStart).toBe(34);
    expect(splitEnvelope(lines[13]!)).toMatchObject({ kind: 'reject', reason: 'binary' });
  });

  it('never throws, and a text payload is always the line from payloadStart (fuzz)', () => {
    const pieces = [
      'Jun', ' ', '  ', '07', '8', '1', '14:54:46', '.123456', 'node1', 'kubelet', '[1234]', ':', ': ', '2023-06-07T', '+08:00', '+0000', 'Z',
      '1686149686', '{"', '__REALTIME_TIMESTAMP', '"', '":', 'MESSAGE', '[', ']', '{', '}', ',', '-- ', ' --', '==> ', ' <==', 'I0607 ',
      '\t', '月', 'é', '\u0000', '\ufeff', '\u001e', 'Log file created at: ', '9', 'x', 'sanji', '{"ts":', '-', 'T', '.', '99',
    ];
    const rand = makeRand(12345);
    for (let i = 0; i < 20_000; i++) {
      let line = '';
      const parts = 1 + rand(12);
      for (let k = 0; k < parts; k++) line += pieces[rand(pieces.length)];
      const r = splitEnvelope(line);
      if (r.kind === 'line' && r.payloadStart >= 0 && line.charCodeAt(0) !== 0xfeff && line.charCodeAt(0) !== 0x1e) {
        expect(r.payload).toBe(line.slice(r.payloadStart));
      }
    }
  });
});

describe('isKnownForeignIdent', () => {
  it('knows programs that are never the kubelet', () => {
    for (const ident of ['systemd', 'systemd-udevd', 'systemd-logind', 'dockerd', 'containerd', 'containerd-shim-runc-v2', 'crio', 'kernel', 'sshd', 'CRON', 'cron', 'rsyslogd', 'audit', 'NetworkManager', 'kube-proxy', 'kube-apiserver', 'etcd', '/usr/sbin/cron', 'postfix/smtpd']) {
      expect(isKnownForeignIdent(ident), ident).toBe(true);
    }
  });

  it('does not claim the kubelet or programs that embed it', () => {
    for (const ident of ['kubelet', 'kubelet.sh', 'k3s', 'rke2', 'microshift', 'microk8s.daemon-kubelite', 'hyperkube', 'kubelite', '', 'my-custom-wrapper']) {
      expect(isKnownForeignIdent(ident), ident).toBe(false);
    }
  });

  it('reads its list from schemas/envelopes.json', () => {
    for (const ident of data.knownForeignIdents.exact) expect(isKnownForeignIdent(ident), ident).toBe(true);
  });
});

describe('klogFileHeaderTime', () => {
  it('reads the year-bearing creation time', () => {
    expect(klogFileHeaderTime('Log file created at: 2019/08/20 20:28:26')).toStrictEqual({ year: 2019, month: 8, day: 20, hour: 20, minute: 28, second: 26, micros: 0 });
  });
  it('is undefined for anything else or impossible values', () => {
    expect(klogFileHeaderTime('Running on machine: x')).toBeUndefined();
    expect(klogFileHeaderTime('Log file created at: 2019/13/20 20:28:26')).toBeUndefined();
    expect(klogFileHeaderTime('Log file created at: 2019/02/29 20:28:26')).toBeUndefined();
    expect(klogFileHeaderTime('')).toBeUndefined();
  });
});

describe('splitComponentPrefix', () => {
  it('finds the component in front of a klog header (MicroShift)', () => {
    expect(splitComponentPrefix('kubelet I0128 17:55:40.123456  779521 kubelet.go:2400] "SyncLoop ADD"')).toStrictEqual({ component: 'kubelet', start: 8 });
    expect(splitComponentPrefix('kube-apiserver W0128 17:55:40.123456  779521 x.go:1] y')).toStrictEqual({ component: 'kube-apiserver', start: 15 });
  });
  it('is undefined otherwise', () => {
    expect(splitComponentPrefix('I0128 17:55:40.123456  779521 kubelet.go:2400] x')).toBeUndefined();
    expect(splitComponentPrefix('kubelet started')).toBeUndefined();
    expect(splitComponentPrefix('')).toBeUndefined();
  });
});

describe('syslog as it travels: RFC 5424, and a priority before RFC 3164', () => {
  // sample 08 as rsyslog would have written it with RSYSLOG_SyslogProtocol23Format (the klog time
  // as the syslog timestamp, %msg% with its leading space), and with the forward format kept raw
  const lines = realLines('08-kind-v1.32-journald-structured-verbose-full-pod-lifecycle.log');
  const SYSLOG = /^Mar (\d\d) (\d\d:\d\d:\d\d) (\S+) ([^[]+)\[(\d+)\]: (.*)$/;
  const rfc5424 = lines.map((l) => {
    const m = SYSLOG.exec(l)!;
    const klog = /^[IWEF]\d{4} (\d\d:\d\d:\d\d\.\d{6})/.exec(m[6]!)!;
    return `<30>1 2024-03-${m[1]}T${klog[1]}+00:00 ${m[3]} ${m[4]} ${m[5]} - -  ${m[6]}`;
  });
  const forwarded = lines.map((l) => `<30>${l}`);
  const essence = (text: string) =>
    parseText(text, { year: 2024 }).records.map((r) => [r.line, r.timeUs, r.severity, r.msg, r.kv, r.transport?.host, r.transport?.ident, r.transport?.pid]);

  it('give the records of the original, every line a record', () => {
    const original = essence(lines.join('\n') + '\n');
    expect(original).toHaveLength(67);
    expect(essence(rfc5424.join('\n') + '\n')).toStrictEqual(original);
    expect(essence(forwarded.join('\n') + '\n')).toStrictEqual(original);
  });

  it('an RFC 5424 line states its year and zone: no --year needed', () => {
    const r = parseText(rfc5424.join('\n') + '\n');
    expect(r.records).toHaveLength(67);
    expect(r.records[0]!.timeUs).toBe(Date.UTC(2024, 2, 16, 4, 31, 21, 80) * 1000 + 604);
    expect(new Date(r.records.at(-1)!.timeUs! / 1000).toISOString()).toBe('2024-03-16T04:33:34.143Z');
    expect(r.diagnostics).toEqual([]);
  });
});

describe('k0s: the kubelet logged through logrus (`time="…" level=info msg="…" component=kubelet`)', () => {
  // a sample as `journalctl -u k0sworker` shows it: each kubelet line Go-quoted into a logrus entry
  // of the k0s process, and lines of k0s's other components in between
  const k0s = (file: string): string => {
    const out: string[] = [];
    for (const l of realLines(file)) {
      const m = /^(\w{3} +\d+ \d\d:\d\d:\d\d) (\S+) kubelet\[\d+\]: (.*)$/.exec(l);
      if (!m) {
        out.push(l);
        continue;
      }
      // strconv.Quote and JSON agree on these ASCII lines
      out.push(`${m[1]} ${m[2]} k0s[28890]: time="2024-05-16 00:00:00" level=info msg=${JSON.stringify(m[3])} component=kubelet stream=stderr`);
      out.push(`${m[1]} ${m[2]} k0s[28890]: time="2024-05-16 00:00:00" level=info msg="Reconciling \\"coredns\\"" component=coredns`);
    }
    return out.join('\n') + '\n';
  };
  const essence = (text: string) => parseText(text, { year: 2024 }).records.map((r) => [r.timeUs, r.severity, r.caller, r.msg, r.kv]);

  it.each(['06-aks-journald-structured-liveness-restart.log', '08-kind-v1.32-journald-structured-verbose-full-pod-lifecycle.log'])('%s: the records of the original; the other component is another program', (file) => {
    const original = essence(realLines(file).join('\n') + '\n');
    const wrapped = parseText(k0s(file), { year: 2024 });
    expect(essence(k0s(file))).toStrictEqual(original);
    expect(wrapped.counts.foreignByKind['other-program']).toBe(original.length);
  });

  it('a key=< block across three logrus entries is one record; a component line between does not join it', () => {
    const entry = (msg: string, component = 'kubelet') => `May 16 18:34:24 node-a k0s[999]: time="2024-05-16 18:34:24" level=info msg=${JSON.stringify(msg)} component=${component} stream=stderr`;
    const text = [
      entry('I0516 18:34:24.016104    4052 prober.go:107] "Probe failed" probeType="Liveness" pod="default/liveness-exec" podUID="93e17ecc-ab55-461a-b526-29248d2554ad" probeResult="failure" output=<'),
      entry("        cat: can't open '/tmp/healthy': No such file or directory"),
      entry('time="2024-05-16T18:34:24Z" level=info msg="starting containerd"', 'containerd'),
      entry(' >'),
      entry('I0516 18:34:25.000001    4052 kubelet.go:2407] "SyncLoop (probe)" probe="liveness" status="unhealthy" pod="default/liveness-exec"'),
    ].join('\n');
    const r = parseText(text + '\n', { year: 2024 });
    expect(r.records.map((x) => [x.line, x.endLine, x.msg, x.kv.output ?? null])).toStrictEqual([
      [1, 4, 'Probe failed', "cat: can't open '/tmp/healthy': No such file or directory"],
      [5, 5, 'SyncLoop (probe)', null],
    ]);
    expect(r.foreign.map((f) => [f.line, f.kind])).toStrictEqual([[3, 'other-program']]);
  });
});
