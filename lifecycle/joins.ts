// Joins: which pod UID(s) each record belongs to. A record that states a UID belongs to it; one
// that names only `ns/name` belongs to the UID that held that name nearest in the log (names are
// reused: StatefulSets, static pods); one that names only a container/sandbox ID belongs to the UID
// that ID was seen with. Positions are record indexes, so logs without times (the design-notes
// trace) join too.
import type { RecordIdentity } from './identity.js';

interface Interval {
  uid: string;
  first: number;
  last: number;
}

export class NameIndex {
  private readonly byName = new Map<string, Interval[]>();

  learn(ref: string, uid: string, pos: number): void {
    let list = this.byName.get(ref);
    if (!list) this.byName.set(ref, (list = []));
    const iv = list.find((x) => x.uid === uid);
    if (iv) {
      iv.first = Math.min(iv.first, pos);
      iv.last = Math.max(iv.last, pos);
    } else list.push({ uid, first: pos, last: pos });
  }

  /**
   * The UID that held `ref` at `pos`: the interval containing it; else, for a record that acts on
   * an existing pod, the latest holder that started before it; for one that `announces` a pod (a
   * SyncLoop ADD, whose UID shows up after it), the next holder to start; else the nearest.
   */
  resolve(ref: string, pos: number, announces = false): string | undefined {
    const list = this.byName.get(ref);
    if (!list) return undefined;
    const containing = list.find((iv) => iv.first <= pos && pos <= iv.last);
    if (containing) return containing.uid;
    let next: Interval | undefined;
    let prev: Interval | undefined;
    for (const iv of list) {
      if (iv.first > pos && (!next || iv.first < next.first)) next = iv;
      if (iv.first < pos && (!prev || iv.first > prev.first)) prev = iv;
    }
    if (announces && next) return next.uid;
    if (!announces && prev) return prev.uid;
    let best: Interval | undefined;
    let bestDist = Infinity;
    for (const iv of list) {
      const d = pos < iv.first ? iv.first - pos : pos > iv.last ? pos - iv.last : 0;
      if (d < bestDist) {
        bestDist = d;
        best = iv;
      }
    }
    return best?.uid;
  }

  /**
   * `ns/name` of each UID: the reference it was paired with most recently. One pass for all UIDs
   * (asking per UID would walk every name once per pod).
   */
  namesOfUids(): Map<string, string> {
    const best = new Map<string, { ref: string; last: number }>();
    for (const [ref, list] of this.byName) {
      for (const iv of list) {
        const b = best.get(iv.uid);
        if (!b) best.set(iv.uid, { ref, last: iv.last });
        else if (iv.last > b.last) [b.ref, b.last] = [ref, iv.last];
      }
    }
    return new Map([...best].map(([uid, b]) => [uid, b.ref]));
  }
}

/**
 * Learns name ↔ UID and container ↔ UID pairs as records arrive, and resolves records that name
 * their pod only by `ns/name` or container ID once everything is known (an ADD precedes its UID).
 */
export class Joiner {
  readonly names = new NameIndex();
  private readonly containers = new Map<string, string>();

  learn(identity: RecordIdentity, pos: number): void {
    for (const [ref, uid] of identity.namePairs) this.names.learn(ref, uid, pos);
    for (const [c, uid] of identity.containerPairs) if (!this.containers.has(c)) this.containers.set(c, uid);
  }

  /** UIDs for a record without one of its own; `announces`: it introduces a pod (SyncLoop ADD). */
  resolve(refs: readonly string[], containers: readonly string[], pos: number, announces: boolean): string[] {
    const out: string[] = [];
    for (const ref of refs) {
      const uid = this.names.resolve(ref, pos, announces);
      if (uid && !out.includes(uid)) out.push(uid);
    }
    if (out.length === 0) {
      for (const c of containers) {
        const uid = this.containers.get(c);
        if (uid && !out.includes(uid)) out.push(uid);
      }
    }
    return out;
  }
}
