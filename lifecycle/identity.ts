// Where a record names its pod(s): UIDs, `ns/name` references, container/sandbox IDs, and the
// pairs (name ↔ UID, container ↔ UID) that the joins learn from. Pure: record in, identity out.
import type { KvValue, LogRecord } from '../parser/types.js';
import type { CatalogueEntry } from './catalogue-types.js';
import { StringIds } from './columns.js';

export interface RecordIdentity {
  /** Pod UIDs stated by the record (normalised: lower case, dashes for 36-char UIDs). */
  uids: string[];
  /** `namespace/name` references. */
  refs: string[];
  /** Container or sandbox IDs (64-hex, or shorter test IDs), without a runtime prefix. */
  containers: string[];
  /** `namespace/name` ↔ UID pairs the record proves (printf `name_ns(uid)`, `k8s_…` names, one pod + one UID). */
  namePairs: [string, string][];
  /** container ID ↔ UID pairs the record proves (PLEG event, kill lines, cAdvisor aliases). */
  containerPairs: [string, string][];
}

/** Identity specs for records that match no catalogue entry: the keys kubelet uses everywhere. */
const FALLBACK_SPECS = ['uid:podUID', 'uid:podID', 'uid:event.ID', 'ref:pod', 'container:containerID', 'container:event.Data'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STATIC_UID = /^[0-9a-f]{32}$/; // static pods: a hash of the manifest, no dashes
const VOLUME_UID = /\(UID: \\?"([0-9a-f-]{32,36})\\?"\)/g;
const PODS_DIR = /\/var\/lib\/kubelet\/pods\/([0-9a-f-]{32,36})\//g;
const CGROUP_POD = /pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12}|[0-9a-f]{32})(?=[./\]\s"]|\.slice|$)/g;
const K8S_NAME = /\bk8s_([^_\s]+)_([^_\s]+)_([^_\s]+)_([0-9a-f-]{32,36})_\d+/g;
// static pods' UIDs are 32 hex digits without dashes
const UNIQUE_NAME = /kubernetes\.io\/[a-z-]+\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})-/g;
const POD_DESC = /^(.+)_([^_]+)\(([0-9a-f-]{32,36})\)$/;
// pod names and namespaces are DNS labels: no `_`, `(`, quotes or spaces
const DESC_IN_TEXT = /([a-z0-9][a-z0-9.-]*)_([a-z0-9][a-z0-9-]*)\(([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})\)/g;
// `orphaned pod "<uid>" found`, `for "<uid>" with KillPodSandboxError`
const QUOTED_UID = /\\?"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\?"/g;
const CONTAINER_ID = /^(?:[a-z-]+:\/\/)?([0-9a-f]{12,64})$/;
// a Go-printed object reference to a pod (printf-era `Generating ref for container …`, `Event(…)`)
const POD_OBJECT_REF = /ObjectReference\{Kind:"Pod", Namespace:"([a-z0-9][a-z0-9-]*)", Name:"([a-z0-9][a-z0-9.-]*)", UID:"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})"/g;
const POD_FULL_NAME = /^([a-z0-9][a-z0-9.-]*)_([a-z0-9][a-z0-9-]*)$/;

export function normaliseUid(s: string): string | undefined {
  const u = s.toLowerCase();
  if (UUID.test(u) || STATIC_UID.test(u)) return u;
  // cgroup paths write dashes as underscores
  const d = u.replace(/_/g, '-');
  return UUID.test(d) ? d : undefined;
}

function at(kv: KvValue, path: string[]): KvValue[] {
  if (path.length === 0) return [kv];
  if (kv === null || typeof kv !== 'object') return [];
  const [head, ...rest] = path;
  if (head === '*') return Array.isArray(kv) ? kv.flatMap((v) => at(v, rest)) : [];
  if (Array.isArray(kv)) return [];
  const next = (kv as Record<string, KvValue>)[head!];
  if (next === undefined) return [];
  // `patch` is JSON inside a string in most eras: look inside it
  if (typeof next === 'string' && rest.length > 0 && next.startsWith('{')) {
    try {
      return at(JSON.parse(next) as KvValue, rest);
    } catch {
      return [];
    }
  }
  return at(next, rest);
}

/** `ns/name`, `{name, namespace}`, `name` (no namespace), or lists of them in any era. */
function refsOf(v: KvValue): string[] {
  if (v === null) return [];
  if (Array.isArray(v)) return v.flatMap(refsOf);
  if (typeof v === 'object') {
    const name = v.name;
    const ns = v.namespace;
    return typeof name === 'string' && name ? [typeof ns === 'string' && ns ? `${ns}/${name}` : name] : [];
  }
  if (typeof v !== 'string' || v === '') return [];
  // klog 2.80 (kubelet 1.26) renders KObjSlice as a quoted "[ns/a ns/b]"
  if (v.startsWith('[') && v.endsWith(']')) return v.slice(1, -1).split(' ').filter(Boolean);
  // dockershim's pod full name `name_namespace` (no `_` in either: they are DNS names)
  const full = POD_FULL_NAME.exec(v);
  if (full) return [`${full[2]}/${full[1]}`];
  return [v];
}

function containerOf(v: KvValue): string | undefined {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return typeof v.ID === 'string' ? containerOf(v.ID) : undefined;
  if (typeof v !== 'string') return undefined;
  const m = CONTAINER_ID.exec(v);
  return m ? m[1] : undefined;
}

/**
 * One copy of each UID, name and container ID (numbered, so that the builder can keep a record's
 * references as numbers). Values cut from a record's text are V8 sliced strings that keep the
 * whole decoded chunk (a megabyte) alive; the kept copy is flat.
 */
export class Interner extends StringIds {}

/** Identifies without keeping the strings: for a look at a record whose identity is not kept. */
class Unkept extends Interner {
  override intern(s: string): string {
    return s;
  }
  // one instance serves every look: it must never number (and so keep) a string
  override id(): number {
    throw new Error('unkept strings have no ids');
  }
}
export const unkept: Interner = new Unkept();

const NONE: never[] = [];

class Collector implements RecordIdentity {
  uids: string[] = NONE;
  refs: string[] = NONE;
  containers: string[] = NONE;
  namePairs: [string, string][] = NONE;
  containerPairs: [string, string][] = NONE;

  constructor(private readonly strings: Interner) {}

  uid(s: string | undefined): void {
    const u = s === undefined ? undefined : normaliseUid(s);
    if (!u || this.uids.includes(u)) return;
    if (this.uids === NONE) this.uids = [];
    this.uids.push(this.strings.intern(u));
  }
  ref(r: string): void {
    if (this.refs.includes(r)) return;
    if (this.refs === NONE) this.refs = [];
    this.refs.push(this.strings.intern(r));
  }
  container(c: string | undefined): void {
    if (!c || this.containers.includes(c)) return;
    if (this.containers === NONE) this.containers = [];
    this.containers.push(this.strings.intern(c));
  }
  pairContainer(c: string, uid: string): void {
    if (this.containerPairs === NONE) this.containerPairs = [];
    this.containerPairs.push([this.strings.intern(c), this.strings.intern(uid)]);
  }
  pairName(ref: string, uid: string): void {
    this.ref(ref);
    this.uid(uid);
    const u = normaliseUid(uid);
    if (!u || this.namePairs.some(([r, x]) => r === ref && x === u)) return;
    if (this.namePairs === NONE) this.namePairs = [];
    this.namePairs.push([this.strings.intern(ref), this.strings.intern(u)]);
  }
}

interface CompiledSpec {
  kind: 'uid' | 'ref' | 'container' | 'desc' | 'text';
  path: string[];
}

const compiled = new Map<string, CompiledSpec>();

function compile(spec: string): CompiledSpec {
  let c = compiled.get(spec);
  if (!c) {
    const colon = spec.indexOf(':');
    c = { kind: spec.slice(0, colon) as CompiledSpec['kind'], path: spec.slice(colon + 1).split('.') };
    compiled.set(spec, c);
  }
  return c;
}

function applySpec(c: Collector, spec: string, r: LogRecord): void {
  const { kind, path } = compile(spec);
  if (kind === 'text') {
    // `text:msg`, or the text of a key (`text:err`, `text:cgroupName`)
    const v = path.length === 1 && path[0] === 'msg' ? r.msg : at(r.kv, path)[0];
    if (typeof v === 'string') readText(c, v);
    else if (Array.isArray(v)) readText(c, v.filter((x) => typeof x === 'string').join(' '));
    return;
  }
  const values = at(r.kv, path);
  for (const v of values) {
    if (kind === 'uid' && typeof v === 'string') c.uid(v);
    else if (kind === 'ref') for (const ref of refsOf(v)) c.ref(ref);
    else if (kind === 'container') c.container(containerOf(v));
    else if (kind === 'desc' && typeof v === 'string') {
      for (const one of v.split(', ')) {
        const m = POD_DESC.exec(one.replace(/:[^()]*$/, '')); // `name_ns(uid):container` in probe lines
        if (m) c.pairName(`${m[2]}/${m[1]}`, m[3]!);
      }
    }
  }
}

/** UIDs, `name_ns(uid)` and k8s_ container names inside free text (volume lines, cgroup paths, errors). */
function readText(c: Collector, text: string): void {
  for (const re of [VOLUME_UID, PODS_DIR, UNIQUE_NAME, CGROUP_POD, QUOTED_UID]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) c.uid(m[1]);
  }
  // `name_ns(uid)` as printf-era lines and CrashLoopBackOff errors write it
  DESC_IN_TEXT.lastIndex = 0;
  for (let m = DESC_IN_TEXT.exec(text); m; m = DESC_IN_TEXT.exec(text)) c.pairName(`${m[2]}/${m[1]}`, m[3]!);
  POD_OBJECT_REF.lastIndex = 0;
  for (let m = POD_OBJECT_REF.exec(text); m; m = POD_OBJECT_REF.exec(text)) c.pairName(`${m[1]}/${m[2]}`, m[3]!);
  K8S_NAME.lastIndex = 0;
  for (let m = K8S_NAME.exec(text); m; m = K8S_NAME.exec(text)) {
    // k8s_<container>_<pod>_<namespace>_<uid>_<attempt> (dockershim names; POD is the sandbox)
    c.pairName(`${m[3]}/${m[2]}`, m[4]!);
  }
}

