// Every event of the pod in time order; a click selects it (its details open in the pane). One row
// at a time is in the Tab order (the selected one): Tab reaches the table, Enter opens the row.
// A pod that lives through the whole log can have tens of thousands: the table shows them a page
// at a time (the selected event's page), the filter searches all of them. A busy pod's (`paged`)
// are those of the timeline's window, fetched a page at a time: the filter searches those loaded.
import { useMemo, useState, type ReactNode } from 'react';
import type { EventView, PodView } from '../../../api/types.js';
import { kvInline } from '../kv.js';
import { laneLabel, severityColor } from '../theme.js';
import { clockUs, duration } from '../time.js';
import { eventId } from './selection.js';
import { WINDOW_PAGE } from './usePodEvents.js';

const PAGE = 1000;

/** A busy pod's events come by window: how many the window and the pod have, and the window's next page. */
export interface PagedEvents {
  windowTotal: number;
  podTotal: number;
  /** The window is the whole pod. */
  whole: boolean;
  loading: boolean;
  error: string | null;
  more: (() => Promise<EventView[]>) | null;
}

export function EventTable({
  pod,
  selected,
  onSelect,
  onOpen,
  paged = null,
}: {
  pod: PodView;
  paged?: PagedEvents | null;
  selected: string | null;
  /** A click: select, or let go of the selected one. */
  onSelect: (id: string) => void;
  /** Enter: select and open the pane. */
  onOpen: (id: string) => void;
}): ReactNode {
  const [filter, setFilter] = useState('');
  const [shown, setShown] = useState(PAGE);
  const t0 = pod.first.timeUs;
  const rows = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return f ? pod.events.filter((e) => `${e.lane ?? ''} ${e.kind} ${e.msg} ${kvInline(e.kv)}`.toLowerCase().includes(f)) : pod.events;
  }, [pod, filter]);
  // the selected event is always in the rendered part
  const selectedAt = selected ? rows.findIndex((e) => eventId(e) === selected) : -1;
  const limit = Math.max(shown, selectedAt + 1);
  const visible = rows.length > limit ? rows.slice(0, limit) : rows;
  const tabStop = selectedAt >= 0 ? selected : visible[0] ? eventId(visible[0]) : null;
  return (
    <section className="events" aria-label="events">
      <header>
        <h2>Events</h2>
        <input type="search" placeholder="Filter events" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="filter events" />
        {paged ? (
          <span className="dim" data-testid="event-count" data-loaded={pod.events.length} data-window-total={paged.windowTotal}>
            {paged.error !== null
              ? `the window’s events could not be loaded: ${paged.error}`
              : paged.loading
              ? 'loading the window’s events…'
              : `${filter.trim() ? `${rows.length} of ` : ''}${pod.events.length.toLocaleString()} loaded of ${paged.windowTotal.toLocaleString()} ${paged.whole ? 'in the pod' : `in this window (${paged.podTotal.toLocaleString()} in the pod)`}`}
          </span>
        ) : (
          <span className="dim">
            {rows.length} of {pod.events.length}
          </span>
        )}
      </header>
      <table className="event-table" data-testid="event-table">
        <thead>
          <tr>
            <th>time (UTC)</th>
            <th>+</th>
            <th>line</th>
            <th>lane</th>
            <th>message</th>
            <th>key/values</th>
          </tr>
        </thead>
        <tbody>
          {visible.map((e) => {
            const id = eventId(e);
            return (
              <tr
                key={id}
                className={id === selected ? 'selected' : undefined}
                onClick={() => onSelect(id)}
                onKeyDown={(ev) => {
                  if (ev.key !== 'Enter') return;
                  ev.preventDefault();
                  onOpen(id);
                }}
                tabIndex={id === tabStop ? 0 : -1}
                aria-selected={id === selected}
                data-event={id}
              >
                <td className="mono">{e.timeUs !== undefined ? clockUs(e.timeUs) : '—'}</td>
                <td className="mono dim">{e.timeUs !== undefined && t0 !== undefined ? duration(e.timeUs - t0) : ''}</td>
                <td className="mono dim">{e.line}</td>
                <td>{laneLabel(e.lane)}</td>
                <td style={{ color: severityColor(e.severity) }}>
                  {e.severity ? <span className="sev">{e.severity}</span> : null} {e.msg}
                </td>
                <td className="mono kv">{kvInline(e.kv)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {visible.length < rows.length ? (
        <div className="pager">
          <span className="dim">
            {visible.length.toLocaleString()} of {rows.length.toLocaleString()} shown
          </span>
          <button type="button" onClick={() => setShown(limit + PAGE)}>
            show {Math.min(PAGE, rows.length - visible.length).toLocaleString()} more
          </button>
        </div>
      ) : null}
      {paged?.more && visible.length === rows.length ? (
        <div className="pager">
          <button type="button" onClick={() => void paged.more!()} data-testid="events-next-page">
            next {Math.min(WINDOW_PAGE, paged.windowTotal - pod.events.length).toLocaleString()} events of the window (or j past the last one)
          </button>
        </div>
      ) : null}
    </section>
  );
}
