// d3-zoom over a linear domain (epoch µs, or line numbers for logs without times): wheel zooms
// around the pointer, drag pans. The gesture moves a live
// domain (for drawing); when it ends the domain is handed to `onCommit` (the URL). A domain set from
// outside (brush, reset, back button) is written into the zoom's state without firing it.
import { useEffect, useRef, useState, type RefObject } from 'react';
import { scaleLinear, select, zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior } from 'd3';
import type { Domain } from './window.js';

export interface TimeZoomOptions {
  /** The widest domain: zoom level 1. */
  full: Domain | null;
  /** The committed domain (from the URL), or null for `full`. */
  current: Domain | null;
  width: number;
  onCommit: (d: Domain | null) => void;
  /** Which events may start a gesture (wheel with a modifier only, over rows that scroll). */
  filter?: (e: Event) => boolean;
  /** The narrowest domain zoom reaches (default 1 ms in µs). */
  minSpan?: number;
}

export function useTimeZoom<T extends Element>(ref: RefObject<T | null>, o: TimeZoomOptions): Domain | null {
  const [live, setLive] = useState<Domain | null>(null);
  const behaviour = useRef<ZoomBehavior<T, unknown> | null>(null);
  const opts = useRef(o);
  opts.current = o;

  const full = o.full;
  useEffect(() => {
    const el = ref.current;
    if (!el || !full || o.width <= 0) return;
    const base = scaleLinear().domain(full).range([0, o.width]);
    const toDomain = (t: { rescaleX: (s: typeof base) => typeof base }): Domain => {
      const [a, b] = t.rescaleX(base).domain();
      return [a!, b!];
    };
    const z = zoom<T, unknown>()
      .scaleExtent([1, Math.max(1, (full[1] - full[0]) / (o.minSpan ?? 1000))])
      .translateExtent([
        [0, -Infinity],
        [o.width, Infinity],
      ])
      .extent([
        [0, 0],
        [o.width, 1],
      ])
      // d3's default zooms 10× faster with Ctrl held (trackpad pinch); here Ctrl is the
      // modifier that makes the wheel zoom over the rows, so it must not change the speed
      .wheelDelta((e: WheelEvent) => -e.deltaY * (e.deltaMode === 1 ? 0.05 : e.deltaMode ? 1 : 0.002))
      .filter((e: Event) => {
        const f = opts.current.filter;
        if (f) return f(e);
        return (!('button' in e) || (e as MouseEvent).button === 0) && !(e as MouseEvent).ctrlKey;
      })
      .on('zoom', (e: D3ZoomEvent<T, unknown>) => {
        if (!e.sourceEvent) return;
        setLive(toDomain(e.transform));
      })
      .on('end', (e: D3ZoomEvent<T, unknown>) => {
        if (!e.sourceEvent) return;
        setLive(null);
        const d = toDomain(e.transform);
        opts.current.onCommit(e.transform.k <= 1.0001 ? null : d);
      });
    behaviour.current = z;
    select(el).call(z).on('dblclick.zoom', null);
    return () => {
      select(el).on('.zoom', null);
      behaviour.current = null;
    };
  }, [ref, full?.[0], full?.[1], o.width]);

  // keep the zoom's own state in step with a domain set from outside
  const cur = o.current;
  useEffect(() => {
    const el = ref.current;
    if (!el || !full || o.width <= 0) return;
    const d = cur ?? full;
    const k = (full[1] - full[0]) / (d[1] - d[0]);
    const tx = (-(d[0] - full[0]) / (full[1] - full[0])) * o.width * k;
    (el as unknown as { __zoom: unknown }).__zoom = zoomIdentity.translate(tx, 0).scale(k);
  }, [ref, full?.[0], full?.[1], cur?.[0], cur?.[1], o.width]);

  return live ?? cur ?? full;
}
