// Every command's failures under --json: one JSON object (schemas/error.schema.json) with the
// message, a stable code and the input it is about, and the same exit code as without --json —
// for the commands' own errors and for oclif's flag and argument errors alike.
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { validateSchema } from './helpers/json-schema.js';
import { samplePath } from './helpers/samples.js';


interface ErrorJson {
  error: { message: string; code: string; exit: number; input: string | null };
}

let dir: string;
let db: string;
let future: string;
let notDb: string;
let sqlite: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubelog-json-errors-'));
  db = path.join(dir, 'k.db');
  future = path.join(dir, 'future.db');
  for (const d of [db, future]) expect((await runCli(['ingest', '-q', '--db', d, '--year', '2024', samplePath('00')])).code).toBe(0);
  const f = new Database(future);
  f.pragma('user_version = 99');
  f.close();
  notDb = path.join(dir, 'text.db');
  writeFileSync(notDb, 'not a database, only text long enough to fill a header. '.repeat(20));
  sqlite = path.join(dir, 'other.sqlite');
  const o = new Database(sqlite);
  o.exec('CREATE TABLE t (x)');
  o.close();
});

/**
 * Run a failing command with and without --json: the same exit code; under --json one JSON object
 * on stdout that the schema accepts (and nothing on stderr); without, the message on stderr.
 */
async function expectFailure(args: string[], want: { exit: number; code: string; input: string | null; message: RegExp }): Promise<ErrorJson['error']> {
  const [text, json] = await Promise.all([runCli(args), runCli([...args, '--json'])]);
  expect({ text: text.code, json: json.code }).toEqual({ text: want.exit, json: want.exit });
  expect(json.stderr).toBe('');
  const out = JSON.parse(json.stdout) as ErrorJson;
  expect(validateSchema('error.schema.json', out)).toEqual([]);
  expect(out.error).toMatchObject({ code: want.code, exit: want.exit, input: want.input });
  expect(out.error.message).toMatch(want.message);
  // the same words for people (oclif wraps its own flag errors to the terminal)
  expect(text.stderr.replace(/\s*\n[\s›]*/g, ' ')).toMatch(want.message);
  return out.error;
}

