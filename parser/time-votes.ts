// Weighing what a log says about its own year or zone: each line votes once per value it
// supports, with a weight; the value with the most weight wins, and a value that lost is a
// conflict to report, never applied silently. One odd line cannot outvote several that agree.

export interface Vote {
  weight: number;
  lines: number;
  /** The first line with the strongest evidence for the value, and what it said, as written. */
  firstLine: number;
  firstText: string;
  /** Weight of that line's evidence. */
  best: number;
}

export class Tally {
  private readonly votes = new Map<number, Vote>();

  add(value: number, weight: number, line: number, text: string): void {
    const v = this.votes.get(value);
    if (v === undefined) this.votes.set(value, { weight, lines: 1, firstLine: line, firstText: text, best: weight });
    else {
      v.weight += weight;
      v.lines++;
      if (weight > v.best) Object.assign(v, { firstLine: line, firstText: text, best: weight });
    }
  }

  get size(): number {
    return this.votes.size;
  }

  /** The winning value: most weight, then the earliest line. */
  top(): [number, Vote] | undefined {
    let best: [number, Vote] | undefined;
    for (const e of this.votes) if (!best || e[1].weight > best[1].weight || (e[1].weight === best[1].weight && e[1].firstLine < best[1].firstLine)) best = e;
    return best;
  }

  /**
   * Settled: the winner has at least `minWeight` and every other value at most a quarter of it,
   * so that deciding now is what deciding later (on more lines) would very likely say.
   */
  settled(minWeight: number): boolean {
    const t = this.top();
    if (!t || t[1].weight < minWeight) return false;
    for (const [value, v] of this.votes) if (value !== t[0] && v.weight * 4 > t[1].weight) return false;
    return true;
  }

  /** The values that lost to `winner`, with at least `minWeight`. */
  losers(winner: number, minWeight: number): Array<[number, Vote]> {
    return [...this.votes].filter(([value, v]) => value !== winner && v.weight >= minWeight);
  }
}
