// `kubelog diff` in a terminal: each section's top rows, worse in red and better in green where
// more is worse (durations, incidents), the rest plain. Pure: a result and a width in, text out.
import { exposureWords, verbosityText, versionsText, type DiffResult, type DurationStats, type OverviewFacts, type Ranked, type SeqEvent, type TemplateChange, type WorkloadDiff } from '../../lifecycle/diff/index.js';
import { formatTableTime } from '../../parser/time.js';
import { paint, type Palette } from './color.js';
import { safeText, terminalSafe } from './terminal-text.js';
import { formatDuration } from './render-pod.js';

export interface DiffRenderOptions {
  width: number;
  color: boolean;
}

const n = (x: number) => x.toLocaleString('en-US');
const when = (us: number | null) => (us === null ? '—' : formatTableTime(us, 0));
const fit = (s: string, w: number) => (s.length > w ? `${s.slice(0, Math.max(1, w - 1))}…` : s);

/** A table: the first column left-aligned, the others right-aligned but for `leftLast` text. */
function table(rows: string[][], indent = '  ', leftLast = false): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => visible(r[i] ?? '').length)));
  const last = rows[0]!.length - 1;
  return rows.map((r) => indent + r.map((cell, i) => pad(cell, widths[i]!, i === 0 || (leftLast && i === last) ? 'end' : 'start')).join('  ').trimEnd());
}

/** Durations in at most five characters or so: 532ms, 2.95s, 30.1s, 4m05s. */
function short(us: number): string {
  if (us < 1e6) return `${Math.round(us / 1000)}ms`;
  if (us < 1e7) return `${(us / 1e6).toFixed(2)}s`;
  if (us < 1.2e8) return `${(us / 1e6).toFixed(1)}s`;
  return formatDuration(us);
}

// ANSI sequences take no room on screen
const visible = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
const pad = (s: string, w: number, side: 'start' | 'end') => {
  const fill = ' '.repeat(Math.max(0, w - visible(s).length));
  return side === 'start' ? fill + s : s + fill;
};

/** b against a where more is worse. */
function versus(c: Palette, a: number, b: number, text: (x: number) => string): string {
  const tb = text(b);
  return `${text(a)} → ${b > a ? c.red(tb) : b < a ? c.green(tb) : tb}`;
}

function sideLines(r: DiffResult, c: Palette): string[] {
  const line = (tag: string, info: DiffResult['a'], f: OverviewFacts) => {
    const nodes = info.nodes.length ? `  ${safeText(info.nodes.join(', '))}` : '';
    const span = f.firstUs === null ? 'no times' : `${when(f.firstUs)} → ${when(f.lastUs)} UTC (${formatDuration(f.spanUs)})`;
    return `${c.bold(tag)}  ${safeText(info.label)}${c.dim(nodes)}  ${c.dim(span)}`;
  };
  return [line('A', r.a, r.overview.a), line('B', r.b, r.overview.b)];
}

function overview(r: DiffResult, c: Palette): string[] {
  const { a, b } = r.overview;
  const differs = new Set<string>(r.overview.differences.map((d) => d.field));
  const row = (label: string, field: string | string[], va: string, vb: string) => {
    const mark = (Array.isArray(field) ? field : [field]).some((f) => differs.has(f));
    return [mark ? c.yellow(`${label} *`) : label, va, mark ? c.yellow(vb) : vb];
  };
  const sev = (f: OverviewFacts) => `${n(f.severity.I)} / ${n(f.severity.W)} / ${n(f.severity.E)} / ${n(f.severity.F)}`;
  const verbosity = (f: OverviewFacts) => verbosityText(f) ?? '—';
  const version = (f: OverviewFacts) => versionsText(f) ?? '—';
  const rows = [
    ['', 'A', 'B'],
    row('time span', 'spanUs', formatDuration(a.spanUs), formatDuration(b.spanUs)),
    row('lines read', 'linesRead', n(a.linesRead), n(b.linesRead)),
    row('records', 'records', n(a.records), n(b.records)),
    row('  I / W / E / F', ['severity.I', 'severity.W', 'severity.E', 'severity.F'], sev(a), sev(b)),
    row('foreign / rejected lines', ['foreignLines', 'rejectedLines'], `${n(a.foreignLines)} / ${n(a.rejectedLines)}`, `${n(b.foreignLines)} / ${n(b.rejectedLines)}`),
    row('pods', 'pods', n(a.pods), n(b.pods)),
    row('kubelet version', 'kubeletVersions', version(a), version(b)),
    row('verbosity', 'verbosity', verbosity(a), verbosity(b)),
    row('kubelet restarts', 'restarts', n(a.restarts), n(b.restarts)),
  ];
  const head = r.overview.differences.length ? `${r.overview.differences.length} facts differ (*)` : 'no differences';
  return [`${c.bold('Overview')}  ${c.dim(head)}`, ...table(rows)];
}

