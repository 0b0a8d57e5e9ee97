// Two nodes, or two sets of sources, of the served database compared as `kubelog diff` compares
// them: one workload's pods of both sides aligned at the start of a phase, then each section's
// ranked table. Sides, workload, phase and rows are in the URL.
import { useEffect, type ReactNode } from 'react';
import type { SourcesResponse } from '../../../api/types.js';
import type { DiffResult, Metric, WorkloadDiff } from '../../../../lifecycle/diff/types.js';
import { exposureWords } from '../../../../lifecycle/diff/thresholds.js';
import { duration } from '../time.js';
import { useApi } from '../api.js';
import { queryString, setQuery } from '../router.js';
import { Empty, ErrorState, Loading, NothingIngested } from '../components/States.js';
import { ALIGN_AT, type AlignAt } from './align.js';
import { AlignedTimeline } from './AlignedTimeline.js';
import { IncidentTable, OnlyOneSide, OverviewTable, SamePodsTable, TemplateTable, WorkloadTable } from './DiffTables.js';
import { defaultSides, sideOptions, type SideOption } from './sides.js';

const TOPS = [10, 25, 50, 100];

/** The phase whose start lines the pods up, for what changed most in a workload. */
const ALIGN_FOR: Record<Metric | 'incidents', AlignAt> = { startup: 'sync', terminating: 'terminating', terminated: 'terminated', incidents: 'terminating' };

