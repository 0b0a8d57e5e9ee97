// Messages by template on both sides: counts as rates over each side's exposure, templates one
// side never shows, and rate changes that are both large (a fold threshold) and unlikely to be
// chance (a two-sample Poisson G-test), ranked by the test statistic rather than raw differences.
import type { Severity } from '../../parser/types.js';
import { countChange, ranked } from './stats.js';
import { templateOf } from './template.js';
import type { Exposure, Thresholds } from './thresholds.js';
import type { MessageGroup, MessagesSection, TemplateChange } from './types.js';

export interface TemplateCount {
  count: number;
  severity: Severity | null;
}

const SEVERITY_RANK: Record<Severity, number> = { I: 1, W: 2, E: 3, F: 4 };
const worse = (x: Severity | null, y: Severity | null): Severity | null => (x === null ? y : y === null ? x : SEVERITY_RANK[y] > SEVERITY_RANK[x] ? y : x);

/** A side's message groups folded into templates. */
export function templateCounts(groups: readonly MessageGroup[]): Map<string, TemplateCount> {
  const out = new Map<string, TemplateCount>();
  for (const g of groups) {
    const t = templateOf(g.msg, g.printf);
    const c = out.get(t);
    if (c) {
      c.count += g.count;
      c.severity = worse(c.severity, g.severity);
    } else out.set(t, { count: g.count, severity: g.severity });
  }
  return out;
}

const byG = (x: TemplateChange, y: TemplateChange) => y.g - x.g || x.template.localeCompare(y.template);

export function diffMessages(a: readonly MessageGroup[], b: readonly MessageGroup[], ex: Exposure, t: Thresholds, top: number): MessagesSection {
  const ta = templateCounts(a);
  const tb = templateCounts(b);
  const fresh: TemplateChange[] = [];
  const gone: TemplateChange[] = [];
  const changed: TemplateChange[] = [];
  const minLog = Math.log2(t.minFold);
  for (const template of new Set([...ta.keys(), ...tb.keys()])) {
    const ca = ta.get(template);
    const cb = tb.get(template);
    const c: TemplateChange = { template, severity: worse(ca?.severity ?? null, cb?.severity ?? null), ...countChange(ca?.count ?? 0, cb?.count ?? 0, ex.a, ex.b) };
    if (!ca) fresh.push(c);
    else if (!cb) gone.push(c);
    else if (c.p < t.maxP && c.fold !== null && Math.abs(Math.log2(c.fold)) >= minLog) changed.push(c);
  }
  return {
    exposure: ex.unit,
    exposureWhy: ex.why,
    minRateSpanUs: t.minRateSpanUs,
    exposureA: ex.a,
    exposureB: ex.b,
    templatesA: ta.size,
    templatesB: tb.size,
    new: ranked(fresh.sort(byG), top),
    gone: ranked(gone.sort(byG), top),
    changed: ranked(changed.sort(byG), top),
  };
}
