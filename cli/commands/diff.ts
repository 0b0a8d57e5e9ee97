import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Args, Command, Flags } from '@oclif/core';
import type { Db } from '../../store/db.js';
import { schemaVersion } from '../../store/migrations.js';
import { loadDiffSide, parseSelector, SelectorError, type SideSelector } from '../../store/diff-side.js';
import { diffSides, type DiffResult } from '../../lifecycle/diff/index.js';
import { dbFlag, isSqliteFile, openForCommand, openForReading } from '../lib/db.js';
import { readingFlags, reportRusageAtExit, runIngest } from '../lib/ingest-run.js';
import { checkZone } from '../lib/zone.js';
import { renderDiff } from '../lib/render-diff.js';
import { wantsColor } from '../lib/color.js';

/** The schema version (schemas/migrations/0002_lifecycle.sql) whose pods, phases and anomalies a side is read from. */
const LIFECYCLE_SCHEMA = 2;

interface SideSpec {
  arg: string;
  /** `node:` / `source:` in --db, or the whole of a database file given as the side; undefined for a log to read. */
  sel: SideSelector | undefined;
  /** A kubelog database file given as the side (recognised by SQLite's header), instead of --db. */
  db?: string;
}

export default class Diff extends Command {
  static override summary = 'Compare two kubelet logs (or databases, or nodes or sources of a database): what differs, ranked.';
  // one line a paragraph: oclif wraps them to the terminal
  static override description = [
    'A and B are each a log (a file, a directory of rotated files, or a quoted glob, read as kubelog ingest reads them), a kubelog database (a file kubelog ingest wrote: all of it is the side), or node:NAME or source:ID[,ID…] of the database --db.',
    'Logs are ingested into a temporary database of their own, one per side, removed afterwards: the pod lifecycle model then sees each side alone (two runs of a node can reuse pod UIDs and PIDs, which one database would take for one history), and --db is left as it was. To keep them, ingest each into a database of its own first (kubelog ingest --db a.db a.log) and diff the databases: kubelog diff a.db b.db.',
    'Sections, each ranked by how much it matters: the overview (time span, lines, records by severity, pods, kubelet version and verbosity, restarts); pod lifecycles per workload (startup, terminating and terminated p50/p90/max, anomalies), anomaly kinds, and what exists on one side only; message templates new, gone, or whose rate changed (a two-sample Poisson G-test); and pods with the same UID on both sides, where their events part.',
  ].join('\n\n');
  static override examples = [
    '<%= config.bin %> diff node-1/kubelet.log node-2/kubelet.log',
    '<%= config.bin %> diff node-1.db node-2.db',
    '<%= config.bin %> diff node:node-1 node:node-2 --db cluster.db',
    "<%= config.bin %> diff source:1 source:2 --db node-1.db --json | jq '.messages.new.items[0]'",
  ];
  static override enableJsonFlag = true;
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
    if (flags.tz) checkZone(flags.tz, this);
    const specs: SideSpec[] = [args.a, args.b].map((arg) => {
      try {
        const sel = parseSelector(arg);
        if (!sel && isSqliteFile(arg)) return { arg, sel: 'all', db: arg };
        return { arg, sel };
      } catch (e) {
        return this.error((e as Error).message, { exit: 2 });
      }
    });
    const tmp = specs.some((s) => !s.sel) ? mkdtempSync(path.join(tmpdir(), 'kubelog-diff-')) : undefined;
    const opened = new Map<string, Db>();
    try {
      // both logs at once: each parses in its own worker thread
      const located = await Promise.all(specs.map((s, i) => (s.sel ? { db: s.db ?? flags.db, sel: s.sel } : this.ingestSide(s.arg, path.join(tmp!, `side-${'ab'[i]}.db`), flags))));
      const dbOf = (p: string) => {
        let db = opened.get(p);
        if (!db) opened.set(p, (db = p === flags.db ? openForCommand(this, p) : openForReading(p)));
        const version = schemaVersion(db);
        if (version === 0) this.error(`${p}: an SQLite database, but not one kubelog wrote`, { exit: 2 });
        if (version < LIFECYCLE_SCHEMA) this.error(`${p}: written by an older kubelog, without pod lifecycles: kubelog rebuild --db ${p} brings it up to date`, { exit: 2 });
        return db;
      };
      const sides = located.map((l, i) => {
        try {
          return loadDiffSide(dbOf(l.db), l.sel, specs[i]!.arg);
        } catch (e) {
          if (e instanceof SelectorError) return this.error(`${specs[i]!.arg}: ${e.message} in ${l.db}`, { exit: 2 });
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

  /** A log into a fresh database of its own, with its pod lifecycles. */
  private async ingestSide(arg: string, db: string, flags: { year?: number | undefined; tz?: string | undefined }): Promise<{ db: string; sel: SideSelector }> {
    const r = await runIngest(this, { db, args: [arg], year: flags.year, tz: flags.tz, json: this.jsonEnabled(), quiet: true });
    if (r.interrupted) this.exit(130);
    const failed = r.sources.find((s) => s.status === 'failed');
    if (failed) {
      // runIngest has said which file and why, unless the output is JSON
      if (this.jsonEnabled()) this.error(`${arg}: ${failed.error ?? 'could not be read'}`, { exit: 1 });
      this.exit(1);
    }
    return { db, sel: 'all' };
  }
}