export function DiffPage({ query }: { query: URLSearchParams }): ReactNode {
  const contents = useApi<SourcesResponse>('/api/sources');
  const defaults = contents.data ? defaultSides(contents.data) : null;
  const a = query.get('a') ?? '';
  const b = query.get('b') ?? '';
  const top = Number(query.get('top')) || 10;

  // an address without sides gets the default pair, as if the user had picked them
  const [defaultA, defaultB] = [defaults?.a, defaults?.b];
  useEffect(() => {
    if ((!a || !b) && defaultA && defaultB) setQuery({ a: a || defaultA, b: b || defaultB }, { replace: true });
  }, [a, b, defaultA, defaultB]);

  const diff = useApi<DiffResult>(a && b ? `/api/diff${queryString({ a, b, top: top === 10 ? undefined : top })}` : null);

  if (contents.state === 'error') return <ErrorState error={contents.error} what="the database's sources" />;
  if (!contents.data) return <Loading what="the database's sources" />;
  if (contents.data.sources.length === 0) return <NothingIngested />;
  if (!defaults && (!a || !b)) return <OneSide />;

  const options = sideOptions(contents.data);
  return (
    <div className="diff-page" data-testid="diff-page">
      <form className="toolbar" onSubmit={(e) => e.preventDefault()}>
        <SidePicker tag="A" value={a} options={options} onChange={(v) => setQuery({ a: v, workload: undefined })} />
        <button type="button" onClick={() => setQuery({ a: b, b: a, workload: undefined })} title="swap A and B" data-testid="diff-swap">
          ⇄
        </button>
        <SidePicker tag="B" value={b} options={options} onChange={(v) => setQuery({ b: v, workload: undefined })} />
        <label>
          rows{' '}
          <select value={top} onChange={(e) => setQuery({ top: e.target.value === '10' ? undefined : e.target.value })} aria-label="rows per table">
            {TOPS.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        {diff.state === 'loading' && diff.data ? <span className="dim">comparing…</span> : null}
      </form>
      {a === b ? <div className="state-help diff-note">A and B are the same: pick another side to compare.</div> : null}
      {diff.state === 'error' ? <ErrorState error={diff.error} what="the diff" /> : null}
      {!diff.data && diff.state === 'loading' ? <Loading what={`the diff of ${a} and ${b} (a day of a busy node takes a few seconds)`} /> : null}
      {diff.data ? <DiffBody r={diff.data} query={query} /> : null}
    </div>
  );
}

function SidePicker({ tag, value, options, onChange }: { tag: string; value: string; options: SideOption[]; onChange: (v: string) => void }): ReactNode {
  return (
    <label>
      <strong>{tag}</strong>{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)} aria-label={`side ${tag}`} data-testid={`diff-side-${tag.toLowerCase()}`}>
        {options.some((o) => o.value === value) ? null : <option value={value}>{value}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

function DiffBody({ r, query }: { r: DiffResult; query: URLSearchParams }): ReactNode {
  const workloads = r.lifecycle.workloads.items;
  const asked = query.get('workload');
  const picked: WorkloadDiff | undefined = workloads.find((w) => w.workload === asked) ?? (asked ? undefined : workloads[0]);
  const workload = asked ?? picked?.workload ?? null;
  const askedAlign = query.get('align') as AlignAt | null;
  const at: AlignAt = askedAlign && ALIGN_AT.includes(askedAlign) ? askedAlign : picked ? ALIGN_FOR[picked.changes[0]!.what] : 'terminating';
  const pick = (w: WorkloadDiff): void => setQuery({ workload: w.workload, align: ALIGN_FOR[w.changes[0]!.what] });
  const m = r.messages;
  return (
    <div className="diff-body">
      <section className="diff-section">
        <h2>
          Pods aligned at a phase start
          {workload ? (
            <>
              {' '}
              <span className="dim">·</span> <span data-testid="aligned-workload">{workload}</span>
            </>
          ) : null}
        </h2>
        {workload ? (
          <>
            <div className="toolbar-inline">
              align at the start of{' '}
              <select value={at} onChange={(e) => setQuery({ align: e.target.value, workload })} aria-label="align at" data-testid="align-at">
                {ALIGN_AT.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>{' '}
              <span className="dim">pick a workload in the table below to see its pods</span>
            </div>
            <AlignedTimeline a={r.a.label} b={r.b.label} workload={workload} at={at} />
          </>
        ) : (
          <div className="dim">No workload on both sides differs: nothing to line up. Pick a workload from the table below when there is one.</div>
        )}
      </section>

      <section className="diff-section">
        <h2>
          Overview <span className="dim">{r.overview.differences.length ? `${r.overview.differences.length} facts differ (highlighted)` : 'no differences'}</span>
        </h2>
        <div className="dim">
          A: <span className="mono">{r.a.label}</span> ({r.a.sources.length} source{r.a.sources.length === 1 ? '' : 's'}) · B: <span className="mono">{r.b.label}</span> ({r.b.sources.length} source
          {r.b.sources.length === 1 ? '' : 's'})
        </div>
        <OverviewTable r={r} />
      </section>

      <section className="diff-section">
        <h2>
          Lifecycle by workload{' '}
          <span className="dim">
            {r.lifecycle.compared
              ? `${r.lifecycle.workloads.total} of ${r.lifecycle.compared} workloads on both sides changed; most significant first (a change must also pass a fold and a distance)`
              : 'no workload on both sides'}
          </span>
        </h2>
        {workloads.length ? <WorkloadTable list={r.lifecycle.workloads} selected={workload} onPick={pick} /> : <div className="dim">no differences</div>}
        <h3>
          Incidents <span className="dim">by a G-test of the share of pods showing them</span>
        </h3>
        {r.lifecycle.incidents.total ? <IncidentTable r={r} /> : <div className="dim">no differences</div>}
        <OnlyOneSide r={r} />
      </section>

      <section className="diff-section">
        <h2>
          Messages{' '}
          <span className="dim">
            {m.templatesA.toLocaleString()} templates in A, {m.templatesB.toLocaleString()} in B; ranked by a Poisson G-test
          </span>
        </h2>
        <div className={m.exposure === 'hours' ? 'dim' : 'diff-note state-help'} data-testid="diff-exposure">
          {exposureWords(m, r.overview.a.spanUs, r.overview.b.spanUs, duration)}
        </div>
        <h3>New in B ({m.new.total})</h3>
        <TemplateTable r={r} list={m.new} kind="new" />
        <h3>Gone in B ({m.gone.total})</h3>
        <TemplateTable r={r} list={m.gone} kind="gone" />
        <h3>Rate changed ({m.changed.total})</h3>
        <TemplateTable r={r} list={m.changed} kind="changed" />
      </section>

      <section className="diff-section">
        <h2>
          Same pod UID on both sides{' '}
          <span className="dim">
            {r.samePods.compared} compared, {r.samePods.identical} identical
          </span>
        </h2>
        <SamePodsTable r={r} />
      </section>
    </div>
  );
}

function OneSide(): ReactNode {
  return (
    <Empty title="This database holds one log: there is nothing to compare it with.">
      Ingest a second node's log, or the same node's log from another day, into it, then reload:
      <pre>kubelog ingest --db &lt;this database&gt; node-2/kubelet.log</pre>
      Two logs can also be compared in the terminal without a database: <code>kubelog diff a.log b.log</code>.
    </Empty>
  );
}
