// Rows into one table by multi-row INSERTs: SQLite's per-statement cost is paid once per `rows`
// rows. Measured on 1.09M pod events (the 300 MB benchmark log's): 1.57 s one row a statement,
// 0.73 s sixteen, 0.68 s sixty-four.
import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';

type Value = number | string | bigint | Buffer | null;

export class RowBatch {
  private readonly one: Statement;
  private readonly many: Statement;
  private readonly pending: Value[];
  private filled = 0;

  /** `head`: the statement up to VALUES (`INSERT OR IGNORE INTO t (a, b) VALUES`); `columns`: values a row. */
  constructor(
    db: Db,
    head: string,
    private readonly columns: number,
    private readonly rows = 32,
  ) {
    const row = `(${new Array(columns).fill('?').join(', ')})`;
    this.one = db.prepare(`${head} ${row}`);
    this.many = db.prepare(`${head} ${new Array(rows).fill(row).join(', ')}`);
    this.pending = new Array<Value>(columns * rows);
  }

  add(...values: Value[]): void {
    if (values.length !== this.columns) throw new Error(`a row of ${this.columns} values, not ${values.length}`);
    for (const v of values) this.pending[this.filled++] = v;
    if (this.filled === this.pending.length) {
      this.many.run(this.pending);
      this.filled = 0;
    }
  }

  /** Writes the rows not yet written; call before the transaction ends. */
  flush(): void {
    for (let at = 0; at < this.filled; at += this.columns) this.one.run(this.pending.slice(at, at + this.columns));
    this.filled = 0;
  }
}
