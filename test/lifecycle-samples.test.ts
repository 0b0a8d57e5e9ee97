// Each real sample gives the pods a person reading it would name, with the phases it can support.
import { describe, expect, it } from 'vitest';
import { buildLifecycles } from '../lifecycle/model.js';
import { parseSample } from './helpers/samples.js';

function summary(prefix: string) {
  const r = parseSample(prefix);
  const m = buildLifecycles(r.records);
  const line = (i: number) => r.records[i]!.line;
  return {
    m,
    pods: m.pods.map((p) => ({
      uid: p.uid,
      name: p.name ? `${p.namespace ?? ''}/${p.name}` : null,
      phases: p.phases.map((ph) => `${ph.phase} ${ph.start.line}-${ph.end?.line ?? (ph.open ? 'open' : '?')} ${ph.evidence}`),
      anomalies: p.anomalies.map((a) => `${a.kind}@${line(a.at.index)}`),
    })),
  };
}

describe('pods in the real samples', () => {
  it('02 GCE 1.18 printf: a static pod, its mirror, and two DaemonSet pods starting (inferred sync)', () => {
    const { pods } = summary('02');
    expect(pods.map((p) => [p.uid, p.name, p.phases])).toEqual([
      ['2b5a92651754a304649e3cc5de130d56', 'kube-system/kube-proxy-e2e-big-minion-group-wfls', ['sync 1-open inferred']],
      ['e122c82b-c004-4b2f-bf90-77bc3b2bf4d9', 'kube-system/kube-proxy-e2e-big-minion-group-wfls', ['sync 24-open inferred']],
      ['c1ebf0ea-6f0e-43e9-9eec-4788d8628812', 'kube-system/fluentd-gcp-v3.2.0-wjb8t', ['sync 40-open inferred']],
      ['91dd9964-0a1c-4b87-a916-b21437a1f9f6', 'kube-system/metadata-proxy-v0.1-d6v9s', ['sync 44-open inferred']],
    ]);
    // a static pod and its mirror share the name while both live: no re-creation
    expect(pods.flatMap((p) => p.anomalies)).toEqual([]);
    const { m } = summary('02');
    expect(m.pods[0]!.static).toBe(true);
    expect(m.pods[1]!.mirrorOf).toBe('2b5a92651754a304649e3cc5de130d56');
  });

  it('03 Talos JSON: two pods stuck on CSI mounts, with their Error syncing pod lines', () => {
    const { pods } = summary('03');
    expect(pods.map((p) => [p.name, p.anomalies])).toEqual([
      ['downloads/sonarr-56449fd8d-rg9jx', ['sync-error@5']],
      ['downloads/bazarr-59476f74b8-dl55v', ['sync-error@2', 'sync-error@12']],
    ]);
  });

  it('05 RKE 1.19: the ingress Job pod runs, its container exits, its volumes are torn down', () => {
    const { pods } = summary('05');
    const job = pods.find((p) => p.uid === 'e9e05afc-31c4-4ab9-9bc9-423b9fa3a494')!;
    expect(job.name).toBe('kube-system/rke-ingress-controller-deploy-job-zj5t6');
    expect(job.phases).toEqual(['sync 1-34 inferred', 'terminating 34-40 inferred', 'terminated 40-46 inferred']);
    // the pods that cannot start for want of a CNI network
    expect(pods.filter((p) => p.anomalies.some((a) => a.startsWith('sync-error'))).map((p) => p.name)).toEqual([
      'kube-system/coredns-autoscaler-79599b9dc6-t89nc',
      'kube-system/coredns-6f85d5fb88-flfvm',
      'kube-system/metrics-server-8449844bf-s2dtd',
      'ingress-nginx/default-http-backend-65dd5949d9-nw25s',
    ]);
  });

  it('06 AKS: liveness failures restart the container; the pod keeps running', () => {
    const { pods } = summary('06');
    expect(pods).toEqual([
      {
        uid: '93e17ecc-ab55-461a-b526-29248d2554ad',
        name: 'default/liveness-exec',
        phases: ['sync 1-open inferred'],
        anomalies: ['probe-failed@5', 'probe-failed@6', 'probe-failed@7', 'probe-restart@10'],
      },
    ]);
  });

  it('01 OpenShift: the static kube-apiserver pod, known by its 32-hex UID', () => {
    const { pods, m } = summary('01');
    expect(pods.map((p) => [p.uid, p.name])).toEqual([['ff65247ea05be15c0a91c68614f48949', 'openshift-kube-apiserver/bootstrap-kube-apiserver-localhost.localdomain']]);
    expect(m.pods[0]!.static).toBe(true);
  });

  it('13 kubeadm 1.26: nginx starting (ADD at line 1), and a deleted pod whose CPU state is cleaned up', () => {
    const { pods } = summary('13');
    expect(pods.map((p) => [p.uid, p.name, p.phases])).toEqual([
      ['d054e76b-1d9b-4788-9fc7-b35165ab02fb', 'default/nginx-cb8956d5f-c5zh8', ['sync 1-open inferred']],
      ['2e6143f6-fb20-4707-8497-5613b46f6292', null, []],
    ]);
  });

  it('07 kind 1.31: the two pytorch pods and an orphaned volume dir', () => {
    expect(summary('07').pods.map((p) => [p.uid, p.name])).toEqual([
      ['db7f7520-c7b0-49bf-b701-51df87cb2f9c', 'e2e-tas-pytorchjob-qbdbb/ranks-pytorch-master-0'],
      ['47d51763-7a7e-4457-88e7-a0851195e144', 'e2e-tas-pytorchjob-qbdbb/ranks-pytorch-worker-0'],
      ['e48fa20d-231b-4838-9826-068064b8f7c9', null],
    ]);
  });

  it('logs without pod lines give no pods: 11 (apiserver unreachable), 14 (flags), 18 (k3s apiserver), 19, 21', () => {
    for (const s of ['11', '14', '18', '19', '21']) expect(summary(s).pods, s).toEqual([]);
  });
});
