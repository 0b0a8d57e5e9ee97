// `kubelog node` in a terminal: per node, each kubelet process (version, -v, from when to when,
// how it ended), the node's incidents, and the node lane's conditions. Pure: the stored life in,
// text out. Every string from the log is made terminal-safe.
import type { KubeletProcessView, NodeLife, NodePoint } from '../../store/node-life.js';
import { titleOf, type IncidentKind } from '../../lifecycle/incident-rules.js';
import { formatTableTime } from '../../parser/time.js';
import { paint } from './color.js';
import { safeText, terminalSafe } from './terminal-text.js';

/** A point as a time (UTC, ms) when the log has one, else its line. */
const where = (p: NodePoint | null): string => (p === null ? '(systemd)' : p.timeUs !== undefined ? formatTableTime(p.timeUs) : `L${p.line}`);
const lineOf = (p: NodePoint | null): string => (p === null ? '' : `source ${p.source} L${p.line}`);

const END_WORDS: Record<string, string> = {
  crash: 'crashed',
  exit: 'exited',
  stop: 'stopped by systemd',
  restart: 'replaced by a new process',
  'log-end': 'running when the log ends',
};

function versionText(k: KubeletProcessView): string {
  if (k.version) return k.version;
  if (!k.versionEstimate || k.versionEstimate.label === 'unknown') return 'version unknown';
  return `${k.versionEstimate.label} (from its ${k.versionEstimate.basis === 'callers' ? 'callers’ file:line' : k.versionEstimate.basis})`;
}

function verbosityText(k: KubeletProcessView): string {
  if (!k.verbosity || k.verbosity.kind === 'unknown') return '-v unknown';
  return k.verbosity.kind === 'exact' ? `-v=${k.verbosity.level}` : `-v≥${k.verbosity.level}`;
}

/**
 * The text of every node's life, in pieces of whole lines (each terminal-safe), as the lists are
 * read: a log of a process per line would not fit in memory as one string.
 */
export function* renderNodes(lives: Iterable<NodeLife>, o: { color: boolean }): Generator<string> {
  const c = paint(o.color);
  const line = (s: string) => terminalSafe(s) + '\n';
  let nodes = 0;
  for (const life of lives) {
    // a blank line between nodes
    if (nodes++ > 0) yield '\n';
    yield line(c.bold(`node ${life.node === null ? '(not named by the log)' : safeText(life.node)}`));
    yield line('kubelet processes');
    for (const k of life.processes) {
      const end = END_WORDS[k.end.kind] ?? k.end.kind;
      const how = k.end.kind === 'crash' ? c.red(`${end}${k.end.message ? `: ${safeText(k.end.message)}` : k.end.signal ? `: ${k.end.signal}` : ''}`) : end;
      // a start only systemd's line shows has its time and no record
      const startedAt = k.start && (k.start.timeUs !== null ? formatTableTime(k.start.timeUs) : where(k.start.at));
      const started = k.start ? `started ${startedAt} (${k.start.evidence.join(', ')})` : `running when the log begins, ${where(k.first)}`;
      yield line(`  pid ${k.pid ?? '?'}  ${safeText(versionText(k))}  ${verbosityText(k)}  ${k.records} records`);
      yield line(`    ${started}`);
      yield line(`    ${where(k.end.at ?? k.last)}  ${how}  ${c.dim(lineOf(k.end.at ?? k.last))}`);
    }
    let first = true;
    for (const i of life.incidents) {
      if (first) yield line('incidents');
      first = false;
      const sev = i.severity === 'critical' || i.severity === 'error' ? c.red(i.severity.padEnd(8)) : c.yellow(i.severity.padEnd(8));
      yield line(`  ${where(i.at)}  ${sev} ${titleOf(i.kind as IncidentKind).padEnd(24)} ${safeText(i.detail)}${i.lines > 1 ? c.dim(` (${i.lines} lines)`) : ''}  ${c.dim(lineOf(i.at))}`);
    }
    first = true;
    for (const e of life.events) {
      if (first) yield line('node lane');
      first = false;
      const span = e.first.line === e.last.line && e.first.source === e.last.source ? where(e.first) : `${where(e.first)} … ${where(e.last)}`;
      yield line(`  ${span}  ${e.kind.padEnd(18)} ${e.lines} line${e.lines === 1 ? '' : 's'}  ${safeText(e.detail)}`);
    }
  }
  if (nodes === 0) yield line('No kubelet process in this database (no records).');
}
