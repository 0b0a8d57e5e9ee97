// The parser's bounded lookahead for time. A record whose year or zone is not settled yet waits
// here, and so does everything reported after it, so that the stream stays in input order; the
// wait ends when the resolver decides (enough evidence, its window of lines or bytes is full, or
// the input ends). Nothing waits once decided: records are placed and passed straight on.
import type { TimeBasis, TimeResolver } from './resolve-time.js';
import type { LogRecord, ParseEvent } from './types.js';

type Waiting = ParseEvent | { type: 'unplaced'; record: LogRecord; basis: TimeBasis };

export class Settler {
  private queue: Waiting[] = [];
  private draining = false;

  constructor(
    private readonly times: TimeResolver,
    private readonly emit: (e: ParseEvent) => void,
  ) {}

  record(record: LogRecord, basis: TimeBasis): void {
    if (this.queue.length === 0) {
      if (!this.times.needs(basis, record.transport?.timeUs)) {
        this.times.place(record, basis);
        this.emit({ type: 'record', record });
        return;
      }
      this.times.waitStarted();
    }
    this.queue.push({ type: 'unplaced', record, basis });
    if (this.times.decided) this.drain();
  }

  other(e: ParseEvent): void {
    if (this.queue.length === 0 || this.draining) this.emit(e);
    else {
      this.queue.push(e);
      if (this.times.decided) this.drain();
    }
  }

  /** The input ended: decide with what was seen, and let everything out. */
  end(): void {
    this.times.decide();
    this.drain();
  }

  private drain(): void {
    const queue = this.queue;
    this.queue = [];
    this.draining = true;
    for (const w of queue) {
      if (w.type === 'unplaced') {
        this.times.place(w.record, w.basis);
        this.emit({ type: 'record', record: w.record });
      } else this.emit(w);
    }
    this.draining = false;
  }
}
