// The name column's width, dragged by its edge and kept for the next visit (localStorage): long
// pod names are the first thing people widen.
import { useCallback, useState, type MouseEvent as ReactMouseEvent } from 'react';

const KEY = 'kubelog.overview.nameWidth';
export const MIN_WIDTH = 160;

function stored(fallback: number): number {
  try {
    const n = Number(window.localStorage.getItem(KEY));
    return Number.isFinite(n) && n >= MIN_WIDTH ? n : fallback;
  } catch {
    return fallback;
  }
}

/** The width, and the handler a drag handle's mousedown calls; `max` keeps room for the track. */
export function useColumnWidth(fallback: number, max: number): [number, (e: ReactMouseEvent) => void] {
  const [width, setWidth] = useState(() => stored(fallback));
  const clamp = useCallback((w: number) => Math.round(Math.max(MIN_WIDTH, Math.min(Math.max(MIN_WIDTH, max), w))), [max]);
  const startDrag = useCallback(
    (e: ReactMouseEvent) => {
      e.preventDefault();
      e.stopPropagation();
      const x0 = e.clientX;
      const w0 = width;
      let last = w0;
      const move = (m: MouseEvent): void => {
        last = clamp(w0 + m.clientX - x0);
        setWidth(last);
      };
      const up = (): void => {
        window.removeEventListener('mousemove', move);
        window.removeEventListener('mouseup', up);
        try {
          window.localStorage.setItem(KEY, String(last));
        } catch {
          // private windows may refuse: the width lasts for this page only
        }
      };
      window.addEventListener('mousemove', move);
      window.addEventListener('mouseup', up);
    },
    [width, clamp],
  );
  return [clamp(width), startDrag];
}
