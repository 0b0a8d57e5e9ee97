// Errors across a worker-thread boundary: structured cloning keeps a message but not a class, and
// the commands choose their exit code and wording by class (StoreError, InputReadError).
import { StoreError } from '../store/errors.js';
import { InputReadError } from './input-error.js';

export interface ThreadError {
  message: string;
  stack?: string | undefined;
  storeCode?: string;
  /** A StoreError's database, or an InputReadError's input. */
  input?: string;
}

export function toThreadError(e: unknown): ThreadError {
  const err = e instanceof Error ? e : new Error(String(e));
  const out: ThreadError = { message: err.message, stack: err.stack };
  if (err instanceof StoreError) {
    out.storeCode = err.code;
    if (err.input !== undefined) out.input = err.input;
  }
  if (err instanceof InputReadError) out.input = err.input;
  return out;
}

export function fromThreadError(t: ThreadError): Error {
  if (t.storeCode !== undefined) return new StoreError(t.message, t.storeCode, t.input);
  if (t.input !== undefined) return new InputReadError(t.message, t.input);
  const err = new Error(t.message);
  if (t.stack) err.stack = t.stack;
  return err;
}