/** What each step is, for people. */
const STEP_WORDS: Record<string, string> = {
  'startup.volumes': 'volumes mounted',
  'startup.sandbox': 'sandbox created',
  'startup.image': 'image pull',
  'startup.init': 'init container run',
  'startup.container': 'container start',
  'startup.ready': 'ready (probe)',
  'teardown.stop': 'container stop',
  'teardown.network': 'network torn down',
  'teardown.volumes': 'volumes unmounted',
  'teardown.removed': 'removal from the API',
};

const stats = (s: DurationStats | null) => (s ? `${short(s.p50Us)}/${short(s.p90Us)}` : '—');

function workloadRow(w: WorkloadDiff, c: Palette, width: number): string[] {
  const metric = (m: 'startup' | 'terminating' | 'terminated') => {
    const sa = w.a[m];
    const sb = w.b[m];
    const text = `${stats(sa)} → ${stats(sb)}`;
    if (!w.changes.some((x) => x.what === m) || !sa || !sb) return text;
    return sb.p90Us > sa.p90Us ? c.red(text) : c.green(text);
  };
  return [
    fit(safeText(w.workload), Math.max(24, width - 96)),
    `${w.a.pods} → ${w.b.pods}`,
    metric('startup'),
    metric('terminating'),
    metric('terminated'),
    versus(c, w.a.incidentTotal, w.b.incidentTotal, n),
  ];
}

const more = <T>(list: Ranked<T>, c: Palette) => (list.total > list.items.length ? [c.dim(`    … ${list.total - list.items.length} more`)] : []);

function lifecycle(r: DiffResult, c: Palette, width: number): string[] {
  const l = r.lifecycle;
  const head = l.compared
    ? `${l.workloads.total} of ${l.compared} workloads on both sides changed; by significance (Mann-Whitney of the pods' durations, G-test of incidents per pod)`
    : 'no workload on both sides';
  const out = [`${c.bold('Lifecycle by workload')}  ${c.dim(head)}`];
  if (l.workloads.items.length) {
    out.push(...table([['workload', 'pods', 'startup p50/p90', 'terminating p50/p90', 'terminated p50/p90', 'incidents'], ...l.workloads.items.map((w) => workloadRow(w, c, width))]));
    out.push(...more(l.workloads, c));
  }
  if (l.steps.items.length) {
    // `image pull p90 2 s → 31 s`: which step of the startup (or teardown) moved
    out.push(`  ${c.bold('steps')} ${c.dim('(p50/p90 of each step of the startups and teardowns; by the fold of the p90)')}`);
    out.push(...table(l.steps.items.map((x) => [safeText(x.workload), STEP_WORDS[x.step] ?? x.step, `${stats(x.a)} → ${stats(x.b)}`, c.dim(`${x.a.count} → ${x.b.count}`)]), '    '));
    out.push(...more(l.steps, c));
  }
  if (l.incidents.items.length) {
    out.push(`  ${c.bold('incidents')} ${c.dim('(occurrences, pods showing them; by G-test of the share of pods)')}`);
    out.push(...table(l.incidents.items.map((x) => [x.kind, versus(c, x.a, x.b, n), `${n(x.podsA)} → ${n(x.podsB)} pods`, c.dim(`p=${x.p.toPrecision(2)}`)]), '    '));
    out.push(...more(l.incidents, c));
  }
  const only = (label: string, list: Ranked<{ workload: string; pods: number }>) =>
    list.total ? [`  ${label} (${list.total}): ${list.items.map((w) => `${safeText(w.workload)} ${c.dim(`(${w.pods})`)}`).join(', ')}${list.total > list.items.length ? ', …' : ''}`] : [];
  out.push(...only('workloads only in A', l.onlyA), ...only('workloads only in B', l.onlyB));
  const pods = (label: string, list: DiffResult['lifecycle']['podsOnlyA']) =>
    list.total ? [`  ${label}: ${n(list.total)}${c.dim(` (${list.items.map((p) => safeText(p.pod ?? p.key)).join(', ')}${list.total > list.items.length ? ', …' : ''})`)}`] : [];
  out.push(...pods('pods only in A', l.podsOnlyA), ...pods('pods only in B', l.podsOnlyB));
  if (out.length === 1) out.push(c.dim('  no differences'));
  return out;
}

