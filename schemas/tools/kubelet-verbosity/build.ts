// Builds kubelet-verbosity.json (each catalogue entry's V level and severity per kubelet version)
// and kubelet-callsites.json (every call of pkg/kubelet with its line per release, plus the lines
// seen in logs of stated versions) from the reference call tables and the hand-checked supplement.
// Pure: the CLI next to it reads the files.
import type { Catalogue } from '../../../lifecycle/catalogue-types.js';
import type {
  CallSite,
  CallSiteData,
  EntryLevels,
  LoggedLevel,
  ReleaseInfo,
  SiteShape,
  VerbosityData,
  VerbositySupplement,
  VersionLevel,
} from '../../../lifecycle/kubelet-knowledge-types.js';
import { compareVersions, minorOf, spanOf } from '../../../lifecycle/kube-version.js';
import { SiteEntryMatcher, type PrintfFormat } from './entry-match.js';
import { parseReferenceTsv, type RefRow } from './reference-rows.js';

/** A call site seen in a log of a stated version. */
export interface ObservedSite {
  file: string;
  line: number;
  shape: SiteShape;
  text: string;
  sev: string;
}

export interface ObservedSites {
  version: string;
  source: string;
  sites: ObservedSite[];
}

export interface BuildInputs {
  catalogue: Catalogue;
  printf: readonly PrintfFormat[];
  supplement: VerbositySupplement;
  /** The reference tables: file name and content. */
  tables: { name: string; text: string }[];
  observed: ObservedSites[];
}

export interface BuildOutput {
  verbosity: VerbosityData;
  callsites: CallSiteData;
  /** What a reader should know: calls the tables cut short that no entry could be decided for, … */
  notes: string[];
}

const SEV_ORDER = 'IWEF';

export function buildKubeletKnowledge(inp: BuildInputs): BuildOutput {
  const notes: string[] = [];
  const rows = inp.tables.flatMap((t) => parseReferenceTsv(t.text, t.name, inp.supplement.truncated));
  const releases = [...new Set(rows.map((r) => r.release))].sort(compareVersions);
  const matcher = new SiteEntryMatcher(inp.catalogue, inp.printf);
  const newer = inp.supplement.newer;
  const newerSpan = spanOf(newer);
  const lastRef = releases[releases.length - 1]!;
  if (minorOf(lastRef)! >= newerSpan.min) throw new Error(`supplement.newer ${newer} overlaps the reference release ${lastRef}`);

  // reference calls per entry and release
  const calls = new Map<string, Map<string, RefRow[]>>();
  for (const row of rows) {
    if (!row.shape) continue;
    const e = matcher.entryOf(row.shape, row.text);
    if (!e) continue;
    if (row.shape === 't') {
      // the table cut the message short: it may or may not be this entry's; counting it could be wrong
      notes.push(`${row.release} ${row.file}:${row.line} ${row.sev} V${row.v} "${row.text}…" may be ${e.id}; not counted (resolve it in the supplement's truncated list if it is)`);
      continue;
    }
    const byRel = calls.get(e.id) ?? new Map<string, RefRow[]>();
    byRel.set(row.release, [...(byRel.get(row.release) ?? []), row]);
    calls.set(e.id, byRel);
  }

  // entries seen in logs of stated newer versions
  const seenNewer = new Map<string, string[]>();
  for (const o of inp.observed) {
    const minor = minorOf(o.version);
    if (minor === undefined || minor < newerSpan.min || minor > newerSpan.max) continue;
    for (const s of o.sites) {
      const e = matcher.entryOf(s.shape, s.text);
      if (e) seenNewer.set(e.id, [...(seenNewer.get(e.id) ?? []), `${s.file}:${s.line} in ${o.version}`]);
    }
  }

  const versions = [...releases, newer];
  const entries: Record<string, EntryLevels> = {};
  for (const entry of inp.catalogue.entries) {
    const at: Record<string, VersionLevel> = {};
    const byRel = calls.get(entry.id);
    for (const rel of releases) {
      const rs = byRel?.get(rel);
      at[rel] = rs ? referenceLevel(rs) : { logged: false, basis: 'reference' };
    }
    let declared = false;
    for (const s of inp.supplement.levels.filter((l) => l.entry === entry.id)) {
      declared = true;
      const span = spanOf(s.versions);
      const level: VersionLevel = s.logged
        ? { logged: true, v: required(s.v, s.entry), sev: required(s.sev, s.entry), basis: s.basis, note: s.note }
        : { logged: false, basis: s.basis, note: s.note };
      for (const key of versions) {
        const k = spanOf(key);
        if (k.min < span.min || k.max > span.max) continue;
        if (at[key]?.logged && at[key]?.basis === 'reference') continue; // the table wins where it has the call
        at[key] = level;
      }
    }
    if (!at[newer]) at[newer] = newerLevel(at[lastRef]!, lastRef, seenNewer.get(entry.id), entry.id);
    const anyLogged = Object.values(at).some((l) => l.logged);
    entries[entry.id] =
      anyLogged || declared
        ? { at }
        : { at: {}, unknown: 'No pkg/kubelet call of the reference releases logs it and no other source was checked: the V level is not known.' };
  }
  for (const e of inp.supplement.levels) if (!entries[e.entry]) throw new Error(`supplement level for unknown catalogue entry ${e.entry}`);

  return {
    verbosity: {
      $comment:
        'GENERATED by schemas/tools/kubelet-verbosity from ../shared/reference/kubelet-messages (the klog calls of pkg/kubelet per release) and schemas/kubelet-verbosity-supplement.json; do not edit by hand. For each entry of lifecycle-catalogue.json and each version key: whether that kubelet logs the message, the lowest -v at which it does (v; 0 for warnings and errors) and the severity letters of its calls, with the basis (reference: the call tables; source: read in the code named in note; sample: seen in a log of a stated version; assumed: carried over, not checked). Reference release keys cover their minor; `unknown` says why an entry has no levels. Read by lifecycle/kubelet-levels.ts.',
      versions,
      entries,
    },
    callsites: buildCallSites(rows, releases, inp.observed),
    notes,
  };
}

