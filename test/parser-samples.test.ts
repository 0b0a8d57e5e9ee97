// The grammar on every real sample: exact records on chosen lines, and the line accounting.
import { describe, expect, it } from 'vitest';
import { iso, parseSample, realSamples, recordAt } from './helpers/samples.js';

const UID = '4f3761db-ee39-4974-a2cc-9bf0a48e5c13';
const POD = 'default/nginx-deployment-9456bbbf9-cvrr7';

describe('every real sample', () => {
  it.each(realSamples())('%s: parses with every line accounted for', (name) => {
    const r = parseSample(name.slice(0, 2));
    const c = r.counts;
    expect(c.linesRead).toBe(c.recordLines + c.foreign + c.rejected);
    expect(r.records.reduce((n, x) => n + (x.endLine - x.line + 1), 0)).toBeGreaterThanOrEqual(c.recordLines);
    expect(c.rejected).toBe(0);
    expect(r.records.length).toBe(c.records);
  });

  it('counts per sample are what a reader of the files sees', () => {
    const summary = Object.fromEntries(
      realSamples().map((n) => {
        const c = parseSample(n.slice(0, 2)).counts;
        return [n.slice(0, 2), [c.linesRead, c.records, c.recordLines, c.foreign]];
      }),
    );
    expect(summary).toEqual({
      '00': [147, 69, 129, 18], // one 61-line record (pretty JSON patch), 18 blank separators
      '01': [82, 82, 82, 0],
      '02': [51, 50, 51, 0], // line 26 continues the aws_credentials.go record
      '03': [14, 14, 14, 0],
      '04': [23, 23, 23, 0],
      '05': [46, 46, 46, 0],
      '06': [12, 11, 11, 1], // the author's `..` line
      '07': [15, 15, 15, 0],
      '08': [67, 67, 67, 0],
      '09': [23, 8, 8, 15], // grep of /var/log/syslog: containerd and systemd lines are foreign
      '10': [25, 25, 25, 0],
      '11': [30, 30, 30, 0],
      '12': [61, 61, 61, 0],
      '13': [12, 12, 12, 0],
      '14': [18, 14, 14, 4], // the 4-line klog file header
      '15': [33, 33, 33, 0],
      '16': [47, 8, 47, 0], // 7 klog records, then the SIGABRT goroutine dump of lines 8-47 as one crash record
      '17': [10, 2, 2, 8], // systemd mount-unit lines between the two kubelite lines
      '18': [10, 10, 10, 0],
      '19': [10, 8, 8, 2], // `==> kubelet <==` and `-- Logs begin at … --`
      '20': [31, 21, 21, 10], // dockerd and systemd-udevd lines in /var/log/messages
      '21': [12, 10, 10, 2], // journal marker and systemd's own line
    });
  });
});

