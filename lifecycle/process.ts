// Kubelet processes (restarts) in a log: an epoch per record. A new process shows as a new PID in
// the klog header or the transport (`kubelet[1234]`, journal `_PID`) of the same host; JSON logs
// behind a bare prefix carry no PID at all, so there the kubelet's start-up line marks it. Logs of
// several nodes can be replayed together: each host has its own processes.
import type { LogRecord } from '../parser/types.js';

/** Logged once per kubelet start, in every version (kubelet.go syncLoop). */
const START_MESSAGES = new Set(['Starting kubelet main sync loop', 'Starting kubelet main sync loop.']);

interface HostState {
  epoch: number;
  pid: number | undefined;
  sawStart: boolean;
}

export interface EpochEnd {
  index: number;
  line: number;
  timeUs?: number;
}

export class ProcessTracker {
  private readonly hosts = new Map<string, HostState>();
  private next = 0;
  /** Last record of each epoch (process). */
  readonly last: EpochEnd[] = [];
  /** Epochs a later process of the same host replaced (the kubelet restarted after them). */
  readonly ended: boolean[] = [];
  /** PID of each epoch, when the log shows one. */
  readonly pids: (number | undefined)[] = [];
  /** PID changes within a host. */
  restarts = 0;

  /** Hosts (nodes) seen. */
  get hostCount(): number {
    return this.hosts.size;
  }

  /**
   * The epoch of the record at `index`. `host` names the node when the record's transport does
   * not (bare klog files): without it, files of different machines would look like one kubelet.
   */
  add(r: LogRecord, index: number, host?: string): number {
    const hostKey = r.transport?.host ?? host ?? '';
    let h = this.hosts.get(hostKey);
    if (!h) this.hosts.set(hostKey, (h = { epoch: this.next++, pid: undefined, sawStart: false }));
    // text lines (`Flag --x has been deprecated`) are a new process's first words: their
    // transport PID counts too
    const p = r.pid ?? r.transport?.pid;
    const newProcess = () => {
      this.ended[h!.epoch] = true;
      h!.epoch = this.next++;
      this.restarts++;
    };
    if (p !== undefined) {
      if (h.pid !== undefined && p !== h.pid) newProcess();
      h.pid = p;
      this.pids[h.epoch] = p;
    } else if (START_MESSAGES.has(r.msg)) {
      if (h.sawStart) newProcess();
      h.sawStart = true;
    }
    // a header-less text line without a PID (a new process's `Flag --…` in a bare file) proves
    // nothing about which process is running
    if (p !== undefined || r.format !== 'text') {
      this.last[h.epoch] = r.timeUs === undefined ? { index, line: r.line } : { index, line: r.line, timeUs: r.timeUs };
    }
    return h.epoch;
  }
}
