// What the overview's marks mean: a phase still going where the log ends, each group of incident
// kinds (its shape; the colour is the severity), and the kubelet's own ends and starts.
import type { ReactNode } from 'react';
import { INCIDENT_GROUPS, incidentTitle, markPath, SEVERITY_FILL } from '../incidents.js';
import { PhaseLegend } from '../components/PhaseLegend.js';
import { kubeletMarkPath } from './KubeletStrip.js';

const Mark = ({ d, className, fill }: { d: string; className?: string; fill?: string }): ReactNode => (
  <svg width={10} height={10} aria-hidden="true" className="legend-mark">
    <path d={d} className={className} style={fill ? { fill } : undefined} />
  </svg>
);

/** The phases, and how a phase still going at the log's end looks: beside the histogram. */
export function PhaseKey(): ReactNode {
  return (
    <>
      <PhaseLegend incident={false} />
      <span title="the log (or its kubelet) ends inside this phase: it lasted at least as long as drawn">
        <svg width={16} height={10} aria-hidden="true" className="legend-mark">
          <rect x={0.5} y={0.5} width={15} height={9} className="phase phase-to-end" style={{ fill: 'var(--phase-sync)' }} />
        </svg>{' '}
        still going at the log's end (≥)
      </span>
    </>
  );
}

/** The marks: one line across the page, above the chart. */
export function MarkKey(): ReactNode {
  return (
    <div className="mark-key" data-testid="mark-key">
      <span data-testid="legend-incidents" className="legend-group">
        <strong>incidents</strong>
        {INCIDENT_GROUPS.map((g) => (
          <span key={g.group} title={g.kinds.map(incidentTitle).join(', ')} data-testid="legend-incident-group">
            {' '}
            <Mark d={markPath(g.shape, 5, 5)} fill={SEVERITY_FILL.error} /> {g.group}
          </span>
        ))}
      </span>
      <span className="legend-group">
        <strong>severity</strong> <span style={{ color: SEVERITY_FILL.critical }}>critical</span> <span style={{ color: SEVERITY_FILL.error }}>error</span>{' '}
        <span style={{ color: SEVERITY_FILL.warning }}>warning</span> <span style={{ color: SEVERITY_FILL.info }}>info</span>
      </span>
      <span className="legend-group" data-testid="legend-kubelet">
        <strong>kubelet</strong> <Mark d={kubeletMarkPath('crash', 5, 5)} className="kubelet-crash" /> crashed <Mark d={kubeletMarkPath('stop', 5, 5)} className="kubelet-stop" /> stopped{' '}
        <Mark d={kubeletMarkPath('start', 5, 5)} className="kubelet-start" /> started
      </span>
    </div>
  );
}