describe('00 design-notes teardown trace (header-less klog, 1.23)', () => {
  const r = parseSample('00');

  it('reads header-less structured lines, with or without a leading space', () => {
    expect(recordAt(r, 1)).toMatchObject({ format: 'headerless', envelope: 'none', msg: 'SyncLoop DELETE', structured: true, kv: { source: 'api', pods: [POD] } });
    expect(recordAt(r, 5)).toMatchObject({ msg: 'syncTerminatingPod enter', kv: { pod: POD, podUID: UID } });
    expect(recordAt(r, 3).kv).toEqual({ pod: POD, podUID: UID, updateType: 1 });
    expect(recordAt(r, 8).kv).toEqual({ pod: POD, podUID: UID, gracePeriod: 30 });
    expect(recordAt(r, 147)).toMatchObject({ msg: 'syncTerminatingPod exit', line: 147, endLine: 147 });
  });

  it('keeps a header-less printf line as its own record, with catalogue key/values', () => {
    const rec = recordAt(r, 15);
    expect(rec.structured).toBe(false);
    expect(rec.printf).toBe('cadvisor-destroyed');
    expect(rec.kv.cgroup).toBe(
      '/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod4f3761db_ee39_4974_a2cc_9bf0a48e5c13.slice/docker-dc18bc33e7914de8b6db57585ce56f2fbbb36c8deab970d5d0014f882ce1748c.scope',
    );
    expect(rec.kv.aliases).toEqual([
      `k8s_nginx_nginx-deployment-9456bbbf9-cvrr7_default_${UID}_0`,
      'dc18bc33e7914de8b6db57585ce56f2fbbb36c8deab970d5d0014f882ce1748c',
    ]);
  });

  it('reads Go %+v structs (era A) into objects', () => {
    expect(recordAt(r, 18).kv.podSandboxID).toEqual({ Type: 'docker', ID: 'df89af7490d2456a7698b2773e44f08eb593c27319080676a6a27811e95d800a' });
    expect(recordAt(r, 38).kv.event).toEqual({ ID: UID, Type: 'ContainerDied', Data: 'dc18bc33e7914de8b6db57585ce56f2fbbb36c8deab970d5d0014f882ce1748c' });
    const status = recordAt(r, 122).kv.status as Record<string, unknown>;
    expect(status.Phase).toBe('Running');
    expect(status.QOSClass).toBe('BestEffort');
    expect((status.Conditions as unknown[]).length).toBe(4);
    expect((status.Conditions as Record<string, unknown>[])[1]).toEqual({
      Type: 'Ready',
      Status: 'False',
      LastProbeTime: '0001-01-01 00:00:00 +0000 UTC',
      LastTransitionTime: '2024-06-07 14:54:47 +0800 CST',
      Reason: 'ContainersNotReady',
      Message: 'containers with unready status: [nginx]',
    });
  });

  it('joins the multi-line JSON patch (blank lines inside) into one record with a JSON value', () => {
    const rec = recordAt(r, 56);
    expect(rec.endLine).toBe(116);
    expect(rec.msg).toBe('Patch status for pod');
    const patch = rec.kv.patch as { metadata: { uid: string }; status: { containerStatuses: { state: { terminated: { exitCode: number } } }[] } };
    expect(patch.metadata.uid).toBe(UID);
    expect(patch.status.containerStatuses[0]!.state.terminated.exitCode).toBe(0);
    expect(r.diagnostics).toEqual([]);
  });

  it('reads err first on the Kill container failed line', () => {
    const rec = recordAt(r, 146);
    expect(Object.keys(rec.kv)[0]).toBe('err');
    expect(rec.kv.err).toBe('rpc error: code = Unknown desc = Error response from daemon: No such container: dc18bc33e7914de8b6db57585ce56f2fbbb36c8deab970d5d0014f882ce1748c');
    expect(rec.kv.containerName).toBe('nginx');
  });
});

