// The swatches of the phases and of incidents, as every chart draws them.
import type { ReactNode } from 'react';
import { INCIDENT_COLOR, PHASES } from '../theme.js';

export function PhaseLegend(): ReactNode {
  return (
    <>
      {PHASES.map((p) => (
        <span key={p.phase}>
          <span className="swatch" style={{ background: p.color }} /> {p.label}
        </span>
      ))}
      <span>
        <span className="swatch" style={{ background: INCIDENT_COLOR }} /> incident
      </span>
    </>
  );
}
