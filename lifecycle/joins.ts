// Joins: which pod UID(s) each record belongs to. A record that states a UID belongs to it; one
// that names only `ns/name` belongs to the UID that held that name at that time on that node
// (names are reused: StatefulSets, static pods, a pod deleted and re-created); one that names only
// a container/sandbox ID belongs to the UID that ID was seen with. Positions are record indexes,
// so logs without times (the design-notes trace) join too. Names are never joined across nodes.
import type { RecordIdentity } from './identity.js';
import { flat } from './columns.js';

interface Interval {
  uid: string;
  first: number;
  last: number;
}

/**
 * A node's name for a pod reference: `ns/name` on `host`. A concatenation: a map that keeps one as
 * a key keeps it flat (`flat`), else it holds the concatenation and its flattened copy.
 */
export const hostRef = (host: string, ref: string): string => `${host}\u0000${ref}`;
/** The `ns/name` of a host-qualified reference. */
export const refOf = (hostRefKey: string): string => hostRefKey.slice(hostRefKey.indexOf('\u0000') + 1);
/** The host of a host-qualified reference. */
export const hostOf = (hostRefKey: string): string => hostRefKey.slice(0, hostRefKey.indexOf('\u0000'));

export class NameIndex {
  private readonly byName = new Map<string, Interval[]>();
  /**
   * host-qualified bare name → the one host-qualified `ns/name` reference it is the name of, or
   * null once it is the name of several (a Set per name cost ~150 bytes a pod).
   */
  private readonly bare = new Map<string, string | null>();

  learn(ref: string, uid: string, pos: number): void {
    const list = this.byName.get(ref);
    if (!list) {
      const key = flat(ref);
      // a literal, not [] and a push: a pushed-to empty array reserves 17 slots
      this.byName.set(key, [{ uid, first: pos, last: pos }]);
      const slash = key.lastIndexOf('/');
      if (slash >= 0) {
        const name = hostRef(hostOf(key), key.slice(slash + 1));
        // each ref comes here once: a second ref of the name makes it ambiguous
        if (this.bare.has(name)) this.bare.set(name, null);
        else this.bare.set(flat(name), key);
      }
      return;
    }
    const iv = list.find((x) => x.uid === uid);
    if (iv) {
      iv.first = Math.min(iv.first, pos);
      iv.last = Math.max(iv.last, pos);
    } else list.push({ uid, first: pos, last: pos });
  }

  /** The holder whose interval contains `pos`. */
  containing(ref: string, pos: number): string | undefined {
    return this.byName.get(ref)?.find((iv) => iv.first <= pos && pos <= iv.last)?.uid;
  }

  /** The first holder to start after `pos`, and the last to start before it. */
  around(ref: string, pos: number): { prev?: Interval; next?: Interval } {
    let next: Interval | undefined;
    let prev: Interval | undefined;
    for (const iv of this.byName.get(ref) ?? []) {
      if (iv.first > pos && (!next || iv.first < next.first)) next = iv;
      if (iv.first < pos && (!prev || iv.first > prev.first)) prev = iv;
    }
    return { prev, next };
  }

  has(ref: string): boolean {
    return this.byName.has(ref);
  }

  /** Positions of name-only announcements (ADD, `Receiving a new pod`) and admission rejections, per name. */
  private readonly announced = new Map<string, number[]>();
  private readonly rejectedAt = new Map<string, number[]>();

  noteAnnounce(ref: string, pos: number, rejection: boolean): void {
    const m = rejection ? this.rejectedAt : this.announced;
    const list = m.get(ref);
    if (list) list.push(pos);
    else m.set(flat(ref), [pos]);
  }

  /** The first of `ref`'s rejections (or announcements) in [from, to). */
  firstBetween(ref: string, from: number, to: number, rejection: boolean): number | undefined {
    return (rejection ? this.rejectedAt : this.announced).get(ref)?.find((p) => p >= from && p < to);
  }

  /**
   * A reference without a namespace (`Killing unwanted pod "web-0"` of ≤1.20 names the pod alone):
   * the one `ns/name` of that node with this name, if there is exactly one.
   */
  qualify(ref: string): string {
    if (refOf(ref).includes('/')) return ref;
    return this.bare.get(ref) ?? ref;
  }

  /**
   * `ns/name` (host-qualified) of each UID: the reference it was paired with most recently. One
   * pass for all UIDs (asking per UID would walk every name once per pod).
   */
  namesOfUids(): Map<string, string> {
    const names = new Map<string, string>();
    const lastOf = new Map<string, number>(); // two maps of numbers and strings: no object per UID
    for (const [ref, list] of this.byName) {
      for (const iv of list) {
        const last = lastOf.get(iv.uid);
        if (last === undefined || iv.last > last) {
          names.set(iv.uid, ref);
          lastOf.set(iv.uid, iv.last);
        }
      }
    }
    return names;
  }
}