describe('journald / rsyslog prefixed klog', () => {
  it('01 OpenShift kubelet.sh: transport, era-C JSON event, exit codes', () => {
    const r = parseSample('01');
    const first = recordAt(r, 1);
    expect(first.transport).toMatchObject({ host: 'api-int.ite-ocp.ite.local', ident: 'kubelet.sh', pid: 2473, timeText: 'May 12 05:20:21' });
    expect(first).toMatchObject({ severity: 'I', pid: 2473, caller: 'util.go:48', klogTime: '0512 05:20:21.594304' });
    expect(iso(first.timeUs)).toBe('2024-05-12T05:20:21.594304Z');
    expect(recordAt(r, 20).kv).toEqual({ podID: 'ff65247ea05be15c0a91c68614f48949', containerID: 'c02fe45afbf0bae7a32c04c5ff412df129acf8e3456f6e57b73c8e49c2c18bdd', exitCode: 0 });
    const pleg = recordAt(r, 21);
    expect(pleg.msg).toBe('SyncLoop (PLEG): event for pod');
    expect(pleg.kv.event).toMatchObject({ ID: 'ff65247ea05be15c0a91c68614f48949', Type: 'ContainerDied' });
  });

  it('02 GCE 2020: printf SyncLoop ADD and a header-less continuation line', () => {
    const r = parseSample('02');
    const add = recordAt(r, 24);
    expect(add.printf).toBe('syncloop-add');
    expect(add.kv).toEqual({ source: 'api', pods: 'kube-proxy-e2e-big-minion-group-wfls_kube-system(e122c82b-c004-4b2f-bf90-77bc3b2bf4d9)' });
    const aws = recordAt(r, 25);
    expect(aws.endLine).toBe(26);
    expect(aws.severity).toBe('E');
    expect(aws.msg).toBe(
      'while getting AWS credentials NoCredentialProviders: no valid providers in chain. Deprecated.\n        For verbose messaging see aws.Config.CredentialsChainVerboseErrors',
    );
  });

  it('06 AKS: a `key=<` block cut by the author is reported, the `..` line kept as foreign', () => {
    const r = parseSample('06');
    expect(r.foreign).toMatchObject([{ line: 2, kind: 'text', text: '..' }]);
    const probe = recordAt(r, 5);
    expect(probe.kv).toEqual({
      probeType: 'Liveness',
      pod: 'default/liveness-exec',
      podUID: '93e17ecc-ab55-461a-b526-29248d2554ad',
      containerName: 'liveness',
      probeResult: 'failure',
      output: '',
    });
    expect(r.diagnostics.filter((d) => d.code === 'unclosed-block').map((d) => d.line)).toEqual([5, 6, 7]);
    expect(recordAt(r, 3).kv.event).toEqual({ ID: '93e17ecc-ab55-461a-b526-29248d2554ad', Type: 'ContainerStarted', Data: '05657a9c673d612aedd955a65136ccca36b82ba987831de7844cdc0238f1d707' });
    expect(recordAt(r, 4).kv.podStartSLOduration).toBe(2.066691337);
  });

  it('07 kind: the line cut in the middle of the message is a record with a diagnostic', () => {
    const r = parseSample('07');
    const cut = recordAt(r, 15);
    expect(cut.msg.startsWith('Volume detached for volume "kube-api-access-8j7zc" (UniqueName: "kubernetes.io/projected/47d51763')).toBe(true);
    expect(r.diagnostics).toMatchObject([{ line: 15, code: 'unterminated-string', level: 'warning' }]);
  });

  it('11 journalctl -r (reverse order): every record keeps its year', () => {
    const r = parseSample('11', { year: 2017 });
    const times = r.records.map((x) => x.timeUs!);
    expect(iso(times[0])).toBe('2017-11-03T13:31:45.565316Z');
    expect(iso(times[times.length - 1])).toBe('2017-11-03T13:31:44.327379Z');
    expect(times.every((t) => iso(t)!.startsWith('2017-11-03'))).toBe(true);
    expect(recordAt(r, 30).msg).toBe('Started kubelet v1.5.2');
  });

  it('13 kubeadm 1.26: era-B quoted pods list, Go struct event, a CST zone given by --tz', () => {
    const r = parseSample('13', { year: 2024, tz: '+08:00' });
    expect(recordAt(r, 1).kv).toEqual({ source: 'api', pods: '[default/nginx-cb8956d5f-c5zh8]' });
    expect(recordAt(r, 2).kv).toEqual({ podUID: 'd054e76b-1d9b-4788-9fc7-b35165ab02fb', podNamespace: 'default', podName: 'nginx-cb8956d5f-c5zh8' });
    const pleg = recordAt(r, 10);
    expect(pleg.kv.event).toEqual({ ID: 'd054e76b-1d9b-4788-9fc7-b35165ab02fb', Type: 'ContainerStarted', Data: '007c2d8915cce53c32d6c4e3b1496fe80441e7a0abbbb3baa4802c7e14cd61f6' });
    expect(iso(pleg.timeUs)).toBe('2024-04-17T11:46:20.280279Z');
    expect(r.diagnostics).toMatchObject([{ line: 12, code: 'unexpected-text', message: 'unexpected text after a value: exit' }]);
  });

  it('18 k3s: apiserver klog lines are records (the lifecycle layer ignores their messages)', () => {
    const r = parseSample('18');
    expect(recordAt(r, 8)).toMatchObject({ caller: 'alloc.go:330', msg: 'allocated clusterIPs', kv: { service: 'default/kubernetes', clusterIPs: { IPv4: '10.43.0.1' } } });
    expect(recordAt(r, 8).transport).toMatchObject({ ident: 'k3s', pid: 699204 });
  });

  it('20 CentOS /var/log/messages: no pid in the tag; dockerd and udevd lines are foreign (and date it: 2018, +08:00)', () => {
    const r = parseSample('20', { fallbackYear: 2026 });
    expect(recordAt(r, 1).transport).toEqual({ host: 'node1', ident: 'kubelet', timeText: 'Jun  8 09:34:01', timeUs: Date.UTC(2018, 5, 8, 1, 34, 1) * 1000 });
    expect(recordAt(r, 1)).toMatchObject({ severity: 'W', pid: 6698, caller: 'iscsi_util.go:353' });
    expect(r.foreign.map((f) => f.transport?.ident)).toEqual(expect.arrayContaining(['dockerd', 'systemd-udevd']));
    expect(r.foreign.every((f) => f.kind === 'other-program')).toBe(true);
  });

  it('21 kubelet start boundary: plain kubelet stderr lines are text records; the journal marker dates them', () => {
    const r = parseSample('21', { fallbackYear: 2026 });
    const flag = recordAt(r, 3);
    expect(flag.format).toBe('text');
    expect(flag.msg.startsWith('Flag --enable-debugging-handlers has been deprecated')).toBe(true);
    expect(iso(flag.timeUs)).toBe('2020-03-25T12:13:43.000000Z');
    expect(r.foreign.map((f) => f.kind)).toEqual(['journal-marker', 'other-program']);
  });
});

