// What a record or a systemd line says about the kubelet's own life (schemas/kubelet-life.json):
// a start-up step, an exit, a node-level condition, a systemd unit start/stop. Called for every
// record, so the lookup is one map hit on the msg, the printf id or the first word.
import data from '../schemas/kubelet-life.json' with { type: 'json' };
import type { KvValue, LogRecord } from '../parser/types.js';

export type StartKind = 'flag-deprecated' | 'flags' | 'version' | 'started-kubelet' | 'main-sync-loop' | 'starting-event';
export type NodeEventKind =
  | 'not-ready'
  | 'ready'
  | 'eviction-pressure'
  | 'eviction'
  | 'pleg-unhealthy'
  | 'network-not-ready'
  | 'runtime-not-ready'
  | 'starting'
  | 'node-shutdown';
export type SystemdEffect = 'start' | 'stop' | 'stopped' | 'exited' | 'failed' | 'restart';

export interface StartSignal {
  kind: StartKind;
  /** Order within one start-up: an earlier stage after a later one is a new process. */
  stage: number;
  /** Logged once per process: seen twice means two processes. */
  once: boolean;
  version?: string;
  /** The flag a `FLAG: --x=…` line names (the dump is alphabetical). */
  flag?: string;
}

export interface NodeSignal {
  id: string;
  kinds: NodeEventKind[];
  /** The text the condition was read from (msg and string values), shortened. */
  detail: string;
}

export interface RecordSignals {
  start?: StartSignal;
  /** The kubelet says it is exiting (an error it cannot run with, klog.Fatal). */
  exit?: { id: string; message: string };
  node?: NodeSignal;
}

export interface SystemdSignal {
  id: string;
  effect: SystemdEffect;
  unit: string;
  /** main-exited: `exited`, `killed` or `dumped`, and the status (exit code or signal number). */
  code?: string;
  status?: number;
  statusName?: string;
  /** failed-result: `exit-code`, `signal`, `core-dump`, `timeout`, … */
  result?: string;
}

interface Match {
  msg?: string[];
  printf?: string[];
  prefix?: string[];
  contains?: string;
  severity?: string;
  format?: string;
  kv?: Record<string, string[]>;
}

interface Entry {
  id: string;
  match: Match;
  on(r: LogRecord, out: RecordSignals): void;
}

const DETAIL_MAX = 300;

// ---- the schema, compiled ------------------------------------------------------------------

const START_KINDS: ReadonlySet<string> = new Set<StartKind>(['flag-deprecated', 'flags', 'version', 'started-kubelet', 'main-sync-loop', 'starting-event']);
const NODE_KINDS: ReadonlySet<string> = new Set<NodeEventKind>(['not-ready', 'ready', 'eviction-pressure', 'eviction', 'pleg-unhealthy', 'network-not-ready', 'runtime-not-ready', 'starting', 'node-shutdown']);
const EFFECTS: ReadonlySet<string> = new Set<SystemdEffect>(['start', 'stop', 'stopped', 'exited', 'failed', 'restart']);

function checked<T extends string>(set: ReadonlySet<string>, value: string, where: string): T {
  if (!set.has(value)) throw new Error(`schemas/kubelet-life.json: unknown ${where} "${value}"`);
  return value as T;
}

const REASONS = data.reasons.map((r) => ({ kind: checked<NodeEventKind>(NODE_KINDS, r.kind, 'reason kind'), contains: r.contains }));

const FLAG_NAME = /^FLAG: --([^=]+)/;

function startEntry(e: (typeof data.start)[number]): Entry {
  const kind = checked<StartKind>(START_KINDS, e.id, 'start id');
  const versionRe = e.version?.msg ? new RegExp(e.version.msg) : undefined;
  const versionKey = e.version && 'kv' in e.version ? e.version.kv : undefined;
  return {
    id: e.id,
    match: e.match,
    on(r, out) {
      const s: StartSignal = { kind, stage: e.stage, once: e.once };
      const v = versionKey !== undefined && typeof r.kv[versionKey] === 'string' ? (r.kv[versionKey] as string) : versionRe?.exec(r.msg)?.[1];
      if (v !== undefined) s.version = v;
      if (kind === 'flags') {
        const f = FLAG_NAME.exec(r.msg)?.[1];
        if (f !== undefined) s.flag = f;
      }
      out.start = s;
    },
  };
}

function endEntry(e: (typeof data.end)[number]): Entry {
  return { id: e.id, match: e.match, on: (r, out) => void (out.exit = { id: e.id, message: r.msg }) };
}

function nodeEntry(e: (typeof data.node)[number]): Entry {
  const own = e.kind === null ? undefined : checked<NodeEventKind>(NODE_KINDS, e.kind, 'node kind');
  const withReasons = own === undefined || ('reasons' in e && e.reasons === true);
  return {
    id: e.id,
    match: e.match as Match,
    on(r, out) {
      const text = textOf(r);
      const kinds: NodeEventKind[] = own ? [own] : [];
      if (withReasons) for (const reason of REASONS) if (reason.contains.some((c) => text.includes(c)) && !kinds.includes(reason.kind)) kinds.push(reason.kind);
      if (kinds.length > 0) out.node = { id: e.id, kinds, detail: text.length > DETAIL_MAX ? text.slice(0, DETAIL_MAX - 1) + '…' : text };
    },
  };
}

