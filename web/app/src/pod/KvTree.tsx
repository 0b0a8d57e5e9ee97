// A record's key/values as a readable tree: strings as text (wrapped, never markup), objects and
// arrays nested one level under another, each value a row of its own.
import type { ReactNode } from 'react';
import type { PodView } from '../../../api/types.js';

type Kv = PodView['events'][number]['kv'];
type Value = Kv[string];

function ValueView({ v }: { v: Value }): ReactNode {
  if (v === null) return <span className="kv-null">null</span>;
  if (Array.isArray(v)) {
    if (v.length === 0) return <span className="dim">[]</span>;
    return (
      <ol className="kv-list" start={0}>
        {v.map((x, i) => (
          <li key={i}>
            <ValueView v={x} />
          </li>
        ))}
      </ol>
    );
  }
  if (typeof v === 'object') return Object.keys(v).length ? <KvTree kv={v} nested /> : <span className="dim">{'{}'}</span>;
  if (typeof v === 'string') return <span className="kv-string">{v}</span>;
  return <span className="kv-scalar">{String(v)}</span>;
}

export function KvTree({ kv, nested = false }: { kv: Kv; nested?: boolean }): ReactNode {
  return (
    <table className={nested ? 'kv-tree kv-nested' : 'kv-tree'} data-testid={nested ? undefined : 'detail-kv'}>
      <tbody>
        {Object.entries(kv).map(([k, v]) => (
          <tr key={k} data-key={k}>
            <th scope="row" className="mono">
              {k}
            </th>
            <td className="mono">
              <ValueView v={v} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
