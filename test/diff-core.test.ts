// The pure parts of `kubelog diff`: the statistics it ranks by, message templates (their rules
// are data with samples), and where two event sequences part.
import { describe, expect, it } from 'vitest';
import { chiSquare1Tail, durationStats, mannWhitneyChi2, poissonG, proportionG, ranked, TopRanked } from '../lifecycle/diff/stats.js';
import { MASK_RULES, maskMessage, templateOf } from '../lifecycle/diff/template.js';
import { divergence } from '../lifecycle/diff/sequences.js';
import { templateCounts } from '../lifecycle/diff/messages.js';
import { diffSides, podsInMemory, type DiffSide, type SideEvent, type SidePod } from '../lifecycle/diff/index.js';

describe('statistics', () => {
  it('nearest-rank percentiles', () => {
    expect(durationStats([5, 1, 4, 2, 3, 10, 9, 8, 7, 6])).toEqual({ count: 10, p50Us: 5, p90Us: 9, maxUs: 10 });
    expect(durationStats([7])).toEqual({ count: 1, p50Us: 7, p90Us: 7, maxUs: 7 });
    expect(durationStats([])).toBeNull();
  });

  it('chi-square tail with one degree of freedom', () => {
    expect(chiSquare1Tail(3.841458820694124)).toBeCloseTo(0.05, 6);
    expect(chiSquare1Tail(10.827566170662733)).toBeCloseTo(0.001, 7);
    expect(chiSquare1Tail(0)).toBe(1);
  });

  it('the two-sample Poisson G-test weighs counts by exposure', () => {
    // 0 against 10 over equal exposures: G = 2·10·ln 2
    expect(poissonG(0, 10, 1, 1).g).toBeCloseTo(20 * Math.log(2), 12);
    // the same rate over twice the time is no difference
    expect(poissonG(10, 20, 1, 2)).toEqual({ g: 0, p: 1 });
    expect(poissonG(0, 0, 1, 1)).toEqual({ g: 0, p: 1 });
    // a bigger sample of the same ratio is more certain
    expect(poissonG(100, 200, 1, 1).g).toBeGreaterThan(poissonG(10, 20, 1, 1).g);
  });

  it('the two-proportion G-test counts pods, not occurrences', () => {
    expect(proportionG(0, 10, 5, 10).g).toBeCloseTo(2 * (5 * Math.log(5 / 2.5) + 10 * Math.log(10 / 7.5) + 5 * Math.log(5 / 7.5)), 12);
    expect(proportionG(3, 30, 1, 10)).toEqual({ g: 0, p: 1 });
  });
});

describe('message templates (schemas/message-masks.json)', () => {
  it.each(MASK_RULES.flatMap((r) => r.samples.map(([text, template]) => [r.id, text, template] as const)))('%s: %s', (_, text, template) => {
    expect(maskMessage(text)).toBe(template);
  });

  it('leaves structured messages as they are, and uses a printf format as its own template', () => {
    for (const msg of ['SyncLoop (PLEG): event for pod', 'Observed pod startup duration', 'Kill container failed', 'Error syncing pod, skipping']) expect(templateOf(msg, null)).toBe(msg);
    expect(templateOf('SyncLoop (ADD, "api"): "web-0_data(57f42639-a88d-4174-8fc1-58f56d572891)"', 'syncloop-add')).toBe('SyncLoop (ADD, %q): %q');
  });

  it('folds messages that differ only in what varies into one template', () => {
    const t = templateCounts([
      { msg: 'Killing unwanted pod "web-0"', printf: null, severity: 'I', count: 2, firstUs: 1, lastUs: 2 },
      { msg: 'Killing unwanted pod "web-1"', printf: null, severity: 'W', count: 3, firstUs: 3, lastUs: 4 },
    ]);
    expect([...t]).toEqual([['Killing unwanted pod "<str>"', { count: 5, severity: 'W' }]]);
  });
});

const ev = (kind: string, msg: string, timeUs: number | null): SideEvent => ({ kind, msg, printf: null, timeUs });
const pod: SidePod = { key: 'u1', uid: 'u1', node: null, namespace: 'default', name: 'web-0', workload: 'default/web-0', startupUs: null, startupFrom: null, terminatingUs: [], terminatedUs: [], steps: {}, incidents: {} };