describe('kubelog --json errors: every command', () => {
  it('parse', async () => {
    const missing = path.join(dir, 'nope.log');
    await expectFailure(['parse', missing], { exit: 2, code: 'INPUT_UNREADABLE', input: missing, message: /nope\.log: no such file/ });
    await expectFailure(['parse', '--tz', 'Mars/Olympus', samplePath('00')], { exit: 2, code: 'INVALID_ZONE', input: '--tz Mars/Olympus', message: /--tz Mars\/Olympus: not a zone/ });
  });

  it('ingest', async () => {
    const missing = path.join(dir, 'nope.log');
    await expectFailure(['ingest', '--db', path.join(dir, 'i.db'), missing], { exit: 2, code: 'INPUT_UNREADABLE', input: missing, message: /nope\.log: no such file/ });
    await expectFailure(['ingest', '--db', '/proc/kubelog.db', samplePath('00')], { exit: 1, code: 'SQLITE_CANTOPEN', input: '/proc/kubelog.db', message: /\/proc\/kubelog\.db: cannot open or create the database/ });
    await expectFailure(['ingest', '--db', future, samplePath('13')], { exit: 1, code: 'SCHEMA_FROM_FUTURE', input: future, message: /written by a newer kubelog \(schema version 99;/ });
    await expectFailure(['ingest', '--db', sqlite, samplePath('13')], { exit: 2, code: 'NOT_KUBELOG', input: sqlite, message: /an SQLite database, but not one kubelog wrote/ });
  });

  it('pods', async () => {
    const none = path.join(dir, 'none.db');
    await expectFailure(['pods', '--db', none], { exit: 2, code: 'NO_DATABASE', input: none, message: /none\.db: no such database\. Ingest a log first/ });
    await expectFailure(['pods', '--db', db, '--since', 'yesterday-ish'], { exit: 2, code: 'INVALID_TIME', input: '--since yesterday-ish', message: /--since yesterday-ish: not a time/ });
    await expectFailure(['pods', '--db', notDb], { exit: 1, code: 'SQLITE_NOTADB', input: notDb, message: /text\.db: not a kubelog database, or damaged/ });
    await expectFailure(['pods', '--db', future], { exit: 1, code: 'SCHEMA_FROM_FUTURE', input: future, message: /written by a newer kubelog \(schema version 99;/ });
  });

  it('pod', async () => {
    await expectFailure(['pod', '--db', db, 'no-such-pod'], { exit: 1, code: 'POD_NOT_FOUND', input: 'no-such-pod', message: /no pod matches "no-such-pod"/ });
    await expectFailure(['pod', '--db', path.join(dir, 'none.db'), '4f3761db'], { exit: 2, code: 'NO_DATABASE', input: path.join(dir, 'none.db'), message: /no such database/ });
  });

  it('rebuild', async () => {
    await expectFailure(['rebuild', '--db', path.join(dir, 'none.db')], { exit: 2, code: 'NO_DATABASE', input: path.join(dir, 'none.db'), message: /none\.db: no such database/ });
    await expectFailure(['rebuild', '--db', notDb], { exit: 1, code: 'SQLITE_NOTADB', input: notDb, message: /not a kubelog database, or damaged/ });
  });

  it('diff', async () => {
    const missing = path.join(dir, 'missing.log');
    await expectFailure(['diff', missing, samplePath('00')], { exit: 2, code: 'INPUT_UNREADABLE', input: missing, message: /missing\.log: no such file/ });
    await expectFailure(['diff', 'source:one', 'source:1', '--db', db], { exit: 2, code: 'INVALID_SELECTOR', input: 'source:one', message: /source ids are numbers/ });
    await expectFailure(['diff', sqlite, db], { exit: 2, code: 'NOT_KUBELOG', input: sqlite, message: /other\.sqlite: an SQLite database, but not one kubelog wrote/ });
  });

  it('serve', async () => {
    await expectFailure(['serve', '--db', path.join(dir, 'none.db'), '--port', '0'], { exit: 2, code: 'NO_DATABASE', input: path.join(dir, 'none.db'), message: /no such database/ });
    const taken = createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const port = (taken.address() as AddressInfo).port;
    try {
      await expectFailure(['serve', '--db', db, '--port', String(port)], { exit: 2, code: 'LISTEN_FAILED', input: `127.0.0.1:${port}`, message: new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use`) });
    } finally {
      taken.close();
    }
  });
});

describe('kubelog --json errors: flags, arguments, commands', () => {
  it('an unknown flag, a value not among the options, a number that is not one, a missing argument', async () => {
    await expectFailure(['pods', '--db', db, '--bogus'], { exit: 2, code: 'UNKNOWN_FLAG', input: '--bogus', message: /Nonexistent flag: --bogus/ });
    await expectFailure(['pods', '--db', db, '--sort', 'size'], { exit: 2, code: 'INVALID_FLAG_VALUE', input: '--sort=size', message: /Expected --sort=size to be one of: start, name/ });
    await expectFailure(['pods', '--db', db, '--limit', 'ten'], { exit: 2, code: 'INVALID_FLAG_VALUE', input: '--limit', message: /--limit: Expected an integer but received: ten/ });
    await expectFailure(['ingest', '--db', db, '--jobs', '0', samplePath('00')], { exit: 2, code: 'INVALID_FLAG_VALUE', input: '--jobs', message: /--jobs: Expected an integer greater than or equal to 1 but received: 0/ });
    await expectFailure(['pod', '--db', db], { exit: 2, code: 'MISSING_ARGUMENT', input: 'pod', message: /Missing 1 required arg/ });
    await expectFailure(['diff', 'a.log'], { exit: 2, code: 'MISSING_ARGUMENT', input: 'b', message: /Missing 1 required arg/ });
    await expectFailure(['pods', '--db', db, 'extra'], { exit: 2, code: 'UNEXPECTED_ARGUMENT', input: 'extra', message: /Unexpected argument: extra/ });
  });

  it('an unknown command', async () => {
    await expectFailure(['podz', '--db', db], { exit: 2, code: 'UNKNOWN_COMMAND', input: 'podz', message: /command podz not found/ });
  });
});
