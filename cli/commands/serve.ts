import { Args, Flags } from '@oclif/core';
import { checkZone } from '../lib/zone.js';
import { KubelogCommand } from '../lib/command.js';
import { dbFlag, openForReading, prepareForIngest } from '../lib/db.js';
import { fail } from '../lib/errors.js';
import { safeJson, safeText } from '../lib/terminal-text.js';
import { interruptedExitCode, readingFlags } from '../lib/ingest-run.js';
import { ServeIngest } from '../lib/serve-ingest.js';
import { expandArgs } from '../../ingest/inputs.js';
import type { Db } from '../../store/db.js';
import { searchIndexState } from '../../store/search-index.js';
import { liveWriter } from '../../store/write-lock.js';
import { openBrowser } from '../lib/open-browser.js';
import { createServer } from '../../web/server/app.js';
import { DEFAULT_HOST, DEFAULT_PORT, listen, ListenError } from '../../web/server/listen.js';
import { isLoopback, LOOPBACK_HOSTS } from '../../web/server/security.js';
import { builtAppDir, hasBuiltApp } from '../../web/server/static.js';

export default class Serve extends KubelogCommand {
  static override summary = 'Browse an ingested log: pods on a timeline, one pod in detail, the raw lines, search.';
  static override description = `Serves the web app and its JSON API on http://127.0.0.1:7780/ over the database, which it
opens read-only. Given FILEs, it listens at once and ingests them as "kubelog ingest" does
while it serves: the app shows the ingest's progress, the pods once their lifecycles are stored,
and search once the full-text index, built last, is complete. Only this
machine can connect, and only by the names localhost, 127.0.0.1 and [::1]; --host makes the
log's contents visible to the network. Ctrl-C stops it. With --json, the address it serves at is
printed as {"db": …, "url": …} once it listens (and errors as JSON).`;
  static override examples = [
    '<%= config.bin %> serve /var/log/kubelet/kubelet.log*',
    '<%= config.bin %> serve --db node-1.db --open',
    '<%= config.bin %> serve --db node-1.db --port 0',
    '<%= config.bin %> serve --host 0.0.0.0 --allow-host jumpbox.example.com',
  ];
  static override strict = false;
  static override args = {
    file: Args.string({ description: 'log files, directories or globs to ingest first ("-" for stdin)', ignoreStdin: true }),
  };
  static override flags = {
    db: dbFlag,
    port: Flags.integer({ description: 'port to listen on (0: any free port)', default: DEFAULT_PORT, min: 0, max: 65535 }),
    host: Flags.string({ description: 'address to listen on; anything but loopback exposes the log to the network', default: DEFAULT_HOST }),
    open: Flags.boolean({ description: 'open the app in the system browser' }),
    'allow-host': Flags.string({ description: 'another host name the server answers to (it refuses others: DNS rebinding)', multiple: true }),
    ...readingFlags,
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Serve);
    if (flags.tz) checkZone(flags.tz);
    const files = argv as string[];
    // Given logs, it listens at once and ingests while it serves: the pods answer once their
    // lifecycles are stored, search once the index built after them is complete (/api/status).
    // What would stop the ingest at once (a missing input, a database kubelog cannot write) stops
    // the command before it listens.
    let ingest: ServeIngest | undefined;
    if (files.length) {
      await expandArgs(files);
      prepareForIngest(flags.db);
      ingest = new ServeIngest();
    }
    const db = ingest ? undefined : openForReading(flags.db);
    if (db) warnIfSearchIncomplete(db, flags.db);
    const allowedHosts = [...LOOPBACK_HOSTS, ...(flags['allow-host'] ?? [])];
    if (!isLoopback(flags.host)) {
      process.stderr.write(`warning: listening on ${flags.host}: anyone who can reach this machine can read the log's contents (pod names, IPs, errors).\n`);
      allowedHosts.push(flags.host);
      if (flags.host === '0.0.0.0' || flags.host === '::') process.stderr.write('warning: give the name you will browse to with --allow-host NAME; requests by any other name are refused\n');
    }
    const staticDir = builtAppDir();
    if (!hasBuiltApp(staticDir)) process.stderr.write(`warning: the web app is not built (no ${staticDir}/index.html): run npm run build; the API answers meanwhile\n`);
    const app = createServer({ ...(db ? { db } : {}), dbPath: flags.db, staticDir, allowedHosts, ...(ingest ? { ingestStatus: () => ingest.status } : {}) });
    let url: string;
    try {
      url = await listen(app, flags.host, flags.port);
    } catch (e) {
      // the query workers would keep the process alive after the error
      await app.close();
      db?.close();
      if (e instanceof ListenError) fail(e.message, { exit: 2, code: 'LISTEN_FAILED', input: `${flags.host}:${flags.port}` });
      throw e;
    }
    process.stdout.write(this.jsonEnabled() ? `${safeJson({ db: flags.db, url })}\n` : `kubelog: serving ${safeText(flags.db)} at ${url}\n`);
    if (flags.open) openBrowser(url, (msg) => process.stderr.write(`warning: ${msg}\n`));
    const stopped = new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    try {
      if (ingest) {
        // Ctrl-C during the ingest stops it (runIngest stores what is complete), then the server
        const ran = await ingest.run({ db: flags.db, args: files, node: flags.node, year: flags.year, tz: flags.tz, json: this.jsonEnabled() });
        if (ran.interrupted) fail('interrupted: the server stopped with the ingest; run the same command again to continue', { exit: interruptedExitCode(), code: 'INTERRUPTED', input: null });
      }
      await stopped;
    } finally {
      await app.close();
      db?.close();
    }
  }
}

/** A database whose ingest stopped before it finished the search index: said once, with what to run. */
function warnIfSearchIncomplete(db: Db, dbPath: string): void {
  const index = searchIndexState(db);
  if (index.ready || liveWriter(db)) return;
  process.stderr.write(
    `warning: the search index of ${safeText(dbPath)} is incomplete (${index.blocksLeft} of ${index.blocks} blocks left): an ingest stopped before it finished it; search answers once kubelog rebuild --db ${safeText(dbPath)} (or the same kubelog ingest again) completes it\n`,
  );
}
