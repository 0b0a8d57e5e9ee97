// What every kubelog command shares: how it ends when it fails, and how its --json reaches stdout.
// oclif alone prints an error under --json as `{"error":{"oclif":{"exit":2}}}` (an Error's message
// is not enumerable) and exits 1 whatever the error said.
import { Command, Errors } from '@oclif/core';
import { describeError, type ErrorReport } from './errors.js';
import { safeJson, safeLines } from './terminal-text.js';

/** `{"error": {message, code, exit, input}}` on one line (a stream of JSON lines stays one). */
export function writeErrorJson(r: ErrorReport): void {
  process.stdout.write(safeJson({ error: r }) + '\n');
}

export abstract class KubelogCommand extends Command {
  static override enableJsonFlag = true;

  /**
   * One line `error: …` on stderr (unwrapped: a file name stays whole for grep), or the JSON error
   * on stdout under --json; the same exit code either way.
   */
  override async catch(err: Error & { exitCode?: number }): Promise<void> {
    const r = describeError(err);
    if (this.jsonEnabled()) {
      process.exitCode = r.exit;
      writeErrorJson(r);
      // reported: oclif's warning that the arguments were never parsed is for a command that forgot to
      this.parsed = true;
      return;
    }
    // a bug: oclif prints its stack
    if (r.code === 'INTERNAL') throw err;
    // flag and argument errors: oclif prints them with the command's usage
    if (err instanceof Errors.CLIError && 'parse' in err) {
      err.message = safeLines(err.message);
      throw err;
    }
    process.exitCode = r.exit;
    if (!(err instanceof Errors.ExitError)) process.stderr.write(`error: ${safeLines(r.message)}\n`);
  }

  /** --json results: C1 and bidi characters escaped too (JSON.stringify leaves them raw). */
  override logJson(json: unknown): void {
    process.stdout.write(safeJson(json, 2) + '\n');
  }
}
