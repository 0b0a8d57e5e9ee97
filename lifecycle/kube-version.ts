// Kubernetes 1.x versions as the knowledge files write them: a release (`1.28`, `1.28.7`,
// `v1.32.0-gke.1`) or a span of minors (`1.29-1.33`). Only the minor decides which messages a
// kubelet logs; patches differ at most in line numbers.

export interface MinorSpan {
  min: number;
  max: number;
}

const RELEASE = /^v?1\.(\d+)(?:\.(\d+))?/;

/** The minor of `1.28.7` / `v1.32.0-rc.1`, or undefined when the text is not a 1.x version. */
export function minorOf(version: string): number | undefined {
  const m = RELEASE.exec(version.trim());
  return m ? Number(m[1]) : undefined;
}

/** `1.29-1.33` → {29, 33}; a single release → its minor twice. */
export function spanOf(key: string): MinorSpan {
  const [a, b] = key.split('-');
  const min = minorOf(a ?? '');
  const max = b === undefined ? min : minorOf(b);
  if (min === undefined || max === undefined || max < min) throw new Error(`not a Kubernetes version or span: ${JSON.stringify(key)}`);
  return { min, max };
}

/** Order `1.9` < `1.19` < `1.28.0` < `1.28.7`. */
export function compareVersions(a: string, b: string): number {
  const pa = RELEASE.exec(a);
  const pb = RELEASE.exec(b);
  return Number(pa?.[1] ?? 0) - Number(pb?.[1] ?? 0) || Number(pa?.[2] ?? 0) - Number(pb?.[2] ?? 0);
}

export function formatSpan(s: Partial<MinorSpan>): string {
  if (s.min === undefined && s.max === undefined) return 'unknown';
  if (s.min === undefined) return `≤1.${s.max}`;
  if (s.max === undefined) return `≥1.${s.min}`;
  return s.min === s.max ? `1.${s.min}` : `1.${s.min}-1.${s.max}`;
}
