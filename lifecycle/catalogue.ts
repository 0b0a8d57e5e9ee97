// The lifecycle message catalogue (schemas/lifecycle-catalogue.json) and the lookup from a record
// to its entry: exact structured msg first, then the printf format id, then a message prefix.
import data from '../schemas/lifecycle-catalogue.json' with { type: 'json' };
import type { LogRecord } from '../parser/types.js';
import type { Catalogue, CatalogueEntry } from './catalogue-types.js';

export type * from './catalogue-types.js';

export class CatalogueIndex {
  private readonly byMsg = new Map<string, CatalogueEntry>();
  private readonly byPrintf = new Map<string, CatalogueEntry>();
  /** Prefixes by their first word (up to the first space), longest first within a word. */
  private readonly byPrefix = new Map<string, [string, CatalogueEntry][]>();
  /** Prefixes without a space (`Event(v1.ObjectReference{`): part of a word, tried on every message. */
  private readonly partial: [string, CatalogueEntry][] = [];

  constructor(readonly catalogue: Catalogue) {
    for (const entry of catalogue.entries) {
      for (const m of entry.match.msg ?? []) if (!this.byMsg.has(m)) this.byMsg.set(m, entry);
      for (const p of entry.match.printf ?? []) if (!this.byPrintf.has(p)) this.byPrintf.set(p, entry);
      for (const p of entry.match.prefix ?? []) {
        if (!p.includes(' ')) {
          this.partial.push([p, entry]);
          continue;
        }
        const w = firstWord(p);
        const list = this.byPrefix.get(w) ?? [];
        list.push([p, entry]);
        this.byPrefix.set(w, list);
      }
    }
    // longest prefix first, so `Killing container` does not shadow `Killing container with a grace period`
    for (const list of this.byPrefix.values()) list.sort((a, b) => b[0].length - a[0].length);
  }

  /** The catalogue entry a record is an instance of, if any. */
  entryFor(r: Pick<LogRecord, 'msg' | 'structured' | 'printf'>): CatalogueEntry | undefined {
    if (r.structured) {
      const e = this.byMsg.get(r.msg);
      if (e) return e;
    }
    if (r.printf) {
      const e = this.byPrintf.get(r.printf);
      if (e) return e;
    }
    const candidates = this.byPrefix.get(firstWord(r.msg));
    if (candidates) for (const [prefix, e] of candidates) if (r.msg.startsWith(prefix)) return e;
    for (const [prefix, e] of this.partial) if (r.msg.startsWith(prefix)) return e;
    return undefined;
  }
}

function firstWord(s: string): string {
  const sp = s.indexOf(' ');
  return sp < 0 ? s : s.slice(0, sp);
}

/** The project's catalogue. */
export const catalogue = new CatalogueIndex(data as Catalogue);

export function entryFor(r: Pick<LogRecord, 'msg' | 'structured' | 'printf'>): CatalogueEntry | undefined {
  return catalogue.entryFor(r);
}
