// Each real sample gives the pods a kubelet engineer reading it would name, with the phases its
// lines support, where each boundary comes from, and the incidents it shows. The expectations
// were written from reading the logs (samples/real), line by line, before the model was run.
import { describe, expect, it } from 'vitest';
import { buildLifecycles, type PodLifecycle } from '../lifecycle/model.js';
import type { Phase } from '../lifecycle/phases.js';
import { parseSample } from './helpers/samples.js';

function summary(prefix: string) {
  const r = parseSample(prefix);
  const m = buildLifecycles(r.records, undefined, r.foreign);
  const line = (i: number) => r.records[i]!.line;
  const phase = (ph: Phase) =>
    `${ph.phase} ${line(ph.start.index)}${ph.startBy.evidence === 'log-start' ? '(log-start)' : ''}-${line(ph.end.index)}${ph.open ? `(${ph.endBy.evidence})` : ''}${ph.endBy.by && !ph.open ? ` by ${ph.endBy.by}` : ''}`;
  const pod = (p: PodLifecycle) => ({
    key: p.key,
    name: p.name ? `${p.namespace ?? ''}/${p.name}` : null,
    state: p.state,
    phases: p.phases.map(phase),
    incidents: p.incidents.map((a) => `${a.kind}@${a.evidence.map((e) => line(e.index)).join(',')}`),
  });
  return { m, r, pods: m.pods.map(pod), line };
}

const us = (p: { timeUs?: number }) => p.timeUs!;

