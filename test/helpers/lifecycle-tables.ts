import { openDatabase } from '../../store/db.js';

/** The lifecycle tables of a database, every row. */
export const lifecycleTables = (file: string): unknown[][] => {
  const d = openDatabase(file, { readonly: true });
  try {
    return ['pods', 'phases', 'incidents', 'pod_events', 'event_types', 'message_counts', 'record_facts', 'kubelet_processes', 'node_events'].map((t) => d.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all());
  } finally {
    d.close();
  }
};
