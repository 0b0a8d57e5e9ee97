// `kubelog diff` compares how long pods' teardowns take; a phase the log shows only part of is no
// sample of that. On the real samples: a teardown the log began inside (sample 20's pod, whose
// first line is already in its terminated phase; sample 01's static pod) is left out like one the
// log ends inside; a teardown the log shows whole (sample 09's default/nginx) is counted.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/db.js';
import { loadDiffSide } from '../pipeline/diff-side.js';
import { ingestInto } from './helpers/diff.js';
import { samplePath } from './helpers/samples.js';

let db: Db;

beforeAll(async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'kubelog-diff-bounds-')), 'k.db');
  await ingestInto(file, [samplePath('01'), samplePath('09'), samplePath('20')]);
  db = openDatabase(file, { readonly: true });
});

afterAll(() => db?.close());

describe('kubelog diff: durations only of phases the log shows whole', () => {
  it('teardowns the log begins inside are left out, whole ones counted', () => {
    const side = loadDiffSide(db, 'all', 'A');
    const byName = new Map([...side.pods()].map((p) => [p.name, [p.terminatingUs, p.terminatedUs]]));
    // 18:20:18.242970 (Killing container) → 18:20:18.668321 (SyncLoop PLEG ContainerDied)
    expect(byName.get('nginx')).toEqual([[425_351], []]);
    // `kubelog pods` shows these as ≥ 524.5ms and ≥ 157.6ms: the log began inside them
    expect(byName.get('cautious-leopard-nginx-ingress-default-backend-7b6f5b895d-7wnb6')).toEqual([[], []]);
    expect(byName.get('bootstrap-kube-apiserver-localhost.localdomain')).toEqual([[], []]);
  });
});
