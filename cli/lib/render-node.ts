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

export function renderNodes(lives: NodeLife[], o: { color: boolean }): string {
  const c = paint(o.color);
  const out: string[] = [];
  for (const life of lives) {
    out.push(c.bold(`node ${life.node === null ? '(not named by the log)' : safeText(life.node)}`));
    out.push('kubelet processes');
    for (const k of life.processes) {
      const end = END_WORDS[k.end.kind] ?? k.end.kind;
      const how = k.end.kind === 'crash' ? c.red(`${end}${k.end.message ? `: ${safeText(k.end.message)}` : k.end.signal ? `: ${k.end.signal}` : ''}`) : end;
      // a start only systemd's line shows has its time and no record
      const startedAt = k.start && (k.start.timeUs !== null ? formatTableTime(k.start.timeUs) : where(k.start.at));
      const started = k.start ? `started ${startedAt} (${k.start.evidence.join(', ')})` : `running when the log begins, ${where(k.first)}`;
      out.push(`  pid ${k.pid ?? '?'}  ${safeText(versionText(k))}  ${verbosityText(k)}  ${k.records} records`);
      out.push(`    ${started}`);
      out.push(`    ${where(k.end.at ?? k.last)}  ${how}  ${c.dim(lineOf(k.end.at ?? k.last))}`);
    }
    if (life.incidents.length) {
      out.push('incidents');
      for (const i of life.incidents) {
        const sev = i.severity === 'critical' || i.severity === 'error' ? c.red(i.severity.padEnd(8)) : c.yellow(i.severity.padEnd(8));
        out.push(`  ${where(i.at)}  ${sev} ${titleOf(i.kind as IncidentKind).padEnd(24)} ${safeText(i.detail)}${i.lines > 1 ? c.dim(` (${i.lines} lines)`) : ''}  ${c.dim(lineOf(i.at))}`);
      }
    }
    if (life.events.length) {
      out.push('node lane');
      for (const e of life.events) {
        const span = e.first.line === e.last.line && e.first.source === e.last.source ? where(e.first) : `${where(e.first)} … ${where(e.last)}`;
        out.push(`  ${span}  ${e.kind.padEnd(18)} ${e.lines} line${e.lines === 1 ? '' : 's'}  ${safeText(e.detail)}`);
      }
    }
    out.push('');
  }
  if (lives.length === 0) out.push('No kubelet process in this database (no records).', '');
  return terminalSafe(out.join('\n'));
}