describe('pods in the real samples', () => {
  it('08 kind 1.32 (-v≥3, no enter/exit lines): a whole life, its teardown 111 s against a 30 s grace period', () => {
    const { pods, m } = summary('08');
    expect(pods).toEqual([
      {
        key: '4ba4f666-f410-4d32-a8c5-f961e3332096',
        name: 'lws-e2e-thznm/lws-1',
        state: 'finished',
        phases: [
          // SyncLoop ADD → SyncLoop DELETE (the kill decision; `Cancelling current pod sync` follows)
          'sync 1-27 by syncloop-delete',
          // → `Generating pod status podIsTerminal=true`: every container, the sandbox too, has stopped
          'terminating 27-49 by generating-pod-status',
          // → `The pod termination is finished as SyncTerminatedPod completes its execution`
          'terminated 49-63 by status-termination-finished',
        ],
        // the phase 81 s past its grace period, and its container c, stopped 40.1 s after a 30 s kill
        incidents: ['grace-exceeded@27,40'],
      },
    ]);
    const pod = m.pods[0]!;
    const [sync, terminating, terminated] = pod.phases;
    expect(terminating!.gracePeriodS).toBe(30);
    expect(us(terminating!.end) - us(terminating!.start)).toBe(111_035_911);
    expect(us(sync!.end)).toBe(us(terminating!.start));
    expect(us(terminated!.start)).toBe(us(terminating!.end));
    expect(pod.finished).toMatchObject({ line: 65, evidence: 'inferred', by: 'syncloop-remove' });
    expect(pod.incidents[0]!.detail).toBe('terminating took 111.0 s, grace period 30 s (81.0 s over)');
    expect(pod.incidents[0]!.severity).toBe('error');
  });

  it('09 AKS syslog, grep-filtered by container ID: running before the log, killed, its only container exits', () => {
    const { pods } = summary('09');
    expect(pods).toEqual([
      {
        key: '5da5612b-9738-493c-af51-a213072997f6',
        name: 'default/nginx',
        // the containers stopped; no cleanup line made it through the grep
        state: 'terminated',
        phases: ['sync 5(log-start)-6 by killing-container', 'terminating 6-16 by pleg-event'],
        incidents: [],
      },
    ]);
  });

  it('12 admission rejected (TopologyAffinityError): no sync, straight to terminated; the name comes back after REMOVE', () => {
    const { pods, m } = summary('12');
    expect(pods).toEqual([
      {
        key: '563dafa2-77a7-4dab-949e-9dbf079a4a70',
        name: 'vm-cluster-common/vmstorage-common-15',
        state: 'finished',
        phases: ['terminated 34-51 by sync-terminated-pod-exit'],
        // the Warning event, the status patch and the status it set: one rejection
        incidents: ['admission-rejected@15,26,27'],
      },
      // the incarnation before it, seen only as `oldPodUID` and its resource state being dropped
      { key: '5e71a8a1-581b-4be8-84b9-80b507422429', name: null, state: 'orphan', phases: [], incidents: [] },
      // `Receiving a new pod` after the REMOVE: the next incarnation, whose UID the log never states
      {
        key: '~vm-cluster-common/vmstorage-common-15',
        name: 'vm-cluster-common/vmstorage-common-15',
        state: 'running',
        phases: ['sync 61-61(log-end)'],
        incidents: ['recreated-quickly@61'],
      },
    ]);
    expect(m.pods[0]!.incidents[0]!.detail).toBe('TopologyAffinityError: Resources cannot be allocated with Topology locality');
    expect(m.pods[0]!.finished).toMatchObject({ line: 52, evidence: 'exact', by: 'worker-complete' });
  });

  it('10 Talos JSON: three pods starting (admitted or mounting volumes), four orphans cleaned up', () => {
    const { pods } = summary('10');
    expect(pods.map((p) => [p.key, p.name, p.state, p.phases])).toEqual([
      ['ce1710e9-420f-4ef1-8d1a-20616270caea', 'databases/postgres-3', 'running', ['sync 1(log-start)-25(log-end)']],
      ['~kube-system/kube-apiserver-sanji', 'kube-system/kube-apiserver-sanji', 'running', ['sync 6(log-start)-25(log-end)']],
      ['cb71e42e-5680-4360-b0bf-cf1e450bfb20', 'observability/loki-0', 'running', ['sync 7-25(log-end)']],
      ['731f70c3-d6ba-4e87-beed-5f20677393c7', null, 'orphan', []],
      ['87f7d355-9e8e-4142-8b48-44b840c7ad25', null, 'orphan', []],
      ['8e17e6cf-7f21-452b-8710-a91fdc198914', null, 'orphan', []],
      ['b2e7704c-e422-4eed-900b-f8227c638caa', null, 'orphan', []],
      ['4f51db01-8db4-43bd-a815-ca709b7dc737', 'longhorn-system/instance-manager-5d167270ee8aa1e524fab82cfb1790a3', 'running', ['sync 20-25(log-end)']],
    ]);
  });

  it('16 GCE 2020: two pods running when the kubelet dies of SIGABRT 13 minutes after its last line', () => {
    const { pods, m, r } = summary('16');
    // their sync runs to the crash: what became of them after it, this log cannot say
    expect(pods.map((p) => [p.key, p.name, p.state, p.phases])).toEqual([
      ['91dd9964-0a1c-4b87-a916-b21437a1f9f6', 'kube-system/metadata-proxy-v0.1-d6v9s', 'running', ['sync 2(log-start)-8(kubelet-crash)']],
      ['c1ebf0ea-6f0e-43e9-9eec-4788d8628812', 'kube-system/fluentd-gcp-v3.2.0-wjb8t', 'running', ['sync 6(log-start)-8(kubelet-crash)']],
    ]);
    expect(m.kubelets.map((k) => [k.pid, k.end.kind, k.end.signal, k.end.at.line, k.end.crash?.endLine])).toEqual([[1304, 'crash', 'SIGABRT', 8, 47]]);
    expect(m.nodeIncidents.map((i) => [i.kind, i.severity, r.records[i.at.index]!.line, i.detail])).toEqual([
      ['kubelet-crash', 'critical', 8, 'kubelet 1304 crashed: SIGABRT: abort; the log ends'],
    ]);
    // the crash is 13 minutes after the last PLEG line
    expect(us(m.pods[0]!.phases[0]!.end) - us(r.records[6]!)).toBe(777_473_943);
  });

  it('17 microk8s: an ingress controller that cannot pull its image: one incident, two back-off lines', () => {
    const { pods, m } = summary('17');
    expect(pods).toEqual([
      {
        key: 'dc90cffa-2d5f-4dd2-82dd-0cd71f6f0e3a',
        name: 'ingress/nginx-ingress-microk8s-controller-6f5rn',
        state: 'running',
        phases: ['sync 2(log-start)-8(log-end)'],
        incidents: ['image-pull-failed@2,8'],
      },
    ]);
    expect(m.pods[0]!.incidents[0]).toMatchObject({ subject: 'registry.k8s.io/ingress-nginx/controller:v1.8.0', severity: 'error', lines: 2 });
  });

  it('02 GCE 1.18 printf: a static pod, its mirror (no worker, no phases), and two DaemonSet pods starting', () => {
    const { pods, m } = summary('02');
    expect(pods.map((p) => [p.key, p.name, p.state, p.phases])).toEqual([
      ['2b5a92651754a304649e3cc5de130d56', 'kube-system/kube-proxy-e2e-big-minion-group-wfls', 'running', ['sync 1-51(log-end)']],
      ['e122c82b-c004-4b2f-bf90-77bc3b2bf4d9', 'kube-system/kube-proxy-e2e-big-minion-group-wfls', 'mirror', []],
      ['c1ebf0ea-6f0e-43e9-9eec-4788d8628812', 'kube-system/fluentd-gcp-v3.2.0-wjb8t', 'running', ['sync 40-51(log-end)']],
      ['91dd9964-0a1c-4b87-a916-b21437a1f9f6', 'kube-system/metadata-proxy-v0.1-d6v9s', 'running', ['sync 44-51(log-end)']],
    ]);
    // a static pod and its mirror share the name while both live: no re-creation
    expect(pods.flatMap((p) => p.incidents)).toEqual([]);
    expect(m.pods[0]!.static).toBe(true);
    expect(m.pods[1]!.mirrorOf).toBe('2b5a92651754a304649e3cc5de130d56');
  });

  it('03 Talos JSON: two pods stuck on CSI mounts: one incident each, with every volume it waits on', () => {
    const { pods, m } = summary('03');
    // the volume operations name the pod in their error; `Error syncing pod … unmounted volumes=[…]` is the same wait
    expect(pods.map((p) => [p.name, p.state, p.phases, p.incidents])).toEqual([
      ['downloads/sonarr-56449fd8d-rg9jx', 'running', ['sync 1(log-start)-14(log-end)'], ['mount-failed@1,5,7,10']],
      ['downloads/bazarr-59476f74b8-dl55v', 'running', ['sync 2(log-start)-14(log-end)'], ['mount-failed@2,4,12']],
    ]);
    expect(m.pods.map((p) => p.incidents[0]!.subject)).toEqual([
      'pvc-20349b2e-7d88-453c-84e0-8b14610f884c, downloads, media, pvc-8e721f37-c4d7-4c80-a960-831015cf7602',
      'movies, tv, pvc-6d97f29d-013b-45d2-90ef-bfa5d3733458',
    ]);
  });

  it('05 RKE 1.19: the ingress Job pod runs, its container exits, its volumes are torn down; four pods wait for the node’s CNI', () => {
    const { pods } = summary('05');
    const job = pods.find((p) => p.key === 'e9e05afc-31c4-4ab9-9bc9-423b9fa3a494')!;
    expect(job).toEqual({
      key: 'e9e05afc-31c4-4ab9-9bc9-423b9fa3a494',
      name: 'kube-system/rke-ingress-controller-deploy-job-zj5t6',
      state: 'finished',
      // no kill: the Job's container exited (ContainerDied), then its volumes were unmounted
      phases: ['sync 1-34 by pleg-event', 'terminating 34-40 by volume-unmount-started', 'terminated 40-46 by volume-detached'],
      incidents: [],
    });
    // the pods that cannot start for want of the node's CNI network: one incident each, all lines.
    // `Error syncing pod … network is not ready` comes from syncPod's running path: the pod is in
    // sync, from its ADD (or from before the log began) until the log ends
    expect(pods.filter((p) => p.incidents.length > 0).map((p) => [p.name, p.state, p.phases, p.incidents])).toEqual([
      ['kube-system/coredns-autoscaler-79599b9dc6-t89nc', 'running', ['sync 5(log-start)-46(log-end)'], ['node-not-ready@5,32']],
      ['kube-system/coredns-6f85d5fb88-flfvm', 'running', ['sync 13(log-start)-46(log-end)'], ['node-not-ready@13']],
      ['kube-system/metrics-server-8449844bf-s2dtd', 'running', ['sync 14(log-start)-46(log-end)'], ['node-not-ready@14']],
      ['ingress-nginx/default-http-backend-65dd5949d9-nw25s', 'running', ['sync 20-46(log-end)'], ['node-not-ready@23']],
    ]);
    // the printf-era line has its error formatted in: the detail says it once
    const autoscaler = summary('05').m.pods.find((p) => p.name === 'coredns-autoscaler-79599b9dc6-t89nc')!;
    expect(autoscaler.incidents[0]!.detail.match(/network is not ready/g)).toHaveLength(1);
  });

  it('06 AKS: three liveness failures and the kill that restarts the container are one incident; the pod keeps running', () => {
    const { pods } = summary('06');
    expect(pods).toEqual([
      {
        key: '93e17ecc-ab55-461a-b526-29248d2554ad',
        name: 'default/liveness-exec',
        state: 'running',
        phases: ['sync 1-12(log-end)'],
        incidents: ['probe-restart@5,6,7,10'],
      },
    ]);
  });

  it('01 OpenShift: the static kube-apiserver pod torn down and started again under its manifest UID', () => {
    const { pods, m } = summary('01');
    expect(pods).toEqual([
      {
        key: 'ff65247ea05be15c0a91c68614f48949',
        name: 'openshift-kube-apiserver/bootstrap-kube-apiserver-localhost.localdomain',
        state: 'running',
        // the log begins with its volumes being unmounted; then they are verified and mounted again
        phases: ['terminated 1(log-start)-19 by volume-detached', 'sync 45-82(log-end)'],
        incidents: [],
      },
    ]);
    expect(m.pods[0]!.static).toBe(true);
  });

  it('13 kubeadm 1.26: nginx starting (ADD at line 1), and a deleted pod whose CPU state is cleaned up', () => {
    const { pods } = summary('13');
    expect(pods.map((p) => [p.key, p.name, p.state, p.phases])).toEqual([
      ['d054e76b-1d9b-4788-9fc7-b35165ab02fb', 'default/nginx-cb8956d5f-c5zh8', 'running', ['sync 1-12(log-end)']],
      ['2e6143f6-fb20-4707-8497-5613b46f6292', null, 'orphan', []],
    ]);
  });

  it('07 kind 1.31, filtered: two pytorch pods, their volumes unmounted without a kill in the log; an orphaned volume dir', () => {
    const { pods } = summary('07');
    expect(pods.map((p) => [p.key, p.name, p.state, p.phases])).toEqual([
      ['db7f7520-c7b0-49bf-b701-51df87cb2f9c', 'e2e-tas-pytorchjob-qbdbb/ranks-pytorch-master-0', 'finished', ['sync 1(log-start)-5 by volume-unmount-started', 'terminated 5-7 by volume-detached']],
      ['47d51763-7a7e-4457-88e7-a0851195e144', 'e2e-tas-pytorchjob-qbdbb/ranks-pytorch-worker-0', 'finished', ['sync 2(log-start)-13 by volume-unmount-started', 'terminated 13-15 by volume-detached']],
      ['e48fa20d-231b-4838-9826-068064b8f7c9', null, 'orphan', []],
    ]);
  });

  it('04 Talos JSON, apiserver outage: mirror pods the kubelet cannot delete, pods whose token volumes cannot be mounted', () => {
    const { pods } = summary('04');
    expect(pods.map((p) => [p.key, p.name, p.state, p.phases, p.incidents])).toEqual([
      ['3b1481fb-4a56-4849-96b6-9ce88300674c', 'kube-system/kube-apiserver-sanji', 'mirror', [], []],
      ['1dbc23b3-d87c-4ddb-b3b5-687549bf1422', 'kube-system/kube-scheduler-sanji', 'mirror', [], []],
      ['48e63084-232e-4730-8b37-dd5b12c2937a', null, 'running', ['sync 10(log-start)-23(log-end)'], ['mount-failed@10']],
      ['28dc3225-2457-4e9e-8771-f6f7b9aaa869', null, 'running', ['sync 13(log-start)-23(log-end)'], ['mount-failed@13']],
      ['8e17e6cf-7f21-452b-8710-a91fdc198914', 'observability/loki-0', 'unknown', [], ['status-failed@16']],
      ['dcf91c6f-01ce-466f-aa65-c05838d62e80', 'kube-system/kube-controller-manager-sanji', 'mirror', [], []],
    ]);
  });

  it('15 Windows 1.17 printf, -v≥4: a CSI node pod whose container is being started; its first line is the container ref that names it', () => {
    // L2 finishes an image pull already under way, L3 `Generating ref for container` names the pod in a
    // Go ObjectReference, the Created/Started events and PLEG follow, then one sync pass (L28-L31)
    const { pods } = summary('15');
    expect(pods).toEqual([
      {
        key: '0ac7a38c-74bc-4d23-ae50-2576492537e0',
        name: 'gcp-filestore-csi-driver/gcp-filestore-csi-node-glfr9',
        state: 'running',
        phases: ['sync 3(log-start)-33(log-end)'],
        incidents: [],
      },
    ]);
  });

  it('20 CentOS 2018: a pod whose volumes are torn down after helm delete; another whose probes lost their container', () => {
    const { pods } = summary('20');
    expect(pods.map((p) => [p.key, p.name, p.state, p.phases])).toEqual([
      ['21044e6b-6a36-11e8-a0e1-525400bcf250', 'default/hopping-meerkat-monocular-api-7477d54ff8-pr6df', 'unknown', []],
      ['9f91a241-6a36-11e8-a0e1-525400bcf250', 'default/cautious-leopard-nginx-ingress-default-backend-7b6f5b895d-7wnb6', 'finished', ['terminated 10(log-start)-19 by volume-detached']],
    ]);
  });

  it('logs without pod lines give no pods: 11 (apiserver unreachable), 14 (flags), 18 (k3s apiserver), 19, 21', () => {
    for (const s of ['11', '14', '18', '19', '21']) expect(summary(s).pods, s).toEqual([]);
  });
});

