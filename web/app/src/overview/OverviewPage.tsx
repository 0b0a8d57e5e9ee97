// The node overview: a histogram of records, warnings and errors over time (brush to pick a
// window), a shared time axis, and one row per pod with its phases. Wheel over the histogram or
// Ctrl+wheel over the rows zooms, drag over the rows pans; the window lives in the URL.
import { useMemo, useRef, useState, type ReactNode } from 'react';
import { scaleUtc } from 'd3';
import type { OverviewPod, OverviewResponse, SourcesResponse } from '../../../api/types.js';
import { useApi } from '../api.js';
import { queryString, setQuery } from '../router.js';
import { useDebounced, useSize } from '../hooks.js';
import { Empty, ErrorState, Loading, NothingIngested } from '../components/States.js';
import { TimeAxis } from '../components/TimeAxis.js';
import { PhaseLegend } from '../components/PhaseLegend.js';
import { Tooltip, type TipState } from '../components/Tooltip.js';
import { dateTimeMs, duration } from '../time.js';
import { Histogram } from './Histogram.js';
import { PodRows, podLabel } from './PodRows.js';
import { useTimeZoom } from './useTimeZoom.js';
import { overlaps, padded, windowFromQuery, windowToQuery, type Domain } from './window.js';

const LABEL_WIDTH = 300;
const SORTS = {
  start: 'first seen',
  name: 'name',
  anomalies: 'anomalies',
  terminating: 'terminating time',
  last: 'last seen',
} as const;
type OverviewSort = keyof typeof SORTS;

export function OverviewPage({ query }: { query: URLSearchParams }): ReactNode {
  const node = query.get('node') ?? '';
  const all = useApi<OverviewResponse>(`/api/overview${queryString({ buckets: 240, node })}`);
  if (all.state === 'error' && !all.data) return <ErrorState error={all.error} what="the node overview" />;
  if (!all.data) return <Loading what="pods" />;
  if (all.data.pods.length === 0 && !node) return <NothingIngested />;
  return <Overview data={all.data} query={query} />;
}

function terminatingOf(p: OverviewPod): number {
  let sum = 0;
  for (const [phase, s, e] of p.phases) if (phase === 'terminating' && s !== null && e !== null) sum += e - s;
  return sum;
}