function messages(r: DiffResult, c: Palette, width: number): string[] {
  const m = r.messages;
  const unit = m.exposure === 'hours' ? '/h' : '/rec';
  const rate = (x: number) => (m.exposure === 'hours' ? x.toFixed(1) : x.toPrecision(2));
  const sev = (t: TemplateChange) => (t.severity === 'E' || t.severity === 'F' ? c.red(t.severity) : t.severity === 'W' ? c.yellow(t.severity) : t.severity ?? ' ');
  const templ = (t: TemplateChange, used: number) => fit(safeText(t.template.replace(/\s+/g, ' ')), Math.max(20, width - used));
  const out = [`${c.bold('Messages')}  ${c.dim(`${n(m.templatesA)} templates in A, ${n(m.templatesB)} in B; ${exposureWords(m, r.overview.a.spanUs, r.overview.b.spanUs, formatDuration)}; ranked by G-test`)}`];
  const list = (label: string, l: Ranked<TemplateChange>, cells: (t: TemplateChange) => string[], used: number) => {
    if (!l.total) return;
    out.push(`  ${c.bold(label)} (${n(l.total)})`);
    out.push(...table(l.items.map((t) => [...cells(t), sev(t), templ(t, used)]), '    ', true));
    out.push(...more(l, c));
  };
  list('new in B', m.new, (t) => [`${n(t.b)}×`, `${rate(t.rateB)}${unit}`], 40);
  list('gone in B', m.gone, (t) => [`${n(t.a)}×`, `${rate(t.rateA)}${unit}`], 40);
  list('rate changed', m.changed, (t) => [`${rate(t.rateA)} → ${rate(t.rateB)}${unit}`, `×${(t.fold ?? 0).toFixed(2)}`, c.dim(`G=${t.g.toFixed(0)}`)], 56);
  if (!m.new.total && !m.gone.total && !m.changed.total) out.push(c.dim('  no differences'));
  return out;
}

function samePods(r: DiffResult, c: Palette, width: number): string[] {
  const s = r.samePods;
  const out = [`${c.bold('Same pod UID on both sides')}  ${c.dim(`${s.compared} compared, ${s.identical} identical`)}`];
  const ev = (e: SeqEvent | null, tag: string) =>
    e === null ? `    ${tag}  ${c.dim('(no more events)')}` : `    ${tag} #${e.index}  ${fit(`${e.kind}  ${safeText(e.template)}`, Math.max(20, width - 14))}`;
  for (const d of s.diverging.items) {
    const how = d.alignedBy === 'time' ? `from A #${d.alignedAt.a} = B #${d.alignedAt.b}, ` : '';
    out.push(`  ${safeText(d.pod ?? d.uid)} ${c.dim(d.uid.slice(0, 8))}: ${how}${d.common} events alike, then they part`);
    out.push(ev(d.a, c.bold('A')), ev(d.b, c.bold('B')));
  }
  out.push(...more(s.diverging, c));
  return out;
}

export function renderDiff(r: DiffResult, o: DiffRenderOptions): string {
  const c = paint(o.color);
  const sections = [sideLines(r, c), overview(r, c), lifecycle(r, c, o.width), messages(r, c, o.width)];
  if (r.samePods.compared) sections.push(samePods(r, c, o.width));
  return terminalSafe(sections.map((s) => s.join('\n')).join('\n\n') + '\n');
}
