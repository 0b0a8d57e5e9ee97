// The kubelet's restarts and crashes on the overview's axis: a strip of marks under the histogram,
// and faint lines at the same times through the rows, so a pod's phase that ends at a crash is
// seen to end there.
import type { ReactNode } from 'react';
import type { ScaleTime } from 'd3';
import { hoverTip, type TipState } from '../components/Tooltip.js';
import { dateTimeMs } from '../time.js';
import type { KubeletMark } from './kubelet-marks.js';

export const STRIP_HEIGHT = 14;

/** A mark's path, centred on (x, y): a crash a cross, an end a square, a start a triangle. */
export function kubeletMarkPath(kind: KubeletMark['kind'], x: number, y: number): string {
  if (kind === 'crash') return `M${x - 4.5},${y - 3}l1.5,-1.5l3,3l3,-3l1.5,1.5l-3,3l3,3l-1.5,1.5l-3,-3l-3,3l-1.5,-1.5l3,-3z`;
  if (kind === 'start') return `M${x - 4},${y + 4}l4,-8l4,8z`;
  return `M${x - 3.5},${y - 3.5}h7v7h-7z`;
}

export function KubeletStrip({ marks, x, onTip, total, shown }: { marks: readonly KubeletMark[]; x: ScaleTime<number, number>; onTip: (t: TipState | null) => void; total: number; shown: number }): ReactNode {
  const width = x.range()[1] ?? 0;
  return (
    <svg width={width} height={STRIP_HEIGHT} className="kubelet-strip" data-testid="kubelet-strip" data-processes={total}>
      {marks.map((m, i) => {
        const at = x(new Date(m.timeUs / 1000));
        if (at < -5 || at > width + 5) return null;
        return (
          <g
            key={i}
            data-testid="kubelet-mark"
            data-kind={m.kind}
            className={`kubelet-mark kubelet-${m.kind}`}
            {...hoverTip(onTip, () => (
              <div>
                <div className="tip-title">{m.text}</div>
                <div className="mono">{dateTimeMs(m.timeUs)} UTC</div>
                {m.node ? <div className="dim">node {m.node}</div> : null}
              </div>
            ))}
          >
            <rect x={at - 6} y={0} width={12} height={STRIP_HEIGHT} className="mark-hit" />
            <path d={kubeletMarkPath(m.kind, at, STRIP_HEIGHT / 2)} />
          </g>
        );
      })}
      {total > shown ? (
        <text x={width - 4} y={STRIP_HEIGHT - 3} textAnchor="end" className="hist-label">
          the first {shown.toLocaleString()} of {total.toLocaleString()} kubelet processes
        </text>
      ) : null}
    </svg>
  );
}

/** The same times as lines through the rows (drawn over them, never catching the pointer). */
export function KubeletLines({ marks, x, height, left }: { marks: readonly KubeletMark[]; x: ScaleTime<number, number>; height: number; left: number }): ReactNode {
  const width = x.range()[1] ?? 0;
  return (
    <svg width={width} height={height} className="kubelet-lines" style={{ left }} aria-hidden="true">
      {marks.map((m, i) => {
        const at = x(new Date(m.timeUs / 1000));
        return at < 0 || at > width ? null : <line key={i} x1={at} x2={at} y1={0} y2={height} className={`kubelet-line kubelet-${m.kind}`} />;
      })}
    </svg>
  );
}
