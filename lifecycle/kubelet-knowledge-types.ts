// The shapes of the kubelet knowledge files in schemas/: which catalogue messages each kubelet
// version logs at which -v (kubelet-verbosity.json), where each klog call sits per release
// (kubelet-callsites.json) and the hand-checked facts both are generated from
// (kubelet-verbosity-supplement.json). Shared by the generator (schemas/tools/kubelet-verbosity)
// and the readers in lifecycle/.

/**
 * Where a level comes from:
 * - `reference`: the per-release klog call tables of pkg/kubelet (../shared/reference/kubelet-messages);
 * - `source`: read in a source copy outside those tables (client-go, pkg/volume, cAdvisor, a newer
 *   pkg/kubelet file), named in `note`;
 * - `sample`: seen in a real log of a stated version (the message exists there; its V comes from
 *   the nearest checked version);
 * - `assumed`: not checked for these versions; carried over from the nearest checked one.
 */
export type LevelBasis = 'reference' | 'source' | 'sample' | 'assumed';

export interface LoggedLevel {
  logged: true;
  /** The lowest -v at which some call logs the message (0 for warnings and errors). */
  v: number;
  /** Severity letters of those calls, e.g. `I`, `E`, `IE`. */
  sev: string;
  basis: LevelBasis;
  /** The calls (`kubelet.go:1827 I V2 printf`), for reference releases. */
  calls?: string[];
  note?: string;
}

export interface NotLogged {
  logged: false;
  basis: LevelBasis;
  note?: string;
}

export type VersionLevel = LoggedLevel | NotLogged;

export interface EntryLevels {
  /** Per version key of `VerbosityData.versions`. */
  at: Record<string, VersionLevel>;
  /** Set when no level could be established for any version: why. */
  unknown?: string;
}

export interface VerbosityData {
  $comment: string;
  /**
   * Version keys, oldest first: a release (`1.19`, `1.28.0`) or a range of minors (`1.29-1.33`).
   * A release key covers that release's minor (both `1.28.0` and `1.28.7` cover 1.28).
   */
  versions: string[];
  entries: Record<string, EntryLevels>;
}

/**
 * How a call's message is matched against a record's message:
 * - `s` exact structured message;
 * - `p` printf format (`%q`, `%d`, `%v` … stand for values);
 * - `d` message prefix (volume messages built by GenerateMsgDetailed: `<literal> for volume …`);
 * - `t` a prefix the reference tables cut short (the rest of the message is unknown).
 */
export type SiteShape = 's' | 'p' | 'd' | 't';

export interface ReleaseInfo {
  /** `1.19`, `1.28.7`, `1.31.0` */
  name: string;
  minor: number;
  /**
   * `full`: every klog call of pkg/kubelet of this release is listed (a message missing there is not
   * logged by pkg/kubelet); `observed`: only the calls seen in logs of this stated version.
   */
  coverage: 'full' | 'observed';
  source: string;
}

/**
 * One message of one source file with its line in each release: [file basename, shape, text,
 * severity letter, V (null when only observed), line per release (0 = not there / not observed,
 * or several lines)].
 */
export type CallSite = [string, SiteShape, string, string, number | null, (number | number[])[]];

export interface CallSiteData {
  $comment: string;
  releases: ReleaseInfo[];
  sites: CallSite[];
}

/** A catalogue entry's level for a span of versions, from a source outside the reference tables. */
export interface SupplementLevel {
  entry: string;
  /** `1.19-1.33`, `1.17-1.18`, `1.29-1.33` */
  versions: string;
  logged: boolean;
  v?: number;
  sev?: string;
  basis: LevelBasis;
  note: string;
}

/** A truncated reference message resolved from the source: the call at this V logs this message. */
export interface TruncatedResolution {
  literal: string;
  v: number;
  message: string;
  note: string;
}

/** Call sites seen in a log of a stated version. */
export interface ObservedRelease {
  version: string;
  source: string;
  /** A sample under samples/real/ whose records give the call sites … */
  sample?: string;
  /** … or call sites listed by hand: `file.go:line`, shape, message text. */
  sites?: [string, SiteShape, string][];
}

export interface VerbositySupplement {
  $comment: string;
  /** The range of minors after the last reference release (`1.29-1.33`). */
  newer: string;
  levels: SupplementLevel[];
  truncated: TruncatedResolution[];
  observed: ObservedRelease[];
}
