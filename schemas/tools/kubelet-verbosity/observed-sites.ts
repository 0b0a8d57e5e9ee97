// Call sites of a real log of a stated version: each record's `file.go:line` with the message text
// in the same shape the reference tables use (exact structured message, printf format, or the
// catalogue's message prefix for messages that carry values in their text).
import type { LogRecord } from '../../../parser/types.js';
import { printfCatalogue } from '../../../parser/index.js';
import type { CatalogueIndex } from '../../../lifecycle/catalogue.js';
import { callerOf } from '../../../lifecycle/caller.js';
import type { ObservedRelease, SiteShape } from '../../../lifecycle/kubelet-knowledge-types.js';
import type { ObservedSite, ObservedSites } from './build.js';

export function sitesOfRecords(records: Iterable<LogRecord>, catalogue: CatalogueIndex): ObservedSite[] {
  const out = new Map<string, ObservedSite>();
  for (const r of records) {
    const at = callerOf(r.caller);
    if (!at) continue;
    const shaped = shapeOf(r, catalogue);
    if (!shaped) continue;
    const site: ObservedSite = { ...at, ...shaped, sev: r.severity ?? 'I' };
    out.set(`${site.file}:${site.line}\t${site.shape}\t${site.text}`, site);
  }
  return [...out.values()];
}

/** Hand-listed sites of the supplement (`file.go:line`, shape, text); info lines. */
export function sitesOfList(o: ObservedRelease): ObservedSites {
  const sites = (o.sites ?? []).map(([at, shape, text]) => {
    const c = callerOf(at);
    if (!c) throw new Error(`observed ${o.version}: ${JSON.stringify(at)} is not file.go:line`);
    return { ...c, shape, text, sev: 'I' };
  });
  return { version: o.version, source: o.source, sites };
}

function shapeOf(r: LogRecord, catalogue: CatalogueIndex): { shape: SiteShape; text: string } | undefined {
  const entry = catalogue.entryFor(r);
  if (r.structured && (!entry || entry.match.msg?.includes(r.msg))) return { shape: 's', text: r.msg };
  if (r.printf) {
    const f = printfCatalogue.find((p) => p.id === r.printf);
    if (f) return { shape: 'p', text: f.format };
  }
  const prefix = entry?.match.prefix?.find((p) => r.msg.startsWith(p));
  return prefix ? { shape: 'd', text: prefix } : undefined;
}