const defaultInterner = new Interner();

export function identify(r: LogRecord, entry: CatalogueEntry | undefined, strings: Interner = defaultInterner): RecordIdentity {
  const c = new Collector(strings);
  if (entry?.identityWhen && !Object.entries(entry.identityWhen).every(([k, v]) => r.kv[k] === v)) return c;
  for (const spec of entry?.identity ?? FALLBACK_SPECS) applySpec(c, spec, r);
  // an error the catalogue does not know names its pod in its text, if at all (`getPodContainerStatuses
  // for pod "name_ns(uid)" failed`): read it there
  if (!entry && (r.severity === 'E' || r.severity === 'W') && c.uids.length === 0) {
    readText(c, typeof r.kv.err === 'string' ? `${r.msg} ${r.kv.err}` : r.msg);
  } else if (!entry && !r.structured && c.uids.length === 0 && r.msg.includes('ObjectReference{Kind:"Pod"')) {
    // a printf line the catalogue does not know, about a pod it names in full (1.17's container refs)
    readText(c, r.msg);
  }
  // printf lines carry `name_ns(uid)` in keys the catalogue may not list (`pod`, `pods`)
  if (!r.structured) for (const key of ['pod', 'pods']) if (typeof r.kv[key] === 'string') applySpec(c, `desc:${key}`, r);
  // one pod reference and one UID in the same record: that name held that UID then
  if (c.refs.length === 1 && c.uids.length === 1) c.pairName(c.refs[0]!, c.uids[0]!);
  // containers of the record's single pod
  if (c.uids.length === 1) for (const id of c.containers) c.pairContainer(id, c.uids[0]!);
  // cAdvisor aliases `[k8s_c_pod_ns_uid_0 <id>]`: the ID belongs to that UID
  const aliases = r.kv.aliases;
  if (Array.isArray(aliases)) {
    const id = aliases.map((a) => (typeof a === 'string' ? containerOf(a) : undefined)).find(Boolean);
    const uid = c.namePairs[0]?.[1];
    if (id && uid) {
      c.container(id);
      c.pairContainer(id, uid);
    }
  }
  return c;
}
