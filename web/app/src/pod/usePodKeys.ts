// The pod page's keys: j/k or the arrows move the selection between events, Enter opens the
// selected event's pane, Escape closes it. Keys typed into a field are the field's.
import { useEffect, useRef } from 'react';
import { typingInto } from '../keys.js';

export interface PodKeys {
  move: (delta: 1 | -1) => void;
  open: () => void;
  close: () => void;
}

const NEXT = new Set(['j', 'ArrowDown', 'ArrowRight']);
const PREV = new Set(['k', 'ArrowUp', 'ArrowLeft']);

export function usePodKeys(keys: PodKeys): void {
  const current = useRef(keys);
  current.current = keys;
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || typingInto(e.target)) return;
      const k = current.current;
      if (NEXT.has(e.key)) k.move(1);
      else if (PREV.has(e.key)) k.move(-1);
      // Enter on a button or link is that control's click
      else if (e.key === 'Enter' && !(e.target as HTMLElement).closest?.('button, a')) k.open();
      else if (e.key === 'Escape') k.close();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