function Overview({ data, query }: { data: OverviewResponse; query: URLSearchParams }): ReactNode {
  const [chartRef, size] = useSize<HTMLDivElement>();
  const [rowsRef, rowsSize] = useSize<HTMLDivElement>();
  const [tip, setTip] = useState<TipState | null>(null);
  const trackWidth = Math.max(0, size.width - LABEL_WIDTH);
  const full = useMemo(() => padded(data.fromUs, data.toUs), [data]);
  const win = windowFromQuery(query);
  const text = query.get('q') ?? '';
  const anomalous = query.get('anomalous') === '1';
  const sort = (query.get('sort') ?? 'start') as OverviewSort;
  const headerRef = useRef<HTMLDivElement>(null);

  const domain = useTimeZoom(chartRef, {
    full,
    current: win,
    width: trackWidth,
    onCommit: (d) => setQuery(windowToQuery(d), { replace: true }),
    filter: (e) => {
      const t = e.target as Element | null;
      const inHeader = !!t && !!headerRef.current?.contains(t);
      const inTrack = !!t?.closest?.('.row-track, .axis-track');
      if (e.type === 'wheel') return inHeader || ((e as WheelEvent).ctrlKey && inTrack);
      if (e.type === 'mousedown') return (e as MouseEvent).button === 0 && inTrack;
      return inTrack;
    },
  });

  const x = useMemo(
    () =>
      scaleUtc()
        .domain(domain ? [domain[0] / 1000, domain[1] / 1000] : [0, 1])
        .range([0, trackWidth]),
    [domain?.[0], domain?.[1], trackWidth],
  );

  // finer buckets for the window once it has settled
  const settled = useDebounced(win, 150);
  const buckets = Math.max(20, Math.min(600, Math.floor(trackWidth / 4)));
  const node = query.get('node') ?? '';
  const windowHist = useApi<OverviewResponse>(settled ? `/api/overview${queryString({ from: Math.floor(settled[0]), to: Math.ceil(settled[1]), buckets, pods: 0, node })}` : null);
  const contents = useApi<SourcesResponse>('/api/sources');
  const nodes = (contents.data?.nodes ?? []).flatMap((n) => (n.node === null ? [] : [n]));
  const histogram = settled && windowHist.data && windowHist.state !== 'error' ? windowHist.data.histogram : data.histogram;

  const rows = useMemo(() => {
    const needle = text.trim().toLowerCase();
    const d: Domain | null = win;
    const out = data.pods.filter(
      (p) => (!anomalous || p.anomalies.length > 0) && (!needle || podLabel(p).toLowerCase().includes(needle) || (p.uid ?? '').startsWith(needle)) && (!d || overlaps(d, p.firstUs, p.lastUs)),
    );
    const by: Record<OverviewSort, (a: OverviewPod, b: OverviewPod) => number> = {
      // pods of logs without times last: they have no place on the axis
      start: (a, b) => (a.firstUs ?? Infinity) - (b.firstUs ?? Infinity) || 0,
      last: (a, b) => (b.lastUs ?? -Infinity) - (a.lastUs ?? -Infinity) || 0,
      name: (a, b) => podLabel(a).localeCompare(podLabel(b)),
      anomalies: (a, b) => b.anomalies.length - a.anomalies.length || (a.firstUs ?? Infinity) - (b.firstUs ?? Infinity) || 0,
      terminating: (a, b) => terminatingOf(b) - terminatingOf(a),
    };
    return sort in by ? out.sort(by[sort]) : out;
  }, [data, text, anomalous, sort, win?.[0], win?.[1]]);

  const anomalousCount = useMemo(() => data.pods.filter((p) => p.anomalies.length).length, [data]);

  return (
    <div className="overview" data-testid="overview">
      <div className="toolbar">
        <input
          type="search"
          placeholder="Filter: namespace/name or UID prefix"
          defaultValue={text}
          onChange={(e) => setQuery({ q: e.target.value }, { replace: true })}
          aria-label="filter pods"
          data-testid="overview-filter"
        />
        <label>
          <input type="checkbox" checked={anomalous} onChange={(e) => setQuery({ anomalous: e.target.checked })} /> only anomalous ({anomalousCount})
        </label>
        <label>
          sort{' '}
          <select value={sort} onChange={(e) => setQuery({ sort: e.target.value === 'start' ? undefined : e.target.value })}>
            {Object.entries(SORTS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </label>
        {nodes.length > 1 || node ? (
          <label>
            node{' '}
            <select value={node} onChange={(e) => setQuery({ node: e.target.value, ...windowToQuery(null) })} data-testid="node-filter">
              <option value="">all ({nodes.length})</option>
              {nodes.map((n) => (
                <option key={n.node} value={n.node!}>
                  {n.node} ({n.pods} pods)
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <span className="count" data-testid="row-count">
          {rows.length.toLocaleString()} of {data.pods.length.toLocaleString()} pods
        </span>
        <span className="spacer" />
        {windowHist.state === 'error' ? (
          <span className="sev-e" role="alert">
            histogram of the window: {windowHist.error.message}
          </span>
        ) : null}
        {domain ? (
          <span className="window" data-testid="window">
            {dateTimeMs(domain[0])} – {dateTimeMs(domain[1])} UTC ({duration(domain[1] - domain[0])})
          </span>
        ) : null}
        <button type="button" disabled={!win} onClick={() => setQuery(windowToQuery(null))}>
          Whole log
        </button>
      </div>
      <div className="chart" ref={chartRef}>
        <div className="chart-header" ref={headerRef}>
          <div className="legend" style={{ width: LABEL_WIDTH }}>
            <PhaseLegend />
            <div className="dim hint">Drag on the histogram to zoom to a window; wheel over it to zoom; drag the rows to pan, Ctrl+wheel to zoom them.</div>
          </div>
          {trackWidth > 0 ? (
            <div>
              <Histogram data={histogram} x={x} onBrush={(a, b) => setQuery(windowToQuery([a, b]))} onTip={setTip} />
              <svg width={trackWidth} height={24} className="axis-track">
                <TimeAxis scale={x} y={23} />
              </svg>
            </div>
          ) : null}
        </div>
        <div className="rows-frame" ref={rowsRef}>
          {rows.length === 0 ? (
            <Empty title="No pod matches.">{win ? 'No pod was alive in this window: widen it with "Whole log".' : 'Clear the filter to see every pod.'}</Empty>
          ) : trackWidth > 0 ? (
            <PodRows pods={rows} x={x} labelWidth={LABEL_WIDTH} height={rowsSize.height} onTip={setTip} />
          ) : null}
        </div>
      </div>
      <Tooltip tip={tip} />
    </div>
  );
}
