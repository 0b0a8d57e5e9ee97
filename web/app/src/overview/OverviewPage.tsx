// The node overview: a histogram of records, warnings and errors over time (brush to pick a
// window), a shared time axis, and one row per pod with its phases. Wheel over the histogram or
// Ctrl+wheel over the rows zooms, drag over the rows pans; the window lives in the URL. The
// server filters, sorts and pages the rows (pod-pages.ts): the page never holds every pod.
import { useMemo, useRef, useState, type ReactNode } from 'react';
import { scaleUtc } from 'd3';
import type { OverviewResponse, SourcesResponse } from '../../../api/types.js';
import { useApi } from '../api.js';
import { queryString, setQuery } from '../router.js';
import { useDebounced, useSize } from '../hooks.js';
import { Empty, ErrorState, Loading, NothingIngested } from '../components/States.js';
import { TimeAxis } from '../components/TimeAxis.js';
import { Tooltip, type TipState } from '../components/Tooltip.js';
import { dateTimeMs, duration } from '../time.js';
import { Histogram } from './Histogram.js';
import { PodRows } from './PodRows.js';
import { useTimeZoom } from './useTimeZoom.js';
import { padded, windowFromQuery, windowToQuery } from './window.js';
import { usePodPages } from './pod-pages.js';
import { kubeletMarks } from './kubelet-marks.js';
import { KubeletLines, KubeletStrip } from './KubeletStrip.js';
import { MarkKey, PhaseKey } from './OverviewLegend.js';
import { useColumnWidth } from './useColumnWidth.js';

/** The name column's first width; its edge drags. */
const LABEL_WIDTH = 300;
const SORTS = {
  start: 'first seen',
  name: 'name',
  state: 'state (stuck first)',
  incidents: 'incidents (worst first)',
  terminating: 'terminating time',
  last: 'last seen',
} as const;
type OverviewSort = keyof typeof SORTS;

export function OverviewPage({ query }: { query: URLSearchParams }): ReactNode {
  const node = query.get('node') ?? '';
  // the whole log's span, histogram and pod counts; the rows come a page at a time
  const all = useApi<OverviewResponse>(`/api/overview${queryString({ buckets: 240, node, limit: 0 })}`);
  if (all.state === 'error' && !all.data) return <ErrorState error={all.error} what="the node overview" />;
  if (!all.data) return <Loading what="pods" />;
  if (all.data.total === 0 && !node) return <NothingIngested />;
  return <Overview data={all.data} query={query} />;
}

function Overview({ data, query }: { data: OverviewResponse; query: URLSearchParams }): ReactNode {
  const [chartRef, size] = useSize<HTMLDivElement>();
  const [rowsRef, rowsSize] = useSize<HTMLDivElement>();
  const [tip, setTip] = useState<TipState | null>(null);
  const [labelWidth, startResize] = useColumnWidth(LABEL_WIDTH, size.width - 200);
  const trackWidth = Math.max(0, size.width - labelWidth);
  const full = useMemo(() => padded(data.fromUs, data.toUs), [data]);
  const win = windowFromQuery(query);
  const text = query.get('q') ?? '';
  const withIncidents = query.get('incidents') === '1';
  const asked = query.get('sort') ?? 'start';
  const sort: OverviewSort = asked in SORTS ? (asked as OverviewSort) : 'start';
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
  const windowHist = useApi<OverviewResponse>(settled ? `/api/overview${queryString({ from: Math.floor(settled[0]), to: Math.ceil(settled[1]), buckets, limit: 0, node })}` : null);
  const contents = useApi<SourcesResponse>('/api/sources');
  const nodes = (contents.data?.nodes ?? []).flatMap((n) => (n.node === null ? [] : [n]));
  const ofWindow = settled && windowHist.data && windowHist.state !== 'error' ? windowHist.data : data;
  const histogram = ofWindow.histogram;
  const marks = useMemo(() => kubeletMarks(ofWindow.kubelets), [ofWindow]);

  // the rows of the settled window and filters, sorted by the server
  const needle = useDebounced(text.trim(), 150);
  const terms = useMemo(() => (needle ? [{ text: needle, wholeToken: false, prefix: false }] : []), [needle]);
  const rowsQuery = `/api/overview${queryString({ buckets: 0, node, from: settled ? Math.floor(settled[0]) : undefined, to: settled ? Math.ceil(settled[1]) : undefined, text: needle, incidents: withIncidents, sort: sort === 'start' ? undefined : sort })}`;
  const rows = usePodPages(rowsQuery);
  const shown = rows.total ?? 0;

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
          <input type="checkbox" checked={withIncidents} onChange={(e) => setQuery({ incidents: e.target.checked })} /> only with incidents ({data.withIncidents.toLocaleString()})
        </label>
        <label>
          sort{' '}
          <select value={sort} onChange={(e) => setQuery({ sort: e.target.value === 'start' ? undefined : e.target.value })} aria-label="sort rows">
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
        <span className="count" data-testid="row-count" data-state={rows.current ? 'ready' : 'loading'}>
          {rows.total === undefined ? '…' : shown.toLocaleString()} of {data.total.toLocaleString()} pods
        </span>
        <span className="spacer" />
        {rows.error ? (
          <span className="sev-e" role="alert" data-testid="rows-error">
            pods: {rows.error.message}
          </span>
        ) : null}
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
      <MarkKey />
      <div className="chart" ref={chartRef}>
        <div
          className="col-resize"
          style={{ left: labelWidth - 3 }}
          onMouseDown={startResize}
          role="separator"
          aria-orientation="vertical"
          aria-label="drag to widen the name column"
          title="drag to widen the name column"
          data-testid="name-resize"
        />
        <div className="chart-header" ref={headerRef}>
          <div className="legend" style={{ width: labelWidth }}>
            <PhaseKey />
            <div className="dim hint">Drag on the histogram to zoom to a window; wheel over it to zoom; drag the rows to pan, Ctrl+wheel to zoom them.</div>
          </div>
          {trackWidth > 0 ? (
            <div>
              <Histogram data={histogram} x={x} onBrush={(a, b) => setQuery(windowToQuery([a, b]))} onTip={setTip} />
              <KubeletStrip marks={marks} x={x} onTip={setTip} total={ofWindow.kubeletTotal} shown={ofWindow.kubelets.length} />
              <svg width={trackWidth} height={24} className="axis-track">
                <TimeAxis scale={x} y={23} />
              </svg>
            </div>
          ) : null}
        </div>
        <div className="rows-frame" ref={rowsRef}>
          {rows.current && shown === 0 ? (
            <Empty title="No pod matches.">{win ? 'No pod was alive in this window: widen it with "Whole log".' : 'Clear the filter to see every pod.'}</Empty>
          ) : trackWidth > 0 && rows.total !== undefined ? (
            <PodRows
              query={rows.current ? rowsQuery : ''}
              count={shown}
              podAt={rows.podAt}
              want={rows.want}
              x={x}
              labelWidth={labelWidth}
              height={rowsSize.height}
              onTip={setTip}
              showNode={nodes.length > 1 && !node}
              terms={terms}
            />
          ) : null}
          {trackWidth > 0 ? <KubeletLines marks={marks} x={x} height={rowsSize.height} left={labelWidth} /> : null}
        </div>
      </div>
      <Tooltip tip={tip} />
    </div>
  );
}
