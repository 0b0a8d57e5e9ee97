// The kubelet's own restarts and crashes as marks on the overview's time axis, read from its
// processes (GET /api/overview `kubelets`): where one ended other than with the log, and where
// the next one on its node started.
import type { KubeletProcess } from '../../../api/types.js';
import { duration } from '../time.js';

export interface KubeletMark {
  kind: 'crash' | 'stop' | 'exit' | 'restart' | 'start';
  timeUs: number;
  node: string | null;
  /** What happened, in words. */
  text: string;
}

const ENDED: Record<Exclude<KubeletProcess['end'], 'log-end'>, string> = {
  crash: 'crashed',
  stop: 'was stopped',
  exit: 'exited',
  restart: 'was restarted',
};

const who = (p: KubeletProcess): string => `kubelet${p.pid !== null ? ` ${p.pid}` : ''}${p.version ? ` (${p.version})` : ''}`;

export function kubeletMarks(processes: readonly KubeletProcess[]): KubeletMark[] {
  const marks: KubeletMark[] = [];
  const lastOnNode = new Map<string | null, KubeletProcess>();
  for (const p of processes) {
    const before = lastOnNode.get(p.node);
    if (before && p.firstUs !== null) {
      const endedUs = before.endUs ?? before.lastUs;
      const gap = endedUs !== null ? `, ${duration(p.firstUs - endedUs)} after the last one's last line` : '';
      marks.push({ kind: 'start', timeUs: p.firstUs, node: p.node, text: `${who(p)} started${gap}` });
    }
    lastOnNode.set(p.node, p);
    const at = p.endUs ?? p.lastUs;
    if (p.end === 'log-end' || at === null) continue;
    const why = p.end === 'crash' ? (p.message ?? p.signal ?? '') : '';
    marks.push({ kind: p.end, timeUs: at, node: p.node, text: `${who(p)} ${ENDED[p.end]}${why ? `: ${why}` : ''}${p.endUs === null ? ' (its last line; only systemd says when)' : ''}` });
  }
  return marks.sort((a, b) => a.timeUs - b.timeUs);
}