describe('the kubelet and the node in the real samples', () => {
  it('05 RKE: the CNI network is not ready for the four pods’ 2 s: one node incident over five lines', () => {
    const { m, line } = summary('05');
    expect(m.nodeIncidents.map((i) => [i.kind, line(i.at.index), i.lines])).toEqual([['node-not-ready', 5, 5]]);
    expect(m.nodeIncidents[0]!.detail).toMatch(/^network-not-ready for 2\.0 s \(5 lines\): /);
  });

  it('11 journalctl -r: kubelet v1.5.2 started (its last lines); its runtime was down', () => {
    const { m, line } = summary('11');
    expect(m.kubelets.map((k) => [k.pid, k.version, k.newestFirst, k.start?.at.line, k.end.kind])).toEqual([[1334, 'v1.5.2', true, 30, 'log-end']]);
    expect(m.nodeIncidents.map((i) => [i.kind, line(i.at.index)])).toEqual([['node-not-ready', 21]]);
  });

  it('21 a kubelet start: systemd starts the unit, the deprecation lines and the flag dump follow', () => {
    const { m } = summary('21');
    expect(m.kubelets.map((k) => [k.pid, k.start?.at.line, k.start?.evidence.map((e) => e.kind), k.end.kind])).toEqual([[1304, 2, ['systemd-started', 'flag-deprecated', 'flags'], 'log-end']]);
    expect(m.nodeIncidents).toEqual([]);
  });

  it('every other sample is one kubelet process running to the end of its log, with no node incident', () => {
    for (const s of ['00', '01', '02', '03', '04', '06', '07', '08', '09', '10', '12', '13', '14', '15', '17', '19', '20']) {
      const { m } = summary(s);
      expect(m.kubelets.map((k) => k.end.kind), s).toEqual(['log-end']);
      expect(m.nodeIncidents, s).toEqual([]);
    }
  });
});
