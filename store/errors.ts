// Errors the store reports to people: what went wrong, with which file, and what to do.

/** A failure of the database itself (cannot open, full disk, read-only, from the future, …). */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly code: string,
    /** The database file it is about. */
    readonly input?: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

function sqliteCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Turn an error from better-sqlite3 into a StoreError naming the database file. */
export function describeSqliteError(e: unknown, dbPath: string, doing: string): StoreError | undefined {
  const code = sqliteCode(e);
  if (!code) return undefined;
  const msg = (e as Error).message;
  if (code.startsWith('SQLITE_FULL')) {
    return new StoreError(
      `${dbPath}: disk full while ${doing} (${code}). Everything committed before is kept; free some space (or use --db on another disk) and run the same command again to continue.`,
      code,
      dbPath,
    );
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new StoreError(`${dbPath}: the database is read-only (${code}: ${msg}); use --db with a writable path.`, code, dbPath);
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return new StoreError(`${dbPath}: cannot open or create the database (${code}: ${msg}); check that its directory exists and is writable, or use --db.`, code, dbPath);
  }
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) {
    return new StoreError(`${dbPath}: not a kubelog database, or damaged (${code}: ${msg}).`, code, dbPath);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError(`${dbPath}: the database is busy (${code}) while ${doing}: another kubelog is writing to it; wait for it to finish.`, code, dbPath);
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new StoreError(`${dbPath}: I/O error while ${doing} (${code}: ${msg}).`, code, dbPath);
  }
  return new StoreError(`${dbPath}: database error while ${doing} (${code}: ${msg}).`, code, dbPath);
}

/** Rethrow `e` as a StoreError when it comes from SQLite. */
export function asStoreError(e: unknown, dbPath: string, doing: string): unknown {
  if (e instanceof StoreError) return e;
  return describeSqliteError(e, dbPath, doing) ?? e;
}
