// Loading, empty and error states: each says what is happening or what to do next.
import type { ReactNode } from 'react';
import type { ApiFailure } from '../api.js';

export function Loading({ what }: { what: string }): ReactNode {
  return (
    <div className="state state-loading" data-testid="loading" role="status">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }): ReactNode {
  return (
    <div className="state state-empty" data-testid="empty">
      <strong>{title}</strong>
      {children ? <div className="state-help">{children}</div> : null}
    </div>
  );
}

export function ErrorState({ error, what }: { error: ApiFailure; what: string }): ReactNode {
  return (
    <div className="state state-error" data-testid="error" role="alert">
      <strong>Could not load {what}.</strong>
      <div className="state-help">{error.message}</div>
      {error.status >= 500 ? <div className="state-help">The server's own output (the terminal running `kubelog serve`) says more.</div> : null}
      <button type="button" onClick={() => window.location.reload()}>
        Reload
      </button>
    </div>
  );
}

/** Ingest first: what an empty database needs. */
export function NothingIngested(): ReactNode {
  return (
    <Empty title="This database has no pods yet.">
      Ingest a kubelet log into it, then reload this page:
      <pre>kubelog ingest --db &lt;this database&gt; /var/log/kubelet/kubelet.log</pre>
      or <code>journalctl -u kubelet -o json | kubelog ingest</code>, or serve a log directly with <code>kubelog serve kubelet.log</code>.
    </Empty>
  );
}
