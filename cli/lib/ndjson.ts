// One record as one JSON line: the record itself plus readable ISO times for people using jq.
import type { LogRecord } from '../../parser/index.js';
import { formatIsoUs } from '../../parser/time.js';
import { safeJson } from './terminal-text.js';

export function toNdjsonRecord(r: LogRecord, file?: string): string {
  const out: Record<string, unknown> = {};
  if (file !== undefined) out.file = file;
  if (r.timeUs !== undefined) out.time = formatIsoUs(r.timeUs);
  Object.assign(out, r);
  if (r.transport?.timeUs !== undefined) out.transport = { ...r.transport, time: formatIsoUs(r.transport.timeUs) };
  return safeJson(out) + '\n';
}