describe('where two event sequences part', () => {
  it('aligns overlapping logs at the first event both have, by time', () => {
    const a = [ev('api.add', 'SyncLoop ADD', 1), ev('worker.sync.enter', 'SyncPod enter', 2), ev('api.delete', 'SyncLoop DELETE', 3), ev('runtime.container.kill', 'Killing container with a grace period', 4)];
    // B's log starts later and its teardown fails
    const b = [ev('worker.sync.enter', 'SyncPod enter', 2), ev('api.delete', 'SyncLoop DELETE', 3), ev('runtime.container.kill-failed', 'Kill container failed', 5)];
    expect(divergence('u1', pod, a, b)).toMatchObject({
      alignedBy: 'time',
      alignedAt: { a: 1, b: 0 },
      common: 2,
      partsAt: { a: 3, b: 2 },
      a: { kind: 'runtime.container.kill', timeUs: 4 },
      b: { kind: 'runtime.container.kill-failed', template: 'Kill container failed' },
      differing: 3,
    });
  });

  it('compares logs that share no event by kind and template, from the start', () => {
    const a = [ev('api.add', 'SyncLoop ADD', 1), ev('api.delete', 'SyncLoop DELETE', 2)];
    const b = [ev('api.add', 'SyncLoop ADD', 101), ev('api.delete', 'SyncLoop DELETE', 102), ev('api.remove', 'SyncLoop REMOVE', 103)];
    expect(divergence('u1', pod, a, b)).toMatchObject({ alignedBy: 'order', alignedAt: { a: 0, b: 0 }, common: 2, partsAt: { a: 2, b: 2 }, a: null, b: { kind: 'api.remove' } });
  });

  it('says nothing of equal sequences', () => {
    const a = [ev('api.add', 'SyncLoop ADD', null), ev('api.delete', 'SyncLoop DELETE', null)];
    expect(divergence('u1', pod, a, [...a])).toBeNull();
  });
});

