// What a failed command tells its user: a message (what, where, what to do), a stable code for
// scripts, the input it is about, and the exit code — the same with and without --json
// (schemas/error.schema.json is the --json shape).
import { Errors } from '@oclif/core';
import { InputReadError } from '../../ingest/input-error.js';
import { StoreError } from '../../store/errors.js';

export interface ErrorReport {
  message: string;
  /** Stable, for scripts: UNKNOWN_FLAG, NO_DATABASE, POD_NOT_FOUND, SQLITE_FULL, LOCKED, … */
  code: string;
  /** The process's exit code: 2 for what the user asked (usage, a missing file), 1 for what went wrong, 130 interrupted. */
  exit: number;
  /** The file, database, flag or argument it is about; null when it is about none. */
  input: string | null;
}

/** An error a command raises on purpose: oclif's CLIError (its exit code) with a code and an input. */
export class CommandError extends Errors.CLIError {
  readonly report: ErrorReport;
  constructor(message: string, o: { exit: number; code: string; input?: string | null | undefined }) {
    super(message, { exit: o.exit });
    this.report = { message, code: o.code, exit: o.exit, input: o.input ?? null };
  }
}

/** Throw a CommandError. */
export function fail(message: string, o: { exit: number; code: string; input?: string | null | undefined }): never {
  throw new CommandError(message, o);
}

/** A database the user gave that kubelog cannot read as asked: a usage error, not a failure. */
const GIVEN_WRONG_DATABASE = new Set(['NOT_KUBELOG', 'LIFECYCLES_MISSING']);

/** oclif's flag and argument errors, by class name (their classes are not all exported). */
const PARSE_CODES: Record<string, string> = {
  NonExistentFlagsError: 'UNKNOWN_FLAG',
  RequiredArgsError: 'MISSING_ARGUMENT',
  UnexpectedArgsError: 'UNEXPECTED_ARGUMENT',
  FlagInvalidOptionError: 'INVALID_FLAG_VALUE',
  ArgInvalidOptionError: 'INVALID_ARGUMENT',
  FailedFlagValidationError: 'INVALID_FLAG_VALUE',
  InvalidArgsSpecError: 'USAGE',
};

const isParseError = (e: unknown): e is Errors.CLIError & { flags?: string[]; args?: Array<{ name?: string } | string> } =>
  e instanceof Errors.CLIError && 'parse' in e;

function parseInput(e: Errors.CLIError & { flags?: string[]; args?: Array<{ name?: string } | string> }): string | null {
  if (Array.isArray(e.flags) && e.flags.length) return e.flags.join(' ');
  if (Array.isArray(e.args) && e.args.length) return e.args.map((a) => (typeof a === 'string' ? a : (a.name ?? ''))).join(' ');
  // "Expected --sort=x to be one of: …", "Parsing --limit \n\tExpected an integer but received: x"
  const flag = /(--[\w-]+(?:=\S*)?)/.exec(e.message);
  return flag ? flag[1]! : null;
}

/** Any error a command ends with, as its report. Errors nobody raised on purpose are INTERNAL. */
export function describeError(e: unknown): ErrorReport {
  if (e instanceof CommandError) return e.report;
  if (e instanceof StoreError) return { message: e.message, code: e.code, exit: GIVEN_WRONG_DATABASE.has(e.code) ? 2 : 1, input: e.input ?? null };
  if (e instanceof InputReadError) return { message: e.message, code: 'INPUT_UNREADABLE', exit: 2, input: e.input };
  if (e instanceof Errors.ExitError) return { message: `exited with code ${e.oclif.exit}`, code: 'EXIT', exit: e.oclif.exit ?? 1, input: null };
  if (e instanceof Errors.CLIError) {
    // oclif appends a hint that the JSON form does not need
    const message = e.message.replace(/\nSee more help with --help$/, '');
    if (isParseError(e)) return { message, code: PARSE_CODES[e.constructor.name] ?? 'USAGE', exit: e.oclif.exit ?? 2, input: parseInput(e) };
    // a flag value its parser refused (--limit x): "Parsing --limit \n\tExpected an integer …"
    const value = /^Parsing (--[\w-]+)\s*\n\s*/.exec(message);
    if (value) return { message: `${value[1]}: ${message.slice(value[0].length)}`, code: 'INVALID_FLAG_VALUE', exit: e.oclif.exit ?? 2, input: value[1]! };
    return { message, code: 'ERROR', exit: e.oclif.exit ?? 2, input: null };
  }
  const err = e instanceof Error ? e : new Error(String(e));
  return { message: err.message || String(e), code: 'INTERNAL', exit: 1, input: null };
}
