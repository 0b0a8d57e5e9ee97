import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import type { Db } from '../../store/db.js';
import { loadDiffSide, parseSelector, SelectorError, type SideSelector } from '../../pipeline/diff-side.js';
import { diffSides, type DiffResult } from '../../lifecycle/diff/index.js';
import { KubelogCommand } from '../lib/command.js';
import { dbFlag, isSqliteFile, openForReading } from '../lib/db.js';
import { fail } from '../lib/errors.js';
import { readingFlags, reportRusageAtExit, runIngest } from '../lib/ingest-run.js';
import { checkZone } from '../lib/zone.js';
import { renderDiff } from '../lib/render-diff.js';
import { wantsColor } from '../lib/color.js';

interface SideSpec {
  arg: string;
  /** `node:` / `source:` in --db, or the whole of a database file given as the side; undefined for a log to read. */
  sel: SideSelector | undefined;
  /** A kubelog database file given as the side (recognised by SQLite's header), instead of --db. */
  db?: string;
}

export default class Diff extends KubelogCommand {
  static override summary = 'Compare two kubelet logs (or databases, or nodes or sources of a database): what differs, ranked.';
  // one line a paragraph: oclif wraps them to the terminal
  static override description = [
    'A and B are each a log (a file, a directory of rotated files, or a quoted glob, read as kubelog ingest reads them), a kubelog database (a file kubelog ingest wrote: all of it is the side), or node:NAME or source:ID[,ID…] of the database --db.',
    'Logs are ingested into a temporary database of their own, one per side, removed afterwards: the pod lifecycle model then sees each side alone (two runs of a node can reuse pod UIDs and PIDs, which one database would take for one history), and --db is left as it was. To keep them, ingest each into a database of its own first (kubelog ingest --db a.db a.log) and diff the databases: kubelog diff a.db b.db.',
    'Sections, each ranked by how much it matters: the overview (time span, lines, records by severity, pods, kubelet version and verbosity, restarts); pod lifecycles per workload (startup, terminating and terminated p50/p90/max, incidents), incident kinds, and what exists on one side only; message templates new, gone, or whose rate changed (a two-sample Poisson G-test); and pods with the same UID on both sides, where their events part.',
  ].join('\n\n');
  static override examples = [
    '<%= config.bin %> diff node-1/kubelet.log node-2/kubelet.log',
    '<%= config.bin %> diff node-1.db node-2.db',
    '<%= config.bin %> diff node:node-1 node:node-2 --db cluster.db',
    "<%= config.bin %> diff source:1 source:2 --db node-1.db --json | jq '.messages.new.items[0]'",
  ];
  static override args = {
    a: Args.string({ description: 'log file, directory or glob; a kubelog database; or node:NAME, source:ID[,ID] in --db', required: true, ignoreStdin: true }),
    b: Args.string({ description: 'the same for the other side', required: true, ignoreStdin: true }),
  };
  static override flags = {
    db: dbFlag,
    top: Flags.integer({ description: 'rows of each ranked list', min: 1, default: 10 }),
    year: readingFlags.year,
    tz: readingFlags.tz,
  };

  async run(): Promise<DiffResult> {
    reportRusageAtExit();
    const { args, flags } = await this.parse(Diff);
    if (flags.tz) checkZone(flags.tz);
    const specs: SideSpec[] = [args.a, args.b].map((arg) => {
      try {
        const sel = parseSelector(arg);
        if (!sel && isSqliteFile(arg)) return { arg, sel: 'all', db: arg };
        return { arg, sel };
      } catch (e) {
        return fail((e as Error).message, { exit: 2, code: 'INVALID_SELECTOR', input: arg });
      }
    });
    const tmp = specs.some((s) => !s.sel) ? mkdtempSync(path.join(tmpdir(), 'kubelog-diff-')) : undefined;
    const opened = new Map<string, Db>();
    try {
      const located = await this.locateSides(specs, tmp, flags);
      const dbOf = (p: string) => {
        let db = opened.get(p);
        if (!db) opened.set(p, (db = openForReading(p)));
        return db;
      };
      const sides = located.map((l, i) => {
        try {
          return loadDiffSide(dbOf(l.db), l.sel, specs[i]!.arg);
        } catch (e) {
          if (e instanceof SelectorError) return fail(`${specs[i]!.arg}: ${e.message} in ${l.db}`, { exit: 2, code: 'INVALID_SELECTOR', input: specs[i]!.arg });
          throw e;
        }
      });
      const result = diffSides(sides[0]!, sides[1]!, { top: flags.top });
      if (!this.jsonEnabled()) process.stdout.write(renderDiff(result, { width: process.stdout.columns ?? 120, color: wantsColor() }));
      return result;
    } finally {
      for (const db of opened.values()) db.close();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    }
  }

  /**
   * Each side's database and selector; logs are ingested, both at once (each parses in its own
   * worker thread). When one side fails the other is stopped and waited for: the temporary
   * directory is removed only once nothing writes into it.
   */
  private async locateSides(specs: SideSpec[], tmp: string | undefined, flags: { db: string; year?: number | undefined; tz?: string | undefined }): Promise<Array<{ db: string; sel: SideSelector }>> {
    const stop = new AbortController();
    let first: { error: unknown } | undefined;
    const settled = await Promise.allSettled(
      specs.map(async (s, i) => {
        if (s.sel) return { db: s.db ?? flags.db, sel: s.sel };
        try {
          return await this.ingestSide(s.arg, path.join(tmp!, `side-${'ab'[i]}.db`), flags, stop.signal);
        } catch (e) {
          // the side that failed, not the one stopped because of it
          if (!first) {
            first = { error: e };
            stop.abort();
          }
          throw e;
        }
      }),
    );
    if (first) throw first.error;
    return settled.map((r) => (r as PromiseFulfilledResult<{ db: string; sel: SideSelector }>).value);
  }

  /** A log into a fresh database of its own, with its pod lifecycles. */
  private async ingestSide(arg: string, db: string, flags: { year?: number | undefined; tz?: string | undefined }, signal: AbortSignal): Promise<{ db: string; sel: SideSelector }> {
    const r = await runIngest({ db, args: [arg], year: flags.year, tz: flags.tz, silent: true, signal });
    if (r.interrupted) fail(`${arg}: interrupted`, { exit: 130, code: 'INTERRUPTED', input: arg });
    const failed = r.sources.find((s) => s.status === 'failed');
    // the failed input's own error names the file
    if (failed) fail(failed.error ?? `${arg}: could not be read`, { exit: 1, code: 'INPUT_FAILED', input: failed.path });
    return { db, sel: 'all' };
  }
}
