// Whether an input runs newest first. Log platforms print newest first by default (`gcloud
// logging read`, Loki's logcli, Grafana and Kibana views, `journalctl -r`), and a pod's lifecycle
// read backwards is nonsense (a REMOVE before its ADD, negative durations). The parser keeps the
// order it was given (line numbers, resume points and the store depend on it); it counts the
// steps between consecutive records' times and says so when nearly all of them go back, and the
// lifecycle rebuild then replays that input's records from the last up (pipeline/rebuild.ts).

/** Steps back needed before an input counts as newest first. */
const MIN_BACK_STEPS = 8;
/** Of the steps that move, the share that must go back. */
const BACK_SHARE = 0.9;

export interface TimeOrderVerdict {
  /** Steps between consecutive records that went back in time, and all that moved. */
  back: number;
  moved: number;
  /** The first record's line. */
  line: number;
}

export class TimeOrder {
  private last: number | undefined;
  private back = 0;
  private forward = 0;
  private firstLine = 0;

  see(timeUs: number | undefined, line: number): void {
    if (timeUs === undefined) return;
    if (this.last === undefined) this.firstLine = line;
    else if (timeUs < this.last) this.back++;
    else if (timeUs > this.last) this.forward++;
    this.last = timeUs;
  }

  /** Defined when the input runs newest first. */
  newestFirst(): TimeOrderVerdict | undefined {
    const moved = this.back + this.forward;
    if (this.back < MIN_BACK_STEPS || this.back < BACK_SHARE * moved) return undefined;
    return { back: this.back, moved, line: this.firstLine };
  }
}

export function newestFirstMessage(v: TimeOrderVerdict): string {
  return (
    `the lines run newest first (${v.back} of ${v.moved} steps between records go back in time): ` +
    'kubelog builds the pods from its records in reverse, oldest first; a record of several lines came in reverse too and may be cut in pieces. ' +
    'For exact records give kubelog the log oldest first: `gcloud logging read --order=asc`, `logcli query --forward`, `journalctl` without `-r`, or `tac FILE` for one line per entry'
  );
}
