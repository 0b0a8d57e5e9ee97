// The selected event, kept open beside the timeline (as in KHI or Jaeger): its message, its
// key/values as a tree, and the raw log around it. Log text is text: never markup.
import type { ReactNode } from 'react';
import type { IncidentView, PodView } from '../../../api/types.js';
import { laneLabel, severityColor } from '../theme.js';
import { clockUs } from '../time.js';
import { incidentTitle } from '../words.js';
import { ContextLines } from './ContextLines.js';
import { KvTree } from './KvTree.js';
import { eventId } from './selection.js';

type Event = PodView['events'][number];

const SEVERITY_WORDS: Record<string, string> = { I: 'info', W: 'warning', E: 'error', F: 'fatal' };

export function DetailPane({
  pod,
  at,
  event,
  incidents,
  onClose,
}: {
  pod: PodView;
  /** The selected point: an event's, or a line the model did not make an event (a phase boundary). */
  at: { source: number; line: number };
  event: Event | undefined;
  /** The incidents this line is evidence of. */
  incidents: IncidentView[];
  onClose: () => void;
}): ReactNode {
  const id = `${at.source}:${at.line}`;
  return (
    <aside className="detail-pane" data-testid="detail-pane" data-event={id} aria-label="selected event">
      <header className="detail-head">
        <strong>{event ? 'Event' : `Line ${at.line}`}</strong>
        {event ? (
          <span className="mono dim">
            {event.timeUs !== undefined ? `${clockUs(event.timeUs)} UTC · ` : ''}line {event.line} · {laneLabel(event.lane)} lane
          </span>
        ) : null}
        <button type="button" className="close" onClick={onClose} aria-label="close the detail pane (Escape)" title="close (Escape)" data-testid="detail-close">
          ×
        </button>
      </header>
      {event ? (
        <div className="detail-msg" data-testid="detail-msg" style={{ color: severityColor(event.severity) }}>
          {event.severity ? <span className="sev-word">{SEVERITY_WORDS[event.severity] ?? event.severity}</span> : null}
          {event.msg}
        </div>
      ) : null}
      {incidents.length ? (
        <ul className="detail-incidents">
          {incidents.map((a, i) => (
            <li key={i}>
              <span className={`badge badge-incident sev-${a.severity}`}>{incidentTitle(a.kind)}</span> <span className="dim">{a.severity}</span> {a.detail}
            </li>
          ))}
        </ul>
      ) : null}
      {event && Object.keys(event.kv).length ? <KvTree kv={event.kv} /> : null}
      <ContextLines key={id} source={at.source} line={at.line} podKey={pod.key} />
    </aside>
  );
}

/** The incidents a line shows (its first line or one of its evidence lines). */
export const incidentsAt = (pod: PodView, id: string): IncidentView[] => pod.incidents.filter((a) => eventId(a) === id || a.evidence.some((e) => eventId(e) === id));
