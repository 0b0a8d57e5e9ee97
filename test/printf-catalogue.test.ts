// Knowledge as data: every printf format in schemas/printf-messages.json has a sample line that
// must match that very entry and yield exactly its keys.
import { describe, expect, it } from 'vitest';
import { matchPrintf, printfCatalogue } from '../parser/index.js';
import { compileFormat } from '../parser/printf.js';

describe('schemas/printf-messages.json', () => {
  it('ids are unique', () => {
    const ids = printfCatalogue.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(printfCatalogue.map((e) => [e.id, e] as const))('%s: its sample matches it with its keys', (_id, entry) => {
    expect(compileFormat(entry.format).verbs).toHaveLength(entry.keys.length);
    const m = matchPrintf(entry.sample);
    expect(m?.id).toBe(entry.id);
    expect(Object.keys(m!.kv)).toEqual(entry.keys);
  });

  it('reads verbs by kind: %q unquoted, %d a number, %#v a Go value', () => {
    expect(matchPrintf('Killing container "docker://abc" with a 30 second grace period')?.kv).toEqual({ containerID: 'docker://abc', gracePeriod: 30 });
    expect(matchPrintf('SyncLoop (PLEG): "a_b(c)", event: &pleg.PodLifecycleEvent{ID:"c", Type:"ContainerStarted", Data:"d"}')?.kv.event).toEqual({ ID: 'c', Type: 'ContainerStarted', Data: 'd' });
    expect(matchPrintf('Status for pod "a_b(c)" is up-to-date: (2)')?.kv).toEqual({ pod: 'a_b(c)', statusVersion: 2 });
  });

  it('text that only starts like a format does not match', () => {
    expect(matchPrintf('SyncLoop (ADD, "api")')).toBeUndefined();
    expect(matchPrintf('Killing container "x" with a lot of grace period')).toBeUndefined();
  });
});
