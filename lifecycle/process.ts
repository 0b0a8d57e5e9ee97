// Kubelet processes (restarts) in a log: an epoch per record. A new process shows as a new PID in
// the klog header or the transport (`kubelet[1234]`, journal `_PID`); JSON logs behind a bare
// prefix carry no PID at all, so there the kubelet's own start-up line marks the new process.
import type { LogRecord } from '../parser/types.js';

/** Logged once per kubelet start, in every version (kubelet.go syncLoop). */
const START_MESSAGES = new Set(['Starting kubelet main sync loop', 'Starting kubelet main sync loop.']);

export class ProcessTracker {
  private epoch = 0;
  private pid: number | undefined;
  private sawStart = false;
  /** Index and time of the last record of each epoch. */
  readonly last: { index: number; line: number; timeUs?: number }[] = [];
  /** PID of each epoch, when the log shows one. */
  readonly pids: (number | undefined)[] = [];

  /** The epoch of the record at `index`. */
  add(r: LogRecord, index: number): number {
    // text lines (`Flag --x has been deprecated`) are a new process's first words: their
    // transport PID counts too
    const p = r.pid ?? r.transport?.pid;
    if (p !== undefined) {
      if (this.pid !== undefined && p !== this.pid) this.epoch++;
      this.pid = p;
      this.pids[this.epoch] = p;
    } else if (START_MESSAGES.has(r.msg)) {
      if (this.sawStart) this.epoch++;
      this.sawStart = true;
    }
    // a header-less text line without a PID (a new process's `Flag --…` in a bare file) proves
    // nothing about which process is running
    if (p !== undefined || r.format !== 'text') {
      this.last[this.epoch] = r.timeUs === undefined ? { index, line: r.line } : { index, line: r.line, timeUs: r.timeUs };
    }
    return this.epoch;
  }

  get epochs(): number {
    return this.epoch + 1;
  }
}
