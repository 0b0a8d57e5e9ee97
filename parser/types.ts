// The parser's public vocabulary. Everything downstream (store, lifecycle, cli) speaks these types.

/** A typed key/value as it came out of any klog era or the JSON format. */
export type KvValue = string | number | boolean | null | KvValue[] | { [key: string]: KvValue };
export type KvMap = Record<string, KvValue>;

/**
 * What wrapped the kubelet's own text on disk.
 * - `syslog`: RFC 3164 timestamp (`Jun  7 14:54:46 host tag[pid]: `): rsyslog traditional,
 *   journalctl short and short-precise.
 * - `syslog-iso`: RFC 3339 timestamp (`2023-06-07T14:54:46.123456+00:00 host tag[pid]: `):
 *   rsyslog RSYSLOG_FileFormat, journalctl short-iso and short-iso-precise.
 * - `syslog-unix`: journalctl short-unix (`1686149686.123456 host tag[pid]: `).
 * - `journal-json`: `journalctl -o json`, one JSON object per entry.
 * - `prefix`: a bare `name: ` in front of the line (talosctl-style `node: {...}`).
 * - `none`: the line itself is the kubelet's (bare klog file, container log, headerless trace).
 */
export type EnvelopeKind = 'syslog' | 'syslog-iso' | 'syslog-unix' | 'journal-json' | 'log-export' | 'container' | 'prefix' | 'none';

/**
 * How the kubelet's text itself is shaped.
 * - `klog`: a klog header (`I0607 14:54:46.123456    1234 file.go:12] `) then the body.
 * - `json`: `--logging-format=json` (`{"ts":…,"caller":…,"msg":…}`).
 * - `headerless`: a klog body whose header was stripped (`"msg" key=value …`, or printf text in a
 *   file of such lines), as in the design-notes trace.
 * - `text`: kubelet output without a klog header (`Flag --x has been deprecated`).
 * - `crash`: the Go runtime's output when the process dies (`panic: …`, `fatal error: …`,
 *   `SIGABRT: abort`, a goroutine dump) as one record: `msg` is its first line, severity `F`, `kv`
 *   holds `crash` (the opener: panic | fatal-error | signal | goroutine | …), `goroutines` (count),
 *   `firstGoroutine` (`goroutine 0 [idle]:`) and, when printed, `panic`, `fatalError`, `signal`,
 *   `signalText`, `pc`, `addr`, `code`, `m`, `sigcode`, `runtime`, `exitStatus`
 *   (schemas/go-runtime-crash.json).
 */
export type BodyFormat = 'klog' | 'json' | 'headerless' | 'text' | 'crash';

export type Severity = 'I' | 'W' | 'E' | 'F';

export interface Transport {
  host?: string;
  /** syslog tag / SYSLOG_IDENTIFIER: `kubelet`, `kubelet.sh`, `k3s`, … */
  ident?: string;
  pid?: number;
  /** Transport time, epoch microseconds UTC, when the envelope has one. */
  timeUs?: number;
  /** The transport timestamp exactly as written. */
  timeText?: string;
}

export interface LogRecord {
  /** 1-based physical line number of the first and last line of this record in its input. */
  line: number;
  endLine: number;
  /** Byte offset of the first line in its input. */
  offset: number;
  envelope: EnvelopeKind;
  format: BodyFormat;
  transport?: Transport;
  /** klog severity letter; for JSON logs derived from the presence of `v`/`err`. */
  severity?: Severity;
  /**
   * The record's time, epoch µs UTC: the klog header or JSON `ts` after year/zone resolution, else
   * the transport's; also the transport's when the klog time is off it (diagnostic `klog-time-off`).
   */
  timeUs?: number;
  /** klog header time as written (`0607 14:54:46.123456`). */
  klogTime?: string;
  pid?: number;
  /** `file.go:line`, or `dir/file.go:line` for JSON logs and --add_dir_header. */
  caller?: string;
  msg: string;
  /** True for `"msg" key=value` and JSON lines, false for printf text. */
  structured: boolean;
  kv: KvMap;
  /** Id of the printf format (schemas/printf-messages.json) an unstructured msg matched. */
  printf?: string;
  /** Verbosity, known only for JSON logs (`"v":4`). */
  v?: number;
  /** The record's physical lines (transport prefix included), joined with `\n`. */
  raw: string;
}

export type DiagnosticLevel = 'error' | 'warning' | 'info';

export interface Diagnostic {
  level: DiagnosticLevel;
  /** Stable machine-readable code, e.g. `invalid-utf8`, `unterminated-string`. */
  code: string;
  message: string;
  line: number;
}

