// The hits on the log's time axis: a tick per hit found so far, the current one drawn over the
// others; a click picks a hit. Where in the log a message clusters is often the answer.
import type { ReactNode } from 'react';
import { scaleUtc } from 'd3';
import type { SearchHit } from '../../../api/types.js';
import { TimeAxis } from '../components/TimeAxis.js';
import { useSize } from '../hooks.js';

const HEIGHT = 48;

export function HitStrip({ hits, fromUs, toUs, current, onPick }: { hits: readonly SearchHit[]; fromUs: number; toUs: number; current: number; onPick: (i: number) => void }): ReactNode {
  const [ref, size] = useSize<HTMLDivElement>();
  const width = Math.max(0, size.width - 28);
  const x = scaleUtc()
    .domain([fromUs / 1000, Math.max(toUs, fromUs + 1000) / 1000])
    .range([0, width]);
  const at = (us: number): number => x(new Date(us / 1000));
  const cur = hits[current];
  return (
    <div className="hit-strip" ref={ref}>
      <svg width={size.width} height={HEIGHT} data-testid="hit-strip">
        <g transform="translate(14,0)">
          {hits.map((h, i) =>
            h.timeUs === null ? null : (
              <line key={`${h.source}:${h.line}`} x1={at(h.timeUs)} x2={at(h.timeUs)} y1={2} y2={18} className={`hit-tick sev-${h.severity ?? 'none'}`} onClick={() => onPick(i)} data-testid="hit-tick" />
            ),
          )}
          {cur?.timeUs != null ? <path d={`M${at(cur.timeUs)},19 l5,7 h-10 z`} className="hit-current-mark" data-testid="hit-current-mark" /> : null}
          <TimeAxis scale={x} y={28} orient="bottom" />
        </g>
      </svg>
    </div>
  );
}
