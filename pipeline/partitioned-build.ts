// The lifecycle model of a log of more pods than one model should hold, a partition of pods at a
// time (lifecycle/partition.ts). Three steps over the records, which the caller replays in order:
// 1. census: every record and systemd line feeds the kubelet runs (an epoch per record, kept in a
//    spill), and each record's UIDs, name pairs and container pairs go to the census;
// 2. route: each record is appended to its pods' partitions in the partition file;
// 3. build: per partition, a builder takes that partition's records from the file, with the runs
//    of step 1, and yields its pods.
// Memory holds one partition's model, the runs, and a few rows of each spill.
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ForeignLine, LogRecord } from '../parser/types.js';
import { identify, unkept } from '../lifecycle/identity.js';
import { entryFor } from '../lifecycle/catalogue.js';
import { hostKeyOf, KubeletRuns, LifecycleBuilder } from '../lifecycle/model.js';
import { partOfRef, partOfUnnamedUid, partsOf, podPartition } from '../lifecycle/partition.js';
import { ChunkedRows, type ChunkSpill, type Spills } from '../lifecycle/rows.js';
import { IdentityCensus } from '../store/identity-census.js';
import { PartitionFile } from './partition-file.js';
import { SpillFile } from './spill-file.js';

export class PartitionedBuild {
  readonly runs: KubeletRuns;
  private readonly census: IdentityCensus;
  private readonly file: PartitionFile;
  private readonly epochSpill?: SpillFile;
  /** Row i: the epoch of record i. */
  private readonly epochs: ChunkedRows;
  /** Node scopes by number, as the partition file keeps them. */
  private readonly scopes: string[] = [];
  private readonly scopeNumbers = new Map<string, number>();
  private routed = 0;

  /**
   * `near`: the database's path (null for a database in memory): the scratch files go beside it.
   * `spills`: where the kubelet runs' ended processes go.
   */
  constructor(
    near: string | null,
    readonly partitions: number,
    spills?: Spills,
  ) {
    this.runs = new KubeletRuns(spills);
    this.census = new IdentityCensus(near);
    this.file = new PartitionFile(near ?? path.join(tmpdir(), 'kubelog-memory'), partitions);
    if (near !== null) this.epochSpill = new SpillFile(near, 'epochs');
    this.epochs = new ChunkedRows(4, this.epochSpill as ChunkSpill | undefined);
  }

  /** Step 1, a record: `index` its number in the replay, `scope` its source's node scope. */
  count(record: LogRecord, index: number, scope: string): void {
    if (index !== this.epochs.length) throw new Error(`records out of order: ${index} after ${this.epochs.length}`);
    const { view, at } = this.epochs.next();
    view.setUint32(at, this.runs.add(record, index, scope), true);
    const id = identify(record, entryFor(record), unkept);
    const host = hostKeyOf(record, scope);
    for (const u of id.uids) this.census.uid(u, partOfUnnamedUid(u, this.partitions));
    for (const [ref, u] of id.namePairs) this.census.namedUid(u, partOfRef(host, ref, this.partitions));
    for (const [c, u] of id.containerPairs) this.census.container(c, u);
  }

  /** Step 1, a systemd line about the kubelet unit. */
  countForeign(f: ForeignLine, scope: string): void {
    this.runs.addForeign(f, scope);
  }

  /** Step 2, the same records in the same order. */
  route(record: LogRecord, index: number, scope: string): void {
    if (this.routed === 0) this.census.seal();
    if (index !== this.routed++) throw new Error(`records out of order: ${index} routed after ${this.routed - 2}`);
    const { view, at } = this.epochs.get(index);
    const epoch = view.getUint32(at, true);
    const id = identify(record, entryFor(record), unkept);
    const scopeNo = this.scopeNumber(scope);
    for (const part of partsOf(id, hostKeyOf(record, scope), this.partitions, this.census)) this.file.append(part, record, index, epoch, scopeNo);
  }

  private scopeNumber(scope: string): number {
    let n = this.scopeNumbers.get(scope);
    if (n === undefined) {
      n = this.scopes.push(scope) - 1;
      this.scopeNumbers.set(scope, n);
    }
    return n;
  }

  /** Step 3: partition `part`'s builder, fed; build its pods with pods(). `spills`: its rows'. */
  builder(part: number, spills?: Spills): LifecycleBuilder {
    const b = new LifecycleBuilder(undefined, spills, undefined, { runs: this.runs, owns: podPartition(part, this.partitions, this.census) });
    for (const r of this.file.read(part)) b.addAt(r.record, r.index, r.epoch, this.scopes[r.scope]);
    return b;
  }

  close(): void {
    this.file.close();
    this.epochSpill?.close();
    this.census.close();
  }
}
