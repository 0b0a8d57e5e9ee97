// The whole pod at a glance under its timeline: phases, where the events are dense, the kubelet's
// crashes and restarts, and the window the timeline shows as a brush. Dragging the brush pans;
// its handles or a new drag set the window.
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { brushX, select, type D3BrushEvent } from 'd3';
import type { Domain } from '../overview/window.js';
import { phaseColor } from '../theme.js';

export const MINIMAP_H = 34;
const BUCKET_PX = 3;

export interface MinimapProps {
  width: number;
  full: Domain;
  current: Domain;
  /** Where the events are (µs or lines), each with how many are there (1, or a busy pod's bucket count); each phase; the kubelet's marks. */
  events: Array<[at: number, count: number]>;
  phases: Array<{ phase: 'sync' | 'terminating' | 'terminated'; start: number; end: number }>;
  marks: number[];
  onWindow: (d: Domain | null) => void;
}

export function Minimap({ width, full, current, events, phases, marks, onWindow }: MinimapProps): ReactNode {
  const brushRef = useRef<SVGGElement>(null);
  const x = (v: number): number => ((v - full[0]) / (full[1] - full[0])) * width;
  const density = useMemo(() => {
    const n = Math.max(1, Math.floor(width / BUCKET_PX));
    const counts = new Array<number>(n).fill(0);
    for (const [t, k] of events) {
      const i = Math.floor(((t - full[0]) / (full[1] - full[0])) * n);
      if (i >= 0 && i < n) counts[i]! += k;
    }
    const most = Math.max(1, ...counts);
    return counts.map((c) => c / most);
  }, [events, full[0], full[1], width]);

  const props = useRef({ full, onWindow, width });
  props.current = { full, onWindow, width };
  useEffect(() => {
    const g = brushRef.current;
    if (!g || width <= 0) return;
    const b = brushX<unknown>()
      .extent([
        [0, 0],
        [width, MINIMAP_H],
      ])
      .on('end', (e: D3BrushEvent<unknown>) => {
        if (!e.sourceEvent) return;
        const { full: f, width: w } = props.current;
        const s = e.selection as [number, number] | null;
        if (!s || s[1] - s[0] < 2) return props.current.onWindow(null);
        const at = (px: number): number => f[0] + (px / w) * (f[1] - f[0]);
        const d: Domain = [at(s[0]), at(s[1])];
        props.current.onWindow(d[0] <= f[0] && d[1] >= f[1] ? null : d);
      });
    select(g).call(b);
    // the window from outside (zoom, phase click, reset) moves the brush without firing it
    const [a, z] = [Math.max(0, x(current[0])), Math.min(width, x(current[1]))];
    select(g).call(b.move, a <= 0 && z >= width ? null : [a, Math.max(a + 2, z)]);
    return () => {
      select(g).on('.brush', null);
    };
  }, [width, full[0], full[1], current[0], current[1]]);

  return (
    <svg width={width} height={MINIMAP_H} className="minimap" data-testid="minimap" aria-label="the whole pod: drag to choose the window the timeline shows">
      <rect x={0} y={0} width={width} height={MINIMAP_H} className="minimap-bg" />
      {density.map((d, i) =>
        d > 0 ? <rect key={i} x={i * BUCKET_PX} width={BUCKET_PX - 0.5} y={MINIMAP_H - 4 - d * 16} height={d * 16} className="minimap-density" /> : null,
      )}
      {phases.map((p, i) => (
        <rect key={`p${i}`} x={x(p.start)} width={Math.max(1, x(p.end) - x(p.start))} y={3} height={8} style={{ fill: phaseColor(p.phase) }} className="minimap-phase" />
      ))}
      {marks.map((m, i) => (
        <line key={`k${i}`} x1={x(m)} x2={x(m)} y1={0} y2={MINIMAP_H} className="kubelet-line" />
      ))}
      <g ref={brushRef} className="minimap-brush" />
    </svg>
  );
}
