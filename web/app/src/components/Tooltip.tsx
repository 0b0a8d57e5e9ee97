// A floating box near the pointer. Content is React nodes: log text stays text.
import type { ReactNode } from 'react';

export interface TipState {
  x: number;
  y: number;
  content: ReactNode;
}

export function Tooltip({ tip }: { tip: TipState | null }): ReactNode {
  if (!tip) return null;
  const left = Math.min(tip.x + 14, window.innerWidth - 440);
  const top = tip.y + 16 + 200 > window.innerHeight ? tip.y - 16 - 200 : tip.y + 16;
  return (
    <div className="tooltip" data-testid="tooltip" style={{ left: Math.max(4, left), top: Math.max(4, top) }}>
      {tip.content}
    </div>
  );
}

/** Pointer handlers that show `content` near the pointer while it is over an element. */
export function hoverTip(onTip: (t: TipState | null) => void, content: () => ReactNode): { onMouseMove: (e: React.MouseEvent) => void; onMouseLeave: () => void } {
  return {
    onMouseMove: (e) => onTip({ x: e.clientX, y: e.clientY, content: content() }),
    onMouseLeave: () => onTip(null),
  };
}
