// What each kubelet minor version logs differently, as data. A version's profile says which klog
// value era it prints in, which pod worker it has, and from which column of sites.ts its
// `file.go:line` callers come. Sources: kubelet-log-formats.md §1.3 (eras), §4 (messages per
// version), kubelet-messages/*.tsv (1.19, 1.20, 1.23, 1.25, 1.26, 1.28), samples/real 07 (1.31.1)
// and 08 (1.32.0). Minors without a source are interpolations; README.md says which.

import type { KubeletVersion } from './types.js';
import type { SiteColumn } from './sites.js';

/** klog value era of text logs (values.ts): A ≤1.23, B 1.24/1.25/1.27, B26 1.26, C ≥1.28. */
export type TextEra = 'A' | 'B' | 'B26' | 'C';

export interface Profile {
  /** The version as given (`json` = 1.28 in the JSON format). */
  id: KubeletVersion;
  minor: number;
  /** Printf-era messages (≤1.20). */
  printf: boolean;
  /** The rewritten pod worker with syncPod/syncTerminatingPod/syncTerminatedPod enter/exit (≥1.22). */
  newWorker: boolean;
  /** `SyncPod enter` instead of `syncPod enter`, worker messages with podUID only, string work types (≥1.28). */
  capitalized: boolean;
  era: TextEra;
  sites: SiteColumn;
  /** Whether the column's lines come from a source (TSV or a real log) or are estimated. */
  sitesVerified: boolean;
  full: string;
  go: string;
  /** dockershim is the default runtime up to 1.23 (removed in 1.24). */
  dockershim: boolean;
}

interface Row {
  minor: number;
  full: string;
  go: string;
  sites: SiteColumn;
  sitesVerified: boolean;
}

const ROWS: Row[] = [
  { minor: 19, full: 'v1.19.16', go: 'go1.15.15', sites: '1.19', sitesVerified: true },
  { minor: 20, full: 'v1.20.15', go: 'go1.15.15', sites: '1.20', sitesVerified: true },
  { minor: 21, full: 'v1.21.14', go: 'go1.16.15', sites: '1.23', sitesVerified: false },
  { minor: 22, full: 'v1.22.17', go: 'go1.16.15', sites: '1.23', sitesVerified: false },
  { minor: 23, full: 'v1.23.17', go: 'go1.19.6', sites: '1.23', sitesVerified: true },
  { minor: 24, full: 'v1.24.17', go: 'go1.20.7', sites: '1.25', sitesVerified: false },
  { minor: 25, full: 'v1.25.16', go: 'go1.20.10', sites: '1.25', sitesVerified: true },
  { minor: 26, full: 'v1.26.15', go: 'go1.21.9', sites: '1.26', sitesVerified: true },
  { minor: 27, full: 'v1.27.16', go: 'go1.22.5', sites: '1.26', sitesVerified: false },
  { minor: 28, full: 'v1.28.7', go: 'go1.21.7', sites: '1.28', sitesVerified: true },
  { minor: 29, full: 'v1.29.15', go: 'go1.23.6', sites: '1.31', sitesVerified: false },
  { minor: 30, full: 'v1.30.14', go: 'go1.23.10', sites: '1.31', sitesVerified: false },
  { minor: 31, full: 'v1.31.1', go: 'go1.22.6', sites: '1.31', sitesVerified: true },
  { minor: 32, full: 'v1.32.0', go: 'go1.23.4', sites: '1.32', sitesVerified: true },
  { minor: 33, full: 'v1.33.4', go: 'go1.24.5', sites: '1.32', sitesVerified: false },
];

export const TEXT_VERSIONS: readonly KubeletVersion[] = ROWS.map((r) => `1.${r.minor}` as KubeletVersion);
/** Every accepted `kubeletVersion`: the text versions and `json` (1.28 in the JSON format, kept for older callers). */
export const VERSIONS: readonly KubeletVersion[] = [...TEXT_VERSIONS, 'json'];

function eraOf(minor: number): TextEra {
  if (minor <= 23) return 'A';
  if (minor === 26) return 'B26';
  if (minor <= 27) return 'B';
  return 'C';
}

export function profileOf(v: KubeletVersion): Profile {
  const minor = v === 'json' ? 28 : Number(v.slice(2));
  const row = ROWS.find((r) => r.minor === minor);
  if (!row) throw new Error(`unknown kubelet version ${JSON.stringify(v)} (one of ${VERSIONS.join(', ')})`);
  return {
    id: v,
    minor,
    printf: minor <= 20,
    newWorker: minor >= 22,
    capitalized: minor >= 28,
    era: eraOf(minor),
    sites: row.sites,
    sitesVerified: row.sitesVerified,
    full: row.full,
    go: row.go,
    dockershim: minor <= 23,
  };
}
