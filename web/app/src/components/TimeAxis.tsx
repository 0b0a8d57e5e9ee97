// A time axis drawn by d3-axis into a <g> React owns; ticks in UTC.
import { useEffect, useRef, type ReactNode } from 'react';
import { axisBottom, axisTop, format, select, utcFormat, type ScaleLinear, type ScaleTime } from 'd3';

const fmtSecond = utcFormat('%H:%M:%S');
const fmtMilli = utcFormat('%H:%M:%S.%L');
const fmtLine = format('d');

export function TimeAxis({ scale, y = 0, orient = 'top', ticks }: { scale: ScaleTime<number, number>; y?: number; orient?: 'top' | 'bottom'; ticks?: number }): ReactNode {
  const ref = useRef<SVGGElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const [a, b] = scale.domain().map((d) => d.getTime());
    const span = (b ?? 0) - (a ?? 0);
    const n = ticks ?? Math.max(2, Math.floor((scale.range()[1] ?? 0) / 110));
    // within a day, clock times; beyond, d3's own multi-scale format (dates, months, years)
    const fmt = span < 10_000 ? fmtMilli : span < 86_400_000 ? fmtSecond : scale.tickFormat(n);
    const axis = (orient === 'top' ? axisTop : axisBottom)(scale)
      .ticks(n)
      .tickFormat((d) => fmt(d as Date));
    select(ref.current).call(axis);
  }, [scale, orient, ticks]);
  return <g ref={ref} className="axis" transform={`translate(0,${y})`} />;
}

/** The same axis over line numbers, for logs without times. */
export function LineAxis({ scale, y = 0 }: { scale: ScaleLinear<number, number>; y?: number }): ReactNode {
  const ref = useRef<SVGGElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const ticks = scale.ticks(Math.max(2, Math.floor((scale.range()[1] ?? 0) / 90))).filter(Number.isInteger);
    select(ref.current).call(
      axisTop(scale)
        .tickValues(ticks)
        .tickFormat((d) => `L${fmtLine(d as number)}`),
    );
  }, [scale]);
  return <g ref={ref} className="axis" transform={`translate(0,${y})`} />;
}