function required<T>(v: T | undefined, entry: string): T {
  if (v === undefined) throw new Error(`supplement level of ${entry}: logged levels need v and sev`);
  return v;
}

function referenceLevel(rs: RefRow[]): LoggedLevel {
  const sevs = [...new Set(rs.map((r) => r.sev))].sort((a, b) => SEV_ORDER.indexOf(a) - SEV_ORDER.indexOf(b));
  return {
    logged: true,
    v: Math.min(...rs.map((r) => r.v)),
    sev: sevs.join(''),
    basis: 'reference',
    calls: rs.map((r) => `${r.file}:${r.line} ${r.sev} V${r.v} ${r.style}`),
  };
}

function newerLevel(last: VersionLevel, lastRef: string, seen: string[] | undefined, entry: string): VersionLevel {
  if (seen) {
    if (!last.logged) throw new Error(`${entry} is seen in a newer log (${seen[0]}) but not logged by ${lastRef}: give its level in the supplement`);
    return { logged: true, v: last.v, sev: last.sev, basis: 'sample', note: `seen at ${seen.slice(0, 3).join(', ')}; V as in ${lastRef}, not checked in a newer source` };
  }
  if (last.logged) return { logged: true, v: last.v, sev: last.sev, basis: 'assumed', note: `not checked after ${lastRef}; V as there` };
  return { logged: false, basis: 'assumed', note: `not logged by ${lastRef}; not checked after` };
}

function buildCallSites(rows: RefRow[], releases: string[], observed: ObservedSites[]): CallSiteData {
  const infos: ReleaseInfo[] = [
    ...releases.map((name) => ({ name, minor: minorOf(name)!, coverage: 'full' as const, source: `all-klog-calls-pkg-kubelet-${name}.tsv` })),
    ...observed.map((o) => ({ name: o.version, minor: minorOf(o.version)!, coverage: 'observed' as const, source: o.source })),
  ];
  const index = new Map(infos.map((r, i) => [r.name, i]));
  const groups = new Map<string, CallSite>();
  const add = (file: string, shape: SiteShape, text: string, sev: string, v: number | null, release: string, line: number) => {
    const key = [file, shape, text, sev, v ?? ''].join('\t');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = [file, shape, text, sev, v, infos.map(() => 0)]));
    const i = index.get(release)!;
    const cur = g[5][i]!;
    if (cur === 0) g[5][i] = line;
    else {
      const list = Array.isArray(cur) ? cur : [cur];
      if (!list.includes(line)) g[5][i] = [...list, line].sort((a, b) => a - b);
    }
  };
  for (const r of rows) if (r.shape) add(r.file, r.shape, r.text, r.sev, r.v, r.release, r.line);
  for (const o of observed) for (const s of o.sites) add(s.file, s.shape, s.text, s.sev, null, o.version, s.line);
  const sites = [...groups.values()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
  return {
    $comment:
      'GENERATED by schemas/tools/kubelet-verbosity; do not edit by hand. Where each klog call sits, per release: `full` releases list every call of pkg/kubelet (../shared/reference/kubelet-messages), `observed` ones only the call sites seen in a kubelet log of that stated version (source). A site is [file basename, shape (s exact structured msg, p printf format, d message prefix, t prefix cut short by the table), text, severity letter, V (null: only observed; the V of the same message in the full releases applies), line per release in `releases` order (0: not there, or not observed; a list when the message is logged at several lines)]. Read by lifecycle/kubelet-callsites.ts to place a log line\'s file:line in a release and to know a message\'s V.',
    releases: infos,
    sites,
  };
}
