// What a diff page can compare in the served database: each named node, and each source (a file,
// or a rotated set's member), as the selectors `kubelog diff` takes.
import type { SourcesResponse } from '../../../api/types.js';

export interface SideOption {
  /** The selector: node:NAME or source:ID. */
  value: string;
  label: string;
}

const base = (p: string): string => p.split('/').filter(Boolean).pop() ?? p;

export function sideOptions(s: SourcesResponse): SideOption[] {
  const nodes = s.nodes.flatMap((n): SideOption[] =>
    n.node === null ? [] : [{ value: `node:${n.node}`, label: `node ${n.node} (${n.sources} source${n.sources === 1 ? '' : 's'}, ${n.pods.toLocaleString()} pods)` }],
  );
  const sources = s.sources.map((x): SideOption => ({ value: `source:${x.id}`, label: `source ${x.id}: ${base(x.path)}${x.node !== null ? ` (${x.node})` : ''}` }));
  return [...nodes, ...sources];
}

/** Two different nodes when there are, else the first and last source; null with fewer than two. */
export function defaultSides(s: SourcesResponse): { a: string; b: string } | null {
  const named = s.nodes.filter((n) => n.node !== null);
  if (named.length >= 2) return { a: `node:${named[0]!.node}`, b: `node:${named[1]!.node}` };
  const withRecords = s.sources.filter((x) => x.records > 0);
  if (withRecords.length >= 2) return { a: `source:${withRecords[0]!.id}`, b: `source:${withRecords[withRecords.length - 1]!.id}` };
  return null;
}
