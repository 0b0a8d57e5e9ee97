// How a stored source was dated, as the parser reports it (TimeReport): the assumptions stored
// with the source, and how often its lines contradicted them, from its stored diagnostics.
import type { TimeReport } from '../parser/index.js';
import { KLOG_TOLERANCE_US } from '../parser/resolve-time.js';
import type { Db } from '../store/db.js';
import { diagnosticsByCode, parseOptionsOf, type SourceRow } from '../store/sources.js';

/**
 * Exact across resumed ingests, which re-read and replace their last lines. Undefined for a source
 * stored before kubelog recorded its assumptions.
 */
export function timeReportOf(db: Db, row: SourceRow): TimeReport | undefined {
  const time = parseOptionsOf(row).time;
  if (time === undefined) return undefined;
  const report: TimeReport = { ...time, conflicts: { count: 0 }, klogOff: { count: 0, toleranceSeconds: KLOG_TOLERANCE_US / 1e6 } };
  for (const d of diagnosticsByCode(db, row.id, ['time-conflict', 'klog-time-off', 'newest-first'])) {
    if (d.code === 'newest-first') {
      report.newestFirst = { line: d.line, message: d.message };
      continue;
    }
    const slot = d.code === 'time-conflict' ? report.conflicts : report.klogOff;
    slot.count = d.count;
    slot.first = { line: d.line, message: d.message };
  }
  return report;
}