describe('kubelet JSON logs', () => {
  it('03 Talos: `node: ` prefix, epoch-ms ts, error lines without v', () => {
    const r = parseSample('03');
    const rec = recordAt(r, 2);
    expect(rec).toMatchObject({ envelope: 'prefix', format: 'json', severity: 'E', caller: 'kubelet/pod_workers.go:1298', msg: 'Error syncing pod, skipping' });
    expect(rec.transport).toEqual({ host: 'sanji' });
    expect(rec.kv).toEqual({
      pod: { name: 'bazarr-59476f74b8-dl55v', namespace: 'downloads' },
      podUID: '54e14ca6-39ac-4b73-a39a-bafb21f1eb92',
      err: 'unmounted volumes=[movies tv], unattached volumes=[], failed to process volumes=[]: context deadline exceeded',
    });
    expect(rec.timeUs).toBe(1746793592062812);
    expect(rec.v).toBeUndefined();
  });

  it('04 Talos: info lines carry v, pods as {name, namespace}', () => {
    const r = parseSample('04');
    const rec = recordAt(r, 1);
    expect(rec).toMatchObject({ severity: 'I', v: 0, msg: 'Trying to delete pod', kv: { pod: { name: 'kube-apiserver-sanji', namespace: 'kube-system' }, podUID: '3b1481fb-4a56-4849-96b6-9ce88300674c' } });
  });
});

describe('bare klog files', () => {
  it('05 RKE docker logs: printf era with catalogue key/values', () => {
    const r = parseSample('05');
    expect(recordAt(r, 1)).toMatchObject({ envelope: 'none', format: 'klog', printf: 'syncloop-add', kv: { source: 'api', pods: 'rke-ingress-controller-deploy-job-zj5t6_kube-system(e9e05afc-31c4-4ab9-9bc9-423b9fa3a494)' } });
    expect(recordAt(r, 5)).toMatchObject({ severity: 'E', printf: 'error-syncing-pod', kv: { podUID: '22737298-ae68-4f77-b66a-a47a180fe89e' } });
    expect(iso(recordAt(r, 1).timeUs)).toBe('2024-01-20T11:42:42.373494Z');
  });

  it('14 klog log file: the header is foreign; --year beats its year, which is reported as a conflict', () => {
    const r = parseSample('14', { year: 2024 });
    expect(r.diagnostics.filter((d) => d.code === 'time-conflict')).toEqual([
      { level: 'warning', code: 'time-conflict', line: 1, message: 'the log says year 2019 here (klog-file-header); 2024 is given by --year' },
    ]);
    expect(r.foreign.map((f) => [f.line, f.kind])).toEqual([
      [1, 'klog-file-header'],
      [2, 'klog-file-header'],
      [3, 'klog-file-header'],
      [4, 'klog-file-header'],
    ]);
    const flag = recordAt(r, 17);
    expect(iso(flag.timeUs)).toBe('2024-08-20T20:28:26.509526Z');
    expect(flag.msg).toBe('FLAG: --bootstrap-kubeconfig="C:\\\\etc\\\\kubernetes\\\\kubelet.bootstrap-kubeconfig"');
  });

  it('15 Windows v1.17 verbose log: old-format event line stays printf text', () => {
    const r = parseSample('15');
    const ev = recordAt(r, 5);
    expect(ev.structured).toBe(false);
    expect(ev.caller).toBe('event.go:255');
    expect(ev.msg.endsWith(`reason: 'Pulled' Successfully pulled image "gcr.io/alexion/csi-node-driver-registrar:1809"`)).toBe(true);
  });

  it('19 minikube logs: the section header and journal marker are foreign; the marker gives the year', () => {
    const r = parseSample('19', { fallbackYear: 2026 });
    expect(r.foreign.map((f) => f.kind)).toEqual(['section-marker', 'journal-marker']);
    expect(iso(recordAt(r, 10).timeUs)).toBe('2020-05-19T12:00:09.558492Z');
  });
});
