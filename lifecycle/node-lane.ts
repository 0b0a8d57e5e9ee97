// Node-level conditions for a node lane: the kubelet repeats them (the sync loop logs `Skipping pod
// synchronization` every second while PLEG is unhealthy), so repeats of one kind on one host and
// process become one span with a count, not thousands of events.
import type { LifePoint, NodeEvent } from './kubelet-life-types.js';
import type { NodeEventKind, NodeSignal } from './kubelet-life-signals.js';
import { JsonRows, type Spills } from './rows.js';

export class NodeLane {
  /** Spans closed (a log may have as many as records: a condition logged by a process a line). */
  private readonly done: JsonRows<NodeEvent>;
  /** The open span of each host and kind. */
  private readonly open = new Map<string, NodeEvent>();

  /** `spills`: where closed spans wait for the end of the log (files), not memory. */
  constructor(
    private readonly mergeWithinUs: number,
    spills?: Spills,
  ) {
    this.done = new JsonRows(spills, 'node-spans');
  }

  add(host: string, epoch: number, signal: NodeSignal, at: LifePoint): void {
    for (const kind of signal.kinds) this.addKind(host, epoch, kind, signal, at);
  }

  /** Every span, in log order of its first record. */
  events(): NodeEvent[] {
    return [...this.spans()].sort((a, b) => a.first.index - b.first.index || a.first.line - b.first.line);
  }

  /** Every span, one at a time: those closed in the order they closed, then the open ones. */
  *spans(): Generator<NodeEvent> {
    yield* this.done;
    yield* this.open.values();
  }

  private addKind(host: string, epoch: number, kind: NodeEventKind, signal: NodeSignal, at: LifePoint): void {
    const key = `${host}\u0000${kind}`;
    const span = this.open.get(key);
    if (span && span.epoch === epoch && this.near(span.last, at)) {
      span.last = at;
      span.count++;
      return;
    }
    if (span) this.done.add(span);
    this.open.set(key, { host, epoch, kind, entry: signal.id, first: at, last: at, count: 1, detail: signal.detail });
  }

  /** Close enough in time to be one span (either way round: a log may run newest first). */
  private near(a: LifePoint, b: LifePoint): boolean {
    return a.timeUs === undefined || b.timeUs === undefined || Math.abs(b.timeUs - a.timeUs) <= this.mergeWithinUs;
  }
}
