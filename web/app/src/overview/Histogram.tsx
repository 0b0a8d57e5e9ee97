// Records, warnings and errors per time bucket, with a brush: drag to pick a time window.
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { brushX, max, scaleLinear, select, type ScaleTime } from 'd3';
import type { Histogram as HistogramData } from '../../../api/types.js';
import { clockUs } from '../time.js';
import { hoverTip, type TipState } from '../components/Tooltip.js';

const HEIGHT = 72;
/** Errors and warnings again, each on a strip of its own under the bars: a bucket of 50,000 records with 3 errors has a 0-pixel error bar, never an invisible mark. */
const STRIP = 7;
export const HISTOGRAM_HEIGHT = HEIGHT + 2 * STRIP + 3;

export function Histogram({
  data,
  x,
  onBrush,
  onTip,
}: {
  data: HistogramData;
  x: ScaleTime<number, number>;
  onBrush: (fromUs: number, toUs: number) => void;
  onTip: (t: TipState | null) => void;
}): ReactNode {
  const brushRef = useRef<SVGGElement>(null);
  const width = x.range()[1] ?? 0;
  const y = useMemo(
    () =>
      scaleLinear()
        .domain([0, Math.max(1, max(data.records) ?? 1)])
        .range([HEIGHT, 4])
        .nice(),
    [data],
  );
  const onBrushRef = useRef(onBrush);
  onBrushRef.current = onBrush;
  const xRef = useRef(x);
  xRef.current = x;

  useEffect(() => {
    if (!brushRef.current || width <= 0) return;
    const g = select(brushRef.current);
    const brush = brushX<unknown>()
      .extent([
        [0, 0],
        [width, HEIGHT],
      ])
      .on('end', (event: { selection: [number, number] | null; sourceEvent?: Event }) => {
        if (!event.selection || !event.sourceEvent) return;
        const [a, b] = event.selection;
        g.call(brush.move, null);
        if (b - a < 3) return;
        onBrushRef.current(xRef.current.invert(a).getTime() * 1000, xRef.current.invert(b).getTime() * 1000);
      });
    g.call(brush);
    return () => {
      g.on('.brush', null);
      g.selectAll('*').remove();
    };
  }, [width]);

  if (data.fromUs === null) return <svg width={width} height={HISTOGRAM_HEIGHT} />;
  const from = data.fromUs;
  // each strip's shade on its own logarithmic scale: the darkest is the bucket with the most
  const maxErr = Math.max(0, ...data.errors);
  const maxWarn = Math.max(0, ...data.warnings);
  const shade = (n: number, most: number): number => 0.3 + (0.7 * Math.log1p(n)) / Math.log1p(Math.max(1, most));
  const bars = data.records.map((n, i) => {
    const a = from + i * data.bucketUs;
    const x0 = x(new Date(a / 1000));
    const x1 = x(new Date((a + data.bucketUs) / 1000));
    if (x1 < 0 || x0 > width || n === 0) return null;
    const w = Math.max(1, x1 - x0 - 0.5);
    const warn = data.warnings[i] ?? 0;
    const err = data.errors[i] ?? 0;
    return (
      <g
        key={i}
        className="hist-bucket"
        data-records={n}
        data-errors={err}
        {...hoverTip(onTip, () => (
          <div>
            <div className="tip-title">
              {clockUs(a)} – {clockUs(a + data.bucketUs)} UTC
            </div>
            <div>{n.toLocaleString()} records</div>
            <div className="sev-w">{warn.toLocaleString()} warnings</div>
            <div className="sev-e">{err.toLocaleString()} errors</div>
          </div>
        ))}
      >
        <rect x={x0} width={w} y={y(n)} height={HEIGHT - y(n)} className="hist-all" />
        {warn + err > 0 ? <rect x={x0} width={w} y={y(warn + err)} height={HEIGHT - y(warn + err)} className="hist-warn" /> : null}
        {err > 0 ? <rect x={x0} width={w} y={y(err)} height={HEIGHT - y(err)} className="hist-err" /> : null}
        {err > 0 ? <rect x={x0} width={Math.max(2, w)} y={HEIGHT + 2} height={STRIP - 1} className="hist-err-mark" opacity={shade(err, maxErr)} data-testid="hist-err-mark" /> : null}
        {warn > 0 ? <rect x={x0} width={Math.max(2, w)} y={HEIGHT + 2 + STRIP} height={STRIP - 1} className="hist-warn-mark" opacity={shade(warn, maxWarn)} /> : null}
        {/* the whole height answers the pointer: a bucket of few records is still easy to hover */}
        <rect x={x0} width={w} y={0} height={HISTOGRAM_HEIGHT} className="hist-hit" />
      </g>
    );
  });
  return (
    <svg width={width} height={HISTOGRAM_HEIGHT} className="histogram" data-testid="histogram" data-from-us={data.fromUs ?? ''} data-bucket-us={data.bucketUs}>
      <g>{bars}</g>
      <text x={4} y={12} className="hist-label">
        {y.domain()[1]?.toLocaleString()} records / bucket · under the bars: errors (darkest {maxErr.toLocaleString()}), warnings (darkest {maxWarn.toLocaleString()}) per bucket
      </text>
      <g ref={brushRef} className="brush" />
    </svg>
  );
}