/** How a name-only record relates to the pod it names. */
export type RefRole = 'announce' | 'reject' | 'remove' | 'other';

/** Per name: who holds it now, when no UID says so. */
interface NameState {
  /** The pod the name's last record went to (a UID, or an incarnation whose UID the log never states). */
  owner?: string;
  /** That owner's REMOVE has been seen: the next announcement is a new incarnation. */
  removed: boolean;
  /** Incarnations without a known UID so far. */
  unknown: number;
  /** The incarnation each rejection (by position) was found to be (made at the first: most names have none). */
  rejected?: Map<number, string>;
}

/**
 * Learns name ↔ UID and container ↔ UID pairs as records arrive, and resolves records that name
 * their pod only by `ns/name` or container ID once everything is known (an ADD precedes its UID).
 * Resolve in record order: after a REMOVE, the name's next announcement (ADD, `Receiving a new
 * pod`) is the next incarnation — a UID the log states later, or one it never states.
 */
export class Joiner {
  readonly names = new NameIndex();
  private readonly containers = new Map<string, string>();
  private readonly state = new Map<string, NameState>();

  /** `host`: the node of the record; its name pairs hold on that node only. */
  /** A record that names its pod only by `ns/name` and announces it, or rejects it at admission. */
  noteNameOnly(refs: readonly string[], pos: number, host: string, role: RefRole): void {
    if (role !== 'announce' && role !== 'reject') return;
    for (const r of refs) this.names.noteAnnounce(this.names.qualify(hostRef(host, r)), pos, role === 'reject');
  }

  learn(identity: RecordIdentity, pos: number, host: string): void {
    for (const [ref, uid] of identity.namePairs) this.names.learn(hostRef(host, ref), uid, pos);
    for (const [c, uid] of identity.containerPairs) if (!this.containers.has(c)) this.containers.set(c, uid);
  }

  /**
   * Pod keys for a record without a UID of its own. `unknownKey(ref, n)` names the n-th (1-based)
   * incarnation of a host-qualified name whose UID the log never states.
   */
  resolve(refs: readonly string[], containers: readonly string[], pos: number, role: RefRole, host: string, unknownKey: (hostRefKey: string, n: number) => string): string[] {
    const out: string[] = [];
    for (const r of refs) {
      const key = this.resolveRef(this.names.qualify(hostRef(host, r)), pos, role, unknownKey);
      if (!out.includes(key)) out.push(key);
    }
    if (out.length === 0) {
      for (const c of containers) {
        const uid = this.containers.get(c);
        if (uid && !out.includes(uid)) out.push(uid);
      }
    }
    return out;
  }

  private resolveRef(ref: string, pos: number, role: RefRole, unknownKey: (hostRefKey: string, n: number) => string): string {
    let st = this.state.get(ref);
    if (!st) this.state.set(flat(ref), (st = { removed: false, unknown: 0 }));
    const take = (owner: string): string => {
      if (owner !== st.owner) st.removed = false;
      st.owner = owner;
      if (role === 'remove') st.removed = true;
      return owner;
    };
    const inside = this.names.containing(ref, pos);
    if (inside) return take(inside);
    const { prev, next } = this.names.around(ref, pos);
    if (role === 'announce' || role === 'reject') {
      // a pod turned away at admission whose UID the log never states (-v=2): its announcement and
      // rejection come before another announcement of the name, and the next holder after that
      const nextFirst = next?.first ?? Infinity;
      const rej = this.names.firstBetween(ref, pos, nextFirst, true);
      if (rej !== undefined && (!next || this.names.firstBetween(ref, rej + 1, nextFirst, false) !== undefined)) {
        st.rejected ??= new Map();
        let key = st.rejected.get(rej);
        if (key === undefined) st.rejected.set(rej, (key = unknownKey(ref, ++st.unknown)));
        const out = take(key);
        if (role === 'reject') st.removed = true;
        return out;
      }
      // a pod announced before its UID shows: the next holder; else the current one, unless it
      // was removed (then this is an incarnation whose UID the log does not state)
      if (next) return take(next.uid);
      if (st.owner !== undefined && !st.removed) return take(st.owner);
      if (st.owner === undefined && prev) return take(prev.uid);
      return take(unknownKey(ref, ++st.unknown));
    }
    // a record about a pod already here: the name's current owner, else the latest holder before it
    if (st.owner !== undefined) return take(st.owner);
    if (prev) return take(prev.uid);
    if (next) return take(next.uid);
    return take(unknownKey(ref, ++st.unknown));
  }
}
