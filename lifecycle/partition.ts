// Pods in partitions, for logs of more pods than a model holds at once: a first pass finds where
// each UID and container belongs and routes each record to its pods' partitions; a builder per
// partition then takes only that partition's records and builds only its pods, so memory follows
// the pods of one partition, not of the log.
//
// A partition is a node's *bare pod name* (`web-0` of `ns/web-0`): everything the joins and marks
// compare stays in one partition — a name's holders and its name-only records (joins.ts), a bare
// reference and its `ns/name` (NameIndex.qualify), a static pod and its mirror, a name's earlier
// pod (recreation marks). A UID belongs to the partition of the name it was last paired with, a UID
// never paired with a name to one by its own hash, a container ID to its UID's. Pure: which UID
// and container is where is the caller's to find out (a first pass over the records).
import type { RecordIdentity } from './identity.js';
import { hostRef } from './joins.js';

/** Whether a built pod is this partition's: a record of several partitions' pods is built in each. */
export interface PodPartition {
  /** `hostName`: the node-qualified `ns/name` of a pod whose UID the log never states. */
  ownsPod(key: string, hostName: string | undefined): boolean;
}

/** FNV-1a over UTF-16 code units: stable across runs and processes, cheap, well spread. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The partition of a node-qualified reference (`host\0ns/name` or `host\0name`): its bare name's. */
export function partOfHostRef(hostRefKey: string, partitions: number): number {
  const nul = hostRefKey.indexOf('\u0000');
  const slash = hostRefKey.lastIndexOf('/');
  const bare = slash > nul ? hostRefKey.slice(0, nul + 1) + hostRefKey.slice(slash + 1) : hostRefKey;
  return hash(bare) % partitions;
}

/** The partition of a reference as a record names it on its node. */
export const partOfRef = (host: string, ref: string, partitions: number): number => partOfHostRef(hostRef(host, ref), partitions);

/** The partition of a UID that no record pairs with a name. */
export const partOfUnnamedUid = (uid: string, partitions: number): number => hash(uid) % partitions;

/** Where the first pass found each UID and container (undefined: never seen, never paired). */
export interface PartitionLookup {
  partOfUid(uid: string): number | undefined;
  /** The partition of the UID a container ID was first paired with. */
  partOfContainer(id: string): number | undefined;
}

/**
 * The partitions a record goes to: its UIDs', else its names', else its containers'. A record that
 * names no pod, or only containers never paired with one, resolves to no pod wherever it goes: it
 * goes to partition 0, to be counted once.
 */
export function partsOf(id: RecordIdentity, host: string, partitions: number, lookup: PartitionLookup): number[] {
  const parts: number[] = [];
  const add = (p: number | undefined) => {
    if (p !== undefined && !parts.includes(p)) parts.push(p);
  };
  if (id.uids.length > 0) for (const u of id.uids) add(lookup.partOfUid(u) ?? partOfUnnamedUid(u, partitions));
  else if (id.refs.length > 0) for (const r of id.refs) add(partOfRef(host, r, partitions));
  else for (const c of id.containers) add(lookup.partOfContainer(c));
  return parts.length > 0 ? parts : [0];
}

export function podPartition(part: number, partitions: number, lookup: PartitionLookup): PodPartition {
  return {
    ownsPod(key, hostName) {
      if (key.startsWith('~')) return hostName !== undefined && partOfHostRef(hostName, partitions) === part;
      return (lookup.partOfUid(key) ?? partOfUnnamedUid(key, partitions)) === part;
    },
  };
}