/** The msg and every string value of the record, where reasons are looked for. */
function textOf(r: LogRecord): string {
  const parts = [r.msg];
  const walk = (v: KvValue): void => {
    if (typeof v === 'string') parts.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  for (const v of Object.values(r.kv)) walk(v);
  return parts.join(' ');
}

// ---- the index -------------------------------------------------------------------------------

/**
 * Nearly every record matches nothing, so each lookup is gated by something cheaper than hashing
 * the msg: its length (exact msgs), its first character (prefixes).
 */
class SignalIndex {
  private readonly byMsg = new Map<string, Entry[]>();
  private readonly msgLengths = new Set<number>();
  private readonly byPrintf = new Map<string, Entry[]>();
  /** Prefixes by their first character. */
  private readonly byFirstChar = new Map<number, [string, Entry][]>();
  /** Entries with conditions only (`severity: F`): tried on every record. */
  private readonly any: Entry[] = [];

  constructor(entries: Entry[]) {
    const add = <K, V>(map: Map<K, V[]>, key: K, v: V) => map.set(key, [...(map.get(key) ?? []), v]);
    for (const e of entries) {
      const m = e.match;
      for (const msg of m.msg ?? []) {
        add(this.byMsg, msg, e);
        this.msgLengths.add(msg.length);
      }
      for (const id of m.printf ?? []) add(this.byPrintf, id, e);
      for (const p of m.prefix ?? []) add(this.byFirstChar, p.charCodeAt(0), [p, e] as [string, Entry]);
      if (!m.msg && !m.printf && !m.prefix) this.any.push(e);
    }
  }

  signalsOf(r: LogRecord): RecordSignals | undefined {
    let out = this.any.length > 0 ? applyAll(this.any, r, undefined) : undefined;
    const exact = this.msgLengths.has(r.msg.length) ? this.byMsg.get(r.msg) : undefined;
    if (exact) out = applyAll(exact, r, out);
    if (r.printf !== undefined) {
      const printf = this.byPrintf.get(r.printf);
      if (printf) out = applyAll(printf, r, out);
    }
    if (out === undefined) {
      const prefixed = this.byFirstChar.get(r.msg.charCodeAt(0));
      if (prefixed) for (const [p, e] of prefixed) if (r.msg.startsWith(p)) out = applyAll([e], r, out);
    }
    return out;
  }
}

/** The signals of the entries whose conditions hold, added to `out` (made on the first). */
function applyAll(entries: readonly Entry[], r: LogRecord, out: RecordSignals | undefined): RecordSignals | undefined {
  for (const e of entries) {
    if (!conditionsHold(e.match, r)) continue;
    e.on(r, (out ??= {}));
  }
  return out;
}

function conditionsHold(m: Match, r: LogRecord): boolean {
  if (m.severity !== undefined && r.severity !== m.severity) return false;
  if (m.format !== undefined && r.format !== m.format) return false;
  if (m.contains !== undefined && !r.msg.includes(m.contains)) return false;
  if (m.kv !== undefined && r.structured) {
    for (const [k, values] of Object.entries(m.kv)) {
      const v = r.kv[k];
      if (v === undefined || v === null || typeof v === 'object' || !values.includes(String(v))) return false;
    }
  }
  return true;
}

const index = new SignalIndex([...data.start.map(startEntry), ...data.end.map(endEntry), ...data.node.map(nodeEntry)]);

/** What a record says about the kubelet's life, or undefined (most records). */
export function signalsOf(r: LogRecord): RecordSignals | undefined {
  if (r.format === 'crash') return undefined; // crash records are read by the process tracker itself
  return index.signalsOf(r);
}

// ---- systemd -----------------------------------------------------------------------------------

const SYSTEMD_IDENTS: ReadonlySet<string> = new Set(data.systemd.idents);
const KUBELET_UNIT = new RegExp(data.systemd.unit);
const SYSTEMD_LINES = data.systemd.lines.map((l) => ({ id: l.id, effect: checked<SystemdEffect>(EFFECTS, l.effect, 'systemd effect'), re: new RegExp(l.regex) }));

/** What systemd's own line (ident `systemd`, text after the envelope) says about the kubelet unit. */
export function systemdSignal(ident: string | undefined, text: string): SystemdSignal | undefined {
  if (ident === undefined || !SYSTEMD_IDENTS.has(ident)) return undefined;
  for (const l of SYSTEMD_LINES) {
    const m = l.re.exec(text);
    if (!m) continue;
    const g = m.groups ?? {};
    const unit = g.unit ?? g.unit2 ?? '';
    if (!KUBELET_UNIT.test(unit)) return undefined;
    const s: SystemdSignal = { id: l.id, effect: l.effect, unit };
    if (g.code !== undefined) s.code = g.code;
    if (g.status !== undefined) s.status = Number(g.status);
    if (g.statusName !== undefined) s.statusName = g.statusName;
    if (g.result !== undefined) s.result = g.result;
    return s;
  }
  return undefined;
}

export const kubeletLifeSettings = { timeBackUs: data.settings.timeBackUs, mergeWithinUs: data.settings.mergeWithinUs };
