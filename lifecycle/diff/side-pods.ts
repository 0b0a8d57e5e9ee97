// Who a pod is across the two sides of a diff, the order a side gives its pods in, and a side's
// pods held in memory (a test's, or any caller that has them as a list; a database side reads its
// own: pipeline/diff-side.ts).
import type { DiffSide, PodIdentity, SidePod } from './types.js';

/**
 * Who a pod is across the two sides: its UID; a pod the log never gave a UID is only the same pod
 * on the same node (two nodes' `kube-proxy` of a DaemonSet share a name, never a life).
 */
export const podIdentity = (p: PodIdentity): string => p.uid ?? `${p.node ?? ''}\u0000${p.key}`;

/**
 * The order of workloads a side's pods come in: pods without a workload first, then by the
 * workload's UTF-8 bytes — SQLite's `ORDER BY workload` (BINARY collation), so that a database can
 * give them in this order.
 */
export function workloadOrder(x: string | null, y: string | null): number {
  if (x === y) return 0;
  if (x === null) return -1;
  if (y === null) return 1;
  return Buffer.compare(Buffer.from(x), Buffer.from(y));
}

export function podsInMemory(pods: readonly SidePod[]): Pick<DiffSide, 'pods' | 'hasPod'> {
  let ids: Set<string> | undefined;
  let ordered: SidePod[] | undefined;
  return {
    // a stable sort: within a workload, the list's own order
    pods: () => (ordered ??= [...pods].sort((x, y) => workloadOrder(x.workload, y.workload))),
    hasPod: (p) => (ids ??= new Set(pods.map(podIdentity))).has(podIdentity(p)),
  };
}
