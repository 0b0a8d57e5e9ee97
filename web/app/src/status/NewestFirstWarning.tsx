// A log that ran newest first (gcloud logging read, logcli, journalctl -r) gives pods read
// backwards: said above every page, for as long as such an input is in the database, because the
// timelines below it are wrong and nothing else on them says so.
import type { ReactNode } from 'react';
import type { StatusResponse } from '../../../api/types.js';

export function NewestFirstWarning({ status }: { status: StatusResponse | undefined }): ReactNode {
  const inputs = status?.newestFirst ?? [];
  if (inputs.length === 0) return null;
  return (
    <div className="ingest-status bad" role="alert" data-testid="newest-first">
      {inputs.map((i) => (
        <div key={i.path}>
          <b>{i.path}</b>: {i.message}
        </div>
      ))}
    </div>
  );
}
