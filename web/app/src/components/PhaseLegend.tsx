// The swatches of the phases and of incidents, as every chart draws them.
import type { ReactNode } from 'react';
import { INCIDENT_COLOR, PHASES } from '../theme.js';

/** `incident: false`: a chart that draws its incidents' marks with a key of its own. */
export function PhaseLegend({ incident = true }: { incident?: boolean }): ReactNode {
  return (
    <>
      {PHASES.map((p) => (
        <span key={p.phase}>
          <span className="swatch" style={{ background: p.color }} /> {p.label}
        </span>
      ))}
      {incident ? (
        <span>
          <span className="swatch" style={{ background: INCIDENT_COLOR }} /> incident
        </span>
      ) : null}
    </>
  );
}
