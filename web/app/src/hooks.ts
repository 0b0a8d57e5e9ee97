// Small hooks shared by the pages.
import { useEffect, useRef, useState, type RefObject } from 'react';

/** The content size of an element, following resizes. */
export function useSize<T extends HTMLElement>(): [RefObject<T | null>, { width: number; height: number }] {
  const ref = useRef<T>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const set = (width: number, height: number): void =>
      setSize((s) => (s.width === Math.floor(width) && s.height === Math.floor(height) ? s : { width: Math.floor(width), height: Math.floor(height) }));
    const ro = new ResizeObserver((entries) => {
      for (const e of entries) set(e.contentRect.width, e.contentRect.height);
    });
    ro.observe(el);
    const r = el.getBoundingClientRect();
    set(r.width, r.height);
    return () => ro.disconnect();
  }, []);
  return [ref, size];
}

/** A value that follows `value` once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}