describe('thresholds', () => {
  const side = (pods: SidePod[], label: string): DiffSide => ({
    overview: { label, sources: [], nodes: [], firstUs: 0, lastUs: 3.6e9, linesRead: 0, records: 0, foreignLines: 0, rejectedLines: 0, severity: { I: 0, W: 0, E: 0, F: 0, none: 0 }, pods: pods.length, kubeletVersions: [], verbosity: null, restarts: 0 },
    ...podsInMemory(pods),
    messages: [],
  });
  const web = (key: string, terminatingUs: number[]): SidePod => ({ ...pod, key, uid: key, terminatingUs });

  it('a p90 must change by the fold and by the absolute minimum', () => {
    // 0.2 s → 0.9 s: 4.5 times longer, but under 2 s apart
    expect(diffSides(side([web('a', [200_000])], 'A'), side([web('b', [900_000])], 'B')).lifecycle.workloads.total).toBe(0);
    // 10 s → 13 s: 3 s apart, but only 1.3 times longer
    expect(diffSides(side([web('a', [10e6])], 'A'), side([web('b', [13e6])], 'B')).lifecycle.workloads.total).toBe(0);
    const r = diffSides(side([web('a', [1e6])], 'A'), side([web('b', [30e6])], 'B'));
    // one pod against one: the most a Mann-Whitney z² can be
    expect(r.lifecycle.workloads.items[0]!.changes).toEqual([{ what: 'terminating', a: 1e6, b: 30e6, log2Fold: Math.log2(30), significance: 1 }]);
  });

  it('ranks by significance, not by the largest ratio of tiny counts', () => {
    // one pod 0.2 s → 10 s (50 times) against thirty pods that all went from 2 s to 8 s (4 times)
    const one = (key: string, us: number): SidePod => ({ ...web(key, [us]), workload: 'batch/once' });
    const many = (side: string, us: number): SidePod[] => Array.from({ length: 30 }, (_, i) => ({ ...web(`${side}${i}`, [us + i * 1000]), workload: 'shop/frontend' }));
    const r = diffSides(side([one('a', 200_000), ...many('a', 2e6)], 'A'), side([one('b', 10e6), ...many('b', 8e6)], 'B'));
    expect(r.lifecycle.workloads.items.map((w) => [w.workload, w.changes[0]!.what, Number(w.score.toFixed(2))])).toEqual([
      // perfectly separated samples of 30 and 30: z² = 3·30·30 / 61
      ['shop/frontend', 'terminating', 44.26],
      ['batch/once', 'terminating', 1],
    ]);
    expect(mannWhitneyChi2([1, 2, 3], [1, 2, 3])).toBe(0);
  });

  it('never takes pods without a UID on two nodes for one pod because they share a name', () => {
    const proxy = (node: string): SidePod => ({ ...pod, key: '~kube-system/kube-proxy', uid: null, node, namespace: 'kube-system', name: 'kube-proxy', workload: 'kube-system/kube-proxy' });
    const r = diffSides(side([proxy('node-1')], 'node:node-1'), side([proxy('node-2')], 'node:node-2'));
    expect([r.lifecycle.podsOnlyA.items.map((p) => p.key), r.lifecycle.podsOnlyB.items.map((p) => p.key)]).toEqual([['~kube-system/kube-proxy'], ['~kube-system/kube-proxy']]);
    // two logs of one node: the same pod
    const same = diffSides(side([proxy('node-1')], 'a.log'), side([proxy('node-1')], 'b.log'));
    expect([same.lifecycle.podsOnlyA.total, same.lifecycle.podsOnlyB.total]).toEqual([0, 0]);
  });

  it('gives message rates per hour only over spans long enough to mean one: else per record, and why', () => {
    const spanning = (us: number): DiffSide => ({ ...side([], 'x'), overview: { ...side([], 'x').overview, lastUs: us, records: 40 }, messages: [{ msg: 'Probe failed', printf: null, severity: 'I', count: 4, firstUs: 0, lastUs: us }] });
    const short = diffSides(spanning(30e6), spanning(3.6e9)).messages;
    expect([short.exposure, short.exposureWhy, short.minRateSpanUs, short.exposureA, short.exposureB]).toEqual(['records', 'short-span', 600e6, 40, 40]);
    const long = diffSides(spanning(3.6e9), spanning(7.2e9)).messages;
    expect([long.exposure, long.exposureWhy, long.exposureA, long.exposureB]).toEqual(['hours', null, 1, 2]);
    const timeless = diffSides({ ...spanning(0), overview: { ...spanning(0).overview, firstUs: null, lastUs: null } }, spanning(3.6e9)).messages;
    expect([timeless.exposure, timeless.exposureWhy]).toEqual(['records', 'no-times']);
  });
});

describe('TopRanked: the top of a ranked list without holding the list', () => {
  it('gives what sorting the whole list (stably) and cutting it gives, ties in the order offered', () => {
    let x = 7;
    const items = Array.from({ length: 5000 }, (_, i) => {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      return { score: x % 40, i };
    });
    const order = (p: { score: number }, q: { score: number }) => q.score - p.score;
    for (const top of [1, 3, 10, 100, 6000]) {
      const t = new TopRanked(top, order);
      for (const it of items) t.offer(it);
      const want = ranked([...items].sort(order), top);
      expect(t.result()).toEqual(want);
      expect(want.items.length).toBe(Math.min(top, 5000));
    }
    expect(new TopRanked(10, order).result()).toEqual({ items: [], total: 0 });
  });
});

describe('sides read a workload at a time', () => {
  it('refuses a side whose pods are not in workload order', () => {
    const p = (key: string, workload: string): SidePod => ({ ...pod, key, uid: key, workload });
    const unordered: DiffSide = {
      overview: { label: 'x', sources: [], nodes: [], firstUs: 0, lastUs: 1, linesRead: 0, records: 0, foreignLines: 0, rejectedLines: 0, severity: { I: 0, W: 0, E: 0, F: 0, none: 0 }, pods: 2, kubeletVersions: [], verbosity: null, restarts: 0 },
      pods: () => [p('u2', 'ns/b'), p('u1', 'ns/a')],
      hasPod: () => false,
      messages: [],
    };
    const ordered: DiffSide = { ...unordered, ...podsInMemory([p('u2', 'ns/b'), p('u1', 'ns/a')]) };
    expect(() => diffSides(unordered, ordered)).toThrow(/not in workload order/);
    expect(diffSides(ordered, ordered).lifecycle.compared).toBe(2);
  });
});
