// The diff's sections as tables, in `kubelog diff`'s order and ranking: overview, lifecycle by
// workload (a row picks the workload of the aligned timelines), incidents, what one side has
// alone, message templates, and pods with the same UID. Log text is shown as text.
import { incidentTitle } from '../incidents.js';
import type { ReactNode } from 'react';
import type { DiffResult, DurationStats, Metric, OverviewFacts, Ranked, TemplateChange, WorkloadDiff } from '../../../../lifecycle/diff/types.js';
import { verbosityText, versionsText } from '../../../../lifecycle/diff/overview.js';
import { onLinkClick, podHref } from '../router.js';
import { dateTimeMs, duration } from '../time.js';

const n = (x: number): string => x.toLocaleString('en-US');

/** b against a where more is worse: the class says which way it went. */
const worse = (a: number, b: number): string => (b > a ? 'worse' : b < a ? 'better' : '');

function More<T>({ list }: { list: Ranked<T> }): ReactNode {
  return list.total > list.items.length ? (
    <div className="dim more">
      {list.items.length} of {n(list.total)} shown (raise “rows” above for more)
    </div>
  ) : null;
}

export function OverviewTable({ r }: { r: DiffResult }): ReactNode {
  const { a, b } = r.overview;
  const differs = new Set<string>(r.overview.differences.map((d) => d.field));
  const sev = (f: OverviewFacts): string => `${n(f.severity.I)} / ${n(f.severity.W)} / ${n(f.severity.E)} / ${n(f.severity.F)}${f.severity.none ? ` (+${n(f.severity.none)} without)` : ''}`;
  const when = (f: OverviewFacts): string => (f.firstUs === null || f.lastUs === null ? 'no times' : `${dateTimeMs(f.firstUs)} → ${dateTimeMs(f.lastUs)} UTC`);
  const rows: Array<[string, string[], string, string]> = [
    ['time', [], when(a), when(b)],
    ['time span', ['spanUs'], duration(a.spanUs), duration(b.spanUs)],
    ['lines read', ['linesRead'], n(a.linesRead), n(b.linesRead)],
    ['records', ['records'], n(a.records), n(b.records)],
    ['I / W / E / F', ['severity.I', 'severity.W', 'severity.E', 'severity.F', 'severity.none'], sev(a), sev(b)],
    ['foreign / rejected lines', ['foreignLines', 'rejectedLines'], `${n(a.foreignLines)} / ${n(a.rejectedLines)}`, `${n(b.foreignLines)} / ${n(b.rejectedLines)}`],
    ['pods', ['pods'], n(a.pods), n(b.pods)],
    ['kubelet version', ['kubeletVersions'], versionsText(a) ?? '—', versionsText(b) ?? '—'],
    ['verbosity', ['verbosity'], verbosityText(a) ?? '—', verbosityText(b) ?? '—'],
    ['kubelet restarts', ['restarts'], n(a.restarts), n(b.restarts)],
  ];
  return (
    <table className="diff-table" data-testid="diff-overview">
      <thead>
        <tr>
          <th />
          <th>A</th>
          <th>B</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, fields, va, vb]) => {
          const changed = fields.some((f) => differs.has(f));
          return (
            <tr key={label} className={changed ? 'changed' : undefined} data-changed={changed ? '1' : undefined}>
              <th scope="row">{label}</th>
              <td className="mono">{va}</td>
              <td className="mono">{vb}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const METRICS: Metric[] = ['startup', 'terminating', 'terminated'];

function StatsCell({ a, b, changed }: { a: DurationStats | null; b: DurationStats | null; changed: boolean }): ReactNode {
  const text = (s: DurationStats | null): string => (s ? `${duration(s.p50Us)} / ${duration(s.p90Us)} / ${duration(s.maxUs)}` : '—');
  return (
    <td className={`mono${changed && a && b ? ` ${worse(a.p90Us, b.p90Us)}` : ''}`}>
      <div>{text(a)}</div>
      <div>{text(b)}</div>
    </td>
  );
}

export function WorkloadTable({ list, selected, onPick }: { list: Ranked<WorkloadDiff>; selected: string | null; onPick: (w: WorkloadDiff) => void }): ReactNode {
  return (
    <>
      <table className="diff-table" data-testid="diff-workloads">
        <thead>
          <tr>
            <th>workload</th>
            <th className="num">pods A / B</th>
            {METRICS.map((m) => (
              <th key={m}>
                {m} p50 / p90 / max
                <div className="dim">A above B</div>
              </th>
            ))}
            <th className="num">incidents A / B</th>
            <th className="num" title="chi-square, 1 degree of freedom: Mann-Whitney z² of the pods' durations, or the G-test of incidents per pod">
              significance
            </th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((w) => (
            <tr key={w.workload} className={w.workload === selected ? 'selected' : undefined} data-testid="diff-workload" data-workload={w.workload} onClick={() => onPick(w)}>
              <td>
                <button type="button" className="linklike" title="show its pods aligned below">
                  {w.workload}
                </button>
                <div className="dim">{w.changes.map((c) => changeText(c.what, c.a, c.b)).join('; ')}</div>
              </td>
              <td className="num mono">
                {n(w.a.pods)} / {n(w.b.pods)}
              </td>
              {METRICS.map((m) => (
                <StatsCell key={m} a={w.a[m]} b={w.b[m]} changed={w.changes.some((c) => c.what === m)} />
              ))}
              <td className={`num mono ${worse(w.a.incidentTotal, w.b.incidentTotal)}`}>
                {n(w.a.incidentTotal)} / {n(w.b.incidentTotal)}
              </td>
              <td className="num mono" data-testid="diff-significance">
                {w.score.toFixed(1)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <More list={list} />
    </>
  );
}

const changeText = (what: Metric | 'incidents', a: number, b: number): string => (what === 'incidents' ? `incidents ${n(a)} → ${n(b)}` : `${what} p90 ${duration(a)} → ${duration(b)}`);

export function IncidentTable({ r }: { r: DiffResult }): ReactNode {
  const list = r.lifecycle.incidents;
  return (
    <>
      <table className="diff-table" data-testid="diff-incidents">
        <thead>
          <tr>
            <th>incident</th>
            <th className="num">occurrences A → B</th>
            <th className="num">pods A → B</th>
            <th className="num">G</th>
            <th className="num">p</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((x) => (
            <tr key={x.kind} data-testid="diff-incident" data-kind={x.kind}>
              <td>{incidentTitle(x.kind)}</td>
              <td className={`num mono ${worse(x.a, x.b)}`}>
                {n(x.a)} → {n(x.b)}
              </td>
              <td className={`num mono ${worse(x.podsA, x.podsB)}`}>
                {n(x.podsA)} → {n(x.podsB)}
              </td>
              <td className="num mono">{x.g.toFixed(1)}</td>
              <td className="num mono">{x.p.toPrecision(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <More list={list} />
    </>
  );
}

export function OnlyOneSide({ r }: { r: DiffResult }): ReactNode {
  const l = r.lifecycle;
  const workloads = (tag: string, list: DiffResult['lifecycle']['onlyA']): ReactNode =>
    list.total ? (
      <div data-testid={`diff-only-${tag}`}>
        <strong>Workloads only in {tag}</strong> ({n(list.total)}):{' '}
        {list.items.map((w, i) => (
          <span key={w.workload}>
            {i ? ', ' : ''}
            {w.workload}{' '}
            <span className="dim">
              ({n(w.pods)} pods{w.incidents ? `, ${n(w.incidents)} incidents` : ''})
            </span>
          </span>
        ))}
        {list.total > list.items.length ? ', …' : ''}
      </div>
    ) : null;
  const pods = (tag: string, list: DiffResult['lifecycle']['podsOnlyA']): ReactNode =>
    list.total ? (
      <div data-testid={`diff-pods-only-${tag}`}>
        <strong>Pods only in {tag}</strong> ({n(list.total)}):{' '}
        {list.items.map((p, i) => (
          <span key={p.key}>
            {i ? ', ' : ''}
            <a href={podHref(p.key)} onClick={onLinkClick}>
              {p.pod ?? p.key}
            </a>
          </span>
        ))}
        {list.total > list.items.length ? ', …' : ''}
      </div>
    ) : null;
  const parts = [workloads('A', l.onlyA), workloads('B', l.onlyB), pods('A', l.podsOnlyA), pods('B', l.podsOnlyB)].filter(Boolean);
  return parts.length ? <div className="diff-only">{parts}</div> : null;
}

export function TemplateTable({ r, list, kind }: { r: DiffResult; list: Ranked<TemplateChange>; kind: 'new' | 'gone' | 'changed' }): ReactNode {
  const m = r.messages;
  const unit = m.exposure === 'hours' ? '/h' : '/record';
  const rate = (x: number): string => (m.exposure === 'hours' ? x.toFixed(1) : x.toPrecision(2));
  if (!list.total) return <div className="dim">none</div>;
  return (
    <>
      <table className="diff-table" data-testid={`diff-messages-${kind}`}>
        <thead>
          <tr>
            <th>sev</th>
            <th>template</th>
            <th className="num">count A → B</th>
            <th className="num">rate A → B ({unit})</th>
            {kind === 'changed' ? <th className="num">fold</th> : null}
            <th className="num">G</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((t) => (
            <tr key={`${t.severity}${t.template}`} data-testid="diff-template">
              <td className={`sev ${t.severity === 'E' || t.severity === 'F' ? 'sev-e' : t.severity === 'W' ? 'sev-w' : ''}`}>{t.severity ?? ''}</td>
              <td className="mono template">{t.template}</td>
              <td className="num mono">
                {n(t.a)} → {n(t.b)}
              </td>
              <td className="num mono">
                {rate(t.rateA)} → {rate(t.rateB)}
              </td>
              {kind === 'changed' ? <td className="num mono">×{(t.fold ?? 0).toFixed(2)}</td> : null}
              <td className="num mono">{t.g.toFixed(0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <More list={list} />
    </>
  );
}

export function SamePodsTable({ r }: { r: DiffResult }): ReactNode {
  const s = r.samePods;
  if (!s.diverging.total) return <div className="dim">{s.compared ? `All ${n(s.compared)} have the same events on both sides.` : 'No pod UID is on both sides.'}</div>;
  const ev = (e: DiffResult['samePods']['diverging']['items'][number]['a']): ReactNode =>
    e === null ? (
      <span className="dim">(no more events)</span>
    ) : (
      <>
        <span className="dim">#{e.index}</span> {e.kind} <span className="mono">{e.template}</span>
      </>
    );
  return (
    <>
      <table className="diff-table" data-testid="diff-same-pods">
        <thead>
          <tr>
            <th>pod</th>
            <th className="num">events A / B</th>
            <th className="num">alike</th>
            <th>where they part: A</th>
            <th>B</th>
          </tr>
        </thead>
        <tbody>
          {s.diverging.items.map((d) => (
            <tr key={d.uid} data-testid="diff-same-pod" data-uid={d.uid}>
              <td>
                <a href={podHref(d.uid)} onClick={onLinkClick}>
                  {d.pod ?? d.uid}
                </a>
                <div className="mono dim">{d.uid}</div>
              </td>
              <td className="num mono">
                {n(d.eventsA)} / {n(d.eventsB)}
              </td>
              <td className="num mono" title={d.alignedBy === 'time' ? `from A #${d.alignedAt.a} = B #${d.alignedAt.b} (same time)` : 'from each side’s first event'}>
                {n(d.common)}
              </td>
              <td>{ev(d.a)}</td>
              <td>{ev(d.b)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <More list={s.diverging} />
    </>
  );
}