/** Why a line that is not part of a kubelet record was kept aside. */
export type ForeignKind =
  | 'other-program' // syslog/journal line of systemd, dockerd, containerd, …
  | 'blank'
  | 'journal-marker' // `-- Logs begin at … --`, `-- Reboot --`
  | 'section-marker' // `==> kubelet <==` (minikube logs)
  | 'klog-file-header' // `Log file created at: …` and its three companions
  | 'text'; // text outside any record with nothing to attach it to

export type RejectReason =
  | 'binary' // NUL or other control bytes: not a log line
  | 'too-long' // longer than the parser's line limit
  | 'bad-json' // looked like JSON (journal or kubelet) but did not parse
  | 'bad-header' // klog header shape with impossible values (month 13, …)
  | 'bad-envelope' // transport prefix shape with impossible values
  | 'omitted-by-journal'; // journalctl -o json printed MESSAGE as null (over 4096 bytes without --all)

export interface ForeignLine {
  line: number;
  offset: number;
  kind: ForeignKind;
  text: string;
  transport?: Transport;
}

export interface RejectedLine {
  line: number;
  offset: number;
  reason: RejectReason;
  text: string;
}

/** Line accounting: `linesRead === recordLines + foreign + rejected`, always. */
export interface ParseCounts {
  linesRead: number;
  bytesRead: number;
  records: number;
  recordLines: number;
  foreign: number;
  rejected: number;
  foreignByKind: Partial<Record<ForeignKind, number>>;
  rejectedByReason: Partial<Record<RejectReason, number>>;
  diagnostics: number;
}

export interface ParseOptions {
  /** Year of every time that carries none (`--year`): beats everything the log itself says. */
  year?: number;
  /** Year when the log says none (the CLI passes the file's mtime year); else the current year. */
  fallbackYear?: number;
  /**
   * Year when the log says none but another input of the same node does (read in the same run):
   * before the mtime. `evidence` says which input and what in it.
   */
  siblingYear?: { value: number; evidence: string };
  /** Zone (an offset, `+00:00`) when the log says none but another input of the same node does. */
  siblingZone?: { value: string; evidence: string };
  /** Zone of wall times that carry none (`--tz`: `UTC`, `+08:00`, or an IANA name): beats the log's own evidence. */
  tz?: string;
  /** Continue an earlier parse of the same input at a later line, with what it had settled (ingest resume). */
  resume?: TimeResume;
  /** Physical lines longer than this many characters are rejected. */
  maxLineLength?: number;
}

/** Where the year of times that carry none came from. */
export type YearSource = 'option' | 'content' | 'klog-file-header' | 'journal-marker' | 'sibling' | 'mtime' | 'clock';
/** Where the zone of wall times that carry none came from (`default`: nothing said, UTC assumed). */
export type ZoneSource = 'option' | 'content' | 'journal-marker' | 'sibling' | 'default';

/**
 * What the parser assumed to date an input whose times lack a year or zone, and why. Only what was
 * used appears: a journal exported with `-o json` needs no year and no zone.
 */
export interface TimeAssumptions {
  /** The year of the input's first yearless time (later ones roll over at New Year). */
  year?: { value: number; from: YearSource; line?: number; evidence?: string };
  /** The zone of wall times with none: RFC 3164 transport times, bare klog times. */
  zone?: { value: string; from: ZoneSource; line?: number; evidence?: string };
  /**
   * The zone of klog times, measured against their transport times, when it is not `zone` itself:
   * the kubelet's zone when the transport time is absolute (journal JSON, RFC 3339), or a kubelet
   * that runs in another zone than the one its syslog writes.
   */
  klogZone?: {
    value: string;
    line: number;
    /** Minutes the klog times run ahead of their transport times: the kubelet's UTC offset when `transport` is absolute. */
    shiftMinutes: number;
    transport: 'wall' | 'absolute';
  };
}

/** The assumptions, and how often the input contradicted them (each case is also a diagnostic with its line). */
export interface TimeReport extends TimeAssumptions {
  /** Lines whose own times say another year or zone (diagnostic `time-conflict`). */
  conflicts: { count: number; first?: { line: number; message: string } };
  /** klog times further than the tolerance from their transport time, placed at it (diagnostic `klog-time-off`). */
  klogOff: { count: number; toleranceSeconds: number; first?: { line: number; message: string } };
  /** The records run newest first (diagnostic `newest-first`, said at the first record's line). */
  newestFirst?: { line: number; message: string };
}

/** What a parse that continues an earlier one needs: the earlier assumptions and the last record's wall clock. */
export interface TimeResume {
  assumptions: TimeAssumptions;
  /** Year and month of the last record's wall clock before the resume point. */
  year: number;
  month: number;
}

/** Everything the parser reports, in input order. */
export type ParseEvent =
  | { type: 'record'; record: LogRecord }
  | { type: 'foreign'; foreign: ForeignLine }
  | { type: 'rejected'; rejected: RejectedLine }
  | { type: 'diagnostic'; diagnostic: Diagnostic };
