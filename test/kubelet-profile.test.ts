// Per kubelet process: its version (stated, or placed by file:line callers, bounded by wording and
// klog value eras) and effective -v, on the real samples (what a kubelet engineer concludes from
// each is written next to it) and on generated logs of every version and verbosity; and the question
// the phase model asks: can a log of this kubelet contain catalogue entry X?
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseText, type LogRecord } from '../parser/index.js';
import { generateLog, type KubeletVersion } from '../samples/generator/index.js';
import callSiteData from '../schemas/kubelet-callsites.json' with { type: 'json' };
import { catalogue } from '../lifecycle/catalogue.js';
import { CallSiteIndex } from '../lifecycle/kubelet-callsites.js';
import type { CallSite, CallSiteData } from '../lifecycle/kubelet-knowledge-types.js';
import { kubeletLevels } from '../lifecycle/kubelet-levels.js';
import { KubeletProfileBuilder, KubeletProfiles, LIVE_PROFILES, type KubeletProfile } from '../lifecycle/kubelet-profile.js';
import { kubeletSignals } from '../lifecycle/kubelet-signals.js';
import { ProcessTracker } from '../lifecycle/process.js';
import { parseSample, samplePath } from './helpers/samples.js';

function profileOf(records: Iterable<LogRecord>, builder = new KubeletProfileBuilder()): KubeletProfile {
  for (const r of records) builder.add(r);
  return builder.profile();
}

const sample = (prefix: string) => profileOf(parseSample(prefix).records);

/** A builder whose call tables lack one observed release (to place a sample without its own lines). */
function withoutRelease(name: string): KubeletProfileBuilder {
  const d = callSiteData as CallSiteData;
  const drop = d.releases.findIndex((r) => r.name === name);
  expect(drop).toBeGreaterThanOrEqual(0);
  const sites = d.sites.map((s): CallSite => [s[0], s[1], s[2], s[3], s[4], s[5].filter((_, i) => i !== drop)]);
  const without: CallSiteData = { ...d, releases: d.releases.filter((_, i) => i !== drop), sites };
  return new KubeletProfileBuilder({ sites: new CallSiteIndex(without), levels: kubeletLevels, signals: kubeletSignals, catalogue });
}

interface Expect {
  label: string;
  basis: string;
  releases?: string[];
  v: [kind: string, level: number];
  /** line of the first version evidence, line of the verbosity evidence */
  lines?: [number, number | undefined];
}

// What a kubelet engineer concludes from each sample, before any code:
const SAMPLES: Record<string, Expect> = {
  // 1.23 trace with headers stripped (no file:line): pods=[default/x] unquoted is klog before 1.26's
  // quoting and 1.28's JSON, so ≤1.27; it has syncTerminatingPod enter/exit (V4): -v ≥ 4
  '00': { label: '≤1.27', basis: 'wording', v: ['at-least', 4], lines: [1, 2] },
  // OpenShift 4.18 (Kubernetes 1.31): the volume callers sit on 1.31's lines (reconciler_common.go:159/
  // 218/245/288, operation_generator.go:637/803); kubelet.go is patched (PLEG at 2453, not 2439);
  // SyncLoop (PLEG) and "No ready sandbox" are V2 and nothing above: -v ≥ 2 (OpenShift runs -v=2)
  '01': { label: '1.31', basis: 'callers', releases: ['1.31.0', '1.31.1'], v: ['at-least', 2], lines: [1, 1] },
  // printf SyncLoop lines (≤1.20); kubelet.go:1907 is neither 1.19's 1827 nor 1.20's 1915, and 1.19
  // and 1.20 agree only on some volume lines: a 1.18-1.20 pre-release or patch build (the e2e ran a
  // 1.18/1.19-dev master), no release of the tables; SyncLoop ADD is V2
  '02': { label: '≤1.20', basis: 'wording', v: ['at-least', 2], lines: [1, 1] },
  // JSON: KObj as {"name","namespace"} (≥1.23); only errors, no "v" at all: -v unknown
  '03': { label: '≥1.23', basis: 'wording', v: ['unknown', 0] },
  // JSON, every info line "v":0: -v unknown; callers contradict 1.23's lines
  '04': { label: '≥1.24', basis: 'wording', v: ['unknown', 0] },
  // kubelet.go:1827 is 1.19's SyncLoop ADD, reconciler.go:224/269 1.19's volume lines: 1.19; V2 lines
  '05': { label: '1.19', basis: 'callers', releases: ['1.19'], v: ['at-least', 2], lines: [1, 1] },
  // AKS: kubelet.go:2407/2439, kuberuntime_container.go:808 are kind v1.31.0's lines: 1.31; -v ≥ 2 (AKS runs -v=2)
  '06': { label: '1.31', basis: 'callers', releases: ['1.31.0', '1.31.1'], v: ['at-least', 2], lines: [1, 1] },
  // kind v1.31.1 (stated in the issue): its lines are 1.31's; every line is V0
  '07': { label: '1.31', basis: 'callers', releases: ['1.31.0', '1.31.1'], v: ['unknown', 0], lines: [1, undefined] },
  // kind v1.32.0 (stated in the issue): kubelet.go:2474 etc. The lines are V3 at most ("Generating pod
  // status", "Cancelling current pod sync", "Delaying pod deletion" …), and a whole pod lifecycle
  // shows no SyncPod enter/exit (V4): -v ≥ 3, most likely exactly 3
  '08': { label: '1.32', basis: 'callers', releases: ['1.32.0'], v: ['at-least', 3], lines: [1, 2] },
  // v1.5.2 printed in "Started kubelet v1.5.2"
  '11': { label: '1.5', basis: 'stated', v: ['at-least', 2] },
  // kubelet.go:2389 (SyncLoop ADD) and :2115 (SyncTerminatedPod enter) are 1.28's lines; V5 lines
  // ("Looking for sources, have seen", "updateStatusInternal", "GenericPLEG: Relisting"): -v ≥ 5
  '12': { label: '1.28', basis: 'callers', releases: ['1.28.0', '1.28.7'], v: ['at-least', 5], lines: [1, 4] },
  // kubelet.go:2199 and pods="[…]" (klog v2.80.1's quoted KObjSlice) are 1.26; V2 ADD/PLEG
  '13': { label: '1.26', basis: 'callers', releases: ['1.26'], v: ['at-least', 2], lines: [1, 1] },
  // Windows 1.17: only the file header and a flags dump (V1)
  '14': { label: 'unknown', basis: 'none', v: ['at-least', 1] },
  // Windows 1.17: printf lines whose callers miss 1.19's and 1.20's; GenericPLEG lines are V4
  '15': { label: '≤1.18', basis: 'wording', v: ['at-least', 4] },
  '16': { label: '≤1.18', basis: 'wording', v: ['at-least', 2] },
};

describe('kubelet profile of the real samples', () => {
  for (const [prefix, want] of Object.entries(SAMPLES)) {
    it(`sample ${prefix}: ${want.label} (${want.basis}), -v ${want.v[0]} ${want.v[1]}`, () => {
      const p = sample(prefix);
      expect({ label: p.version.label, basis: p.version.basis, v: [p.verbosity.kind, p.verbosity.level] }).toEqual({ label: want.label, basis: want.basis, v: want.v });
      if (want.releases) expect(p.version.releases).toEqual(want.releases);
      if (want.lines) {
        expect(p.version.evidence[0]?.line).toBe(want.lines[0]);
        expect(p.verbosity.evidence[0]?.line).toBe(want.lines[1]);
      }
    });
  }

  it('08: the first line placed, the V3 line and the votes, exactly', () => {
    const p = sample('08');
    expect(p.version.evidence[0]).toMatchObject({ line: 1, why: 'kubelet.go:2474 is where 1.32 logs this message' });
    expect(p.version.evidence[0]!.text).toContain('kubelet.go:2474] "SyncLoop ADD"');
    expect(p.verbosity.evidence[0]).toMatchObject({ line: 2, why: 'this call is logged at V3 (call tables)' });
    expect(p.verbosity.evidence[0]!.text).toContain('kubelet_pods.go:1833] "Generating pod status"');
    expect(p.version.callers.votes[32]).toEqual({ agree: 31, differ: 0 });
    // pod_workers.go:970 and a dozen other lines are the same in 1.31.0 and 1.32.0; kubelet.go's are not
    expect(p.version.callers.votes[31]).toEqual({ agree: 9, differ: 22 });
    expect(p.version.differs).toEqual([19, 20, 23, 25, 26, 28, 31]);
  });

  it('08 without its own call sites: ≥1.28 by its JSON values, not 1.28 by its lines, so ≥1.29', () => {
    const p = profileOf(parseSample('08').records, withoutRelease('1.32.0'));
    expect([p.version.label, p.version.basis]).toEqual(['≥1.29', 'wording']);
    expect(p.version.bounds).toEqual({ min: 28 });
    expect(p.version.callers.votes[28]).toEqual({ agree: 2, differ: 27 });
  });

  it('07 without its own call sites is still 1.31, by another log of kind v1.31.0', () => {
    const p = profileOf(parseSample('07').records, withoutRelease('1.31.1'));
    expect([p.version.label, p.version.basis, p.version.releases]).toEqual(['1.31', 'callers', ['1.31.0']]);
  });

  it('profiles each kubelet process of a log on its own (the epochs of ProcessTracker)', () => {
    const records = parseSample('08').records;
    const tracker = new ProcessTracker();
    const profiles = new KubeletProfiles();
    records.forEach((r, i) => profiles.add(tracker.add(r, i), r));
    expect(profiles.epochs()).toEqual([0]);
    expect(profiles.get(0)!.version.label).toBe('1.32');
    expect(profiles.get(1)).toBeUndefined();
  });
});

describe('many processes', () => {
  // a V2 line (`SyncLoop ADD`, klog.V(2)) and a flags dump (itself logged at V1) of -v=1, as one process could log them
  const v2 = parseText('I0607 06:00:00.000000    4170 kubelet.go:2410] "SyncLoop ADD" source="api" pods=["ns/p-0"]\n', { year: 2024 }).records[0]!;
  const flag = parseText('I0607 06:00:00.000000    4170 flags.go:64] FLAG: --v="1"\n', { year: 2024 }).records[0]!;

  it('a process that ended keeps its summary, shared with the processes of the same one', () => {
    const profiles = new KubeletProfiles();
    for (let e = 0; e < 3; e++) {
      profiles.add(e, flag);
      profiles.seal(e);
    }
    expect(profiles.get(0)).toBeUndefined();
    expect(profiles.summary(0)!.profile).toEqual({ version: 'unknown', versionBasis: 'none', verbosity: 'exact', level: 1 });
    expect(profiles.summary(1)).toBe(profiles.summary(0));
    expect(profiles.epochs()).toEqual([0, 1, 2]);
  });

  it(`builds at most ${LIVE_PROFILES} at once: past them the least recently active is sealed, and profiled no further`, () => {
    const profiles = new KubeletProfiles();
    for (let e = 0; e <= LIVE_PROFILES; e++) profiles.add(e, flag);
    // process 0, the least recently active, was sealed when process LIVE_PROFILES began
    expect(profiles.get(0)).toBeUndefined();
    profiles.add(0, v2);
    expect(profiles.summary(0)!.profile).toEqual({ version: 'unknown', versionBasis: 'none', verbosity: 'exact', level: 1 });
    // a V2 line above the flag makes a live process's -v at least 2; it becomes the most recently active
    profiles.add(1, v2);
    expect(profiles.get(1)!.verbosity).toMatchObject({ kind: 'at-least', level: 2 });
    profiles.add(LIVE_PROFILES + 1, flag);
    expect([profiles.get(1) !== undefined, profiles.get(2) !== undefined]).toEqual([true, false]);
    expect(profiles.epochs().length).toBe(LIVE_PROFILES + 2);
  });
});

describe('flags dump', () => {
  // sample 21's kubelet start-up lines, with the flags dump's --v line in its own format
  const base = readFileSync(samplePath('21'), 'utf8');
  const flagLine = (v: number) => `Mar 25 12:13:43 e2e-big-minion-group-wfls kubelet[1304]: I0325 12:13:43.840390    1304 flags.go:33] FLAG: --v="${v}"\n`;
  const v4Line = 'Mar 25 12:13:46 e2e-big-minion-group-wfls kubelet[1304]: I0325 12:13:46.500000    1304 kubelet.go:1928] SyncLoop (RECONCILE, "api"): "kube-proxy-e2e_kube-system(2b5a926517)"\n';

  it('states -v exactly when nothing logged contradicts it', () => {
    const p = profileOf(parseText(base + flagLine(2), { year: 2020 }).records);
    expect(p.verbosity).toMatchObject({ kind: 'exact', level: 2, flag: 2, highestSeen: 1 });
    expect(p.verbosity.evidence[0]).toMatchObject({ line: 13, why: 'the flags dump sets -v=2' });
  });

  it('gives way to a message above it (the level then came from the config file or vmodule)', () => {
    const p = profileOf(parseText(base + flagLine(2) + v4Line, { year: 2020 }).records);
    expect(p.verbosity).toMatchObject({ kind: 'at-least', level: 4, flag: 2, highestSeen: 4 });
    expect(p.verbosity.evidence.map((e) => e.line)).toEqual([14, 13]);
  });

  it('is not exact when --vmodule raises some files above it', () => {
    const vmodule = 'Mar 25 12:13:43 e2e-big-minion-group-wfls kubelet[1304]: I0325 12:13:43.840391    1304 flags.go:33] FLAG: --vmodule="pod_workers=4"\n';
    const p = profileOf(parseText(base + flagLine(2) + vmodule, { year: 2020 }).records);
    expect(p.verbosity).toMatchObject({ kind: 'at-least', level: 1, flag: 2, vmodule: 'pod_workers=4' });
    expect(p.verbosity.evidence.map((e) => [e.line, e.why])).toEqual([
      [8, 'the flags dump is logged at V1'],
      [13, 'the flags dump sets -v=2, but --vmodule="pod_workers=4" logs some files above or below it'],
    ]);
  });

  it('a flags dump alone shows -v ≥ 1 (PrintFlags logs at V1)', () => {
    expect(profileOf(parseText(base, { year: 2020 }).records).verbosity).toMatchObject({ kind: 'at-least', level: 1 });
  });
});

describe('signals', () => {
  const one = (line: string): LogRecord => {
    const rs = parseText(line + '\n', { year: 2024 }).records;
    expect(rs).toHaveLength(1);
    return rs[0]!;
  };

  it('every stated-version sample prints its version', () => {
    expect(kubeletSignals.data.stated.map((s) => kubeletSignals.statedVersion(one(s.sample)))).toEqual(['v1.28.3', 'v1.19.16', 'v1.5.2']);
  });

  it('every era sample shows exactly its own era, and the flags samples their flags', () => {
    for (const e of kubeletSignals.data.eras) {
      const got = kubeletSignals.era(one(e.sample));
      expect(got?.id, e.id).toBe(e.id);
      expect([got?.min, got?.max], e.id).toEqual([e.min, e.max]);
    }
    const f = kubeletSignals.data.flags.samples;
    expect(kubeletSignals.verbosityFlag(one(f.v!))).toBe(4);
    expect(kubeletSignals.vmoduleFlag(one(f.vmodule!))).toBe('');
    expect(kubeletSignals.isFlagLine(one(f.any!))).toBe(true);
  });
});

describe('generated logs: the version family and -v of every version and verbosity', () => {
  const MINOR: Record<KubeletVersion, number> = { '1.20': 20, '1.23': 23, '1.26': 26, '1.28': 28, json: 28 };
  for (const version of ['1.20', '1.23', '1.26', '1.28', 'json'] as KubeletVersion[]) {
    for (const verbosity of [2, 4] as const) {
      it(`--version ${version} --verbosity ${verbosity}`, async () => {
        const parts: string[] = [];
        await generateLog({ seed: 31, targetBytes: 400_000, kubeletVersion: version, verbosity, envelope: version === 'json' ? 'json-prefixed' : 'journal-short' }, (c) => {
          parts.push(c);
        });
        const records = parseText(parts.join(''), { year: 2024 }).records;
        const tracker = new ProcessTracker();
        const profiles = new KubeletProfiles();
        // the version line is left out: the callers alone must find the family
        const unstated = new KubeletProfiles();
        records.forEach((r, i) => {
          const epoch = tracker.add(r, i);
          profiles.add(epoch, r);
          if (!kubeletSignals.statedVersion(r)) unstated.add(epoch, r);
        });
        expect(profiles.epochs().length).toBeGreaterThan(0);
        for (const e of profiles.epochs()) {
          const p = profiles.get(e)!;
          // every process, also those of a JSON log without PIDs (the tracker sees its start-up lines), states its version
          expect([p.version.basis, p.version.min, p.version.max], `epoch ${e}`).toEqual(['stated', MINOR[version], MINOR[version]]);
          // the generator's kubelet prints its flags dump: -v is stated
          expect([p.verbosity.kind, p.verbosity.level], `epoch ${e}`).toEqual(['exact', verbosity]);
          const u = unstated.get(e)!;
          expect([u.version.basis, u.version.label], `epoch ${e} without the version line`).toEqual(['callers', `1.${MINOR[version]}`]);
        }
      });
    }
  }

  it('remembers call sites, not lines: a 3 MB log places a few hundred', async () => {
    const b = new KubeletProfileBuilder();
    let records = 0;
    await generateLog({ seed: 5, targetBytes: 3_000_000, kubeletVersion: '1.28', verbosity: 4 }, (c) => {
      for (const r of parseText(c, { year: 2024 }).records) {
        b.add(r);
        records++;
      }
    });
    const p = b.profile();
    expect(records).toBeGreaterThan(10_000);
    expect(p.callSites).toBeGreaterThan(50);
    expect(p.callSites).toBeLessThan(400);
  });
});

describe('can a log of this kubelet contain entry X?', () => {
  const at = (min: number | undefined, max: number | undefined, kind: 'exact' | 'at-least' | 'unknown', level: number) => ({
    version: { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) },
    verbosity: { kind, level },
  });

  it('answers yes, no or unknown from the version and -v, with why', () => {
    expect(kubeletLevels.canContain('sync-terminating-pod-enter', at(28, 28, 'exact', 2))).toEqual({ answer: 'no', v: { min: 4, max: 4 }, why: '1.28 logs it at V4, above -v=2' });
    expect(kubeletLevels.canContain('sync-terminating-pod-enter', at(28, 28, 'at-least', 2)).answer).toBe('unknown');
    expect(kubeletLevels.canContain('sync-terminating-pod-enter', at(32, 32, 'at-least', 5))).toEqual({ answer: 'yes', v: { min: 4, max: 4 }, why: '1.32 logs it at V4, within -v≥5' });
    expect(kubeletLevels.canContain('sync-terminating-pod-enter', at(undefined, 20, 'at-least', 4))).toEqual({ answer: 'no', why: '1.19–1.20 does not log it' });
    expect(kubeletLevels.canContain('killing-container', at(undefined, undefined, 'at-least', 2)).answer).toBe('yes');
    expect(kubeletLevels.canContain('event-occurred', at(19, 19, 'exact', 2)).answer).toBe('no');
    // 1.23-1.26 have no "Pod worker has stopped", 1.28+ log it at V3: mixed, so unknown
    expect(kubeletLevels.canContain('worker-stopped', at(23, 32, 'at-least', 3)).answer).toBe('unknown');
    expect(kubeletLevels.canContain('worker-stopped', at(28, 32, 'at-least', 3)).answer).toBe('yes');
  });

  it('reads a version between two checked ones only where both agree', () => {
    expect(kubeletLevels.levelAt('syncloop-add', 22)).toEqual({ known: true, logged: true, v: 2, sev: 'I', basis: 'interpolated' });
    expect(kubeletLevels.levelAt('sync-pod-enter', 22)).toEqual({ known: false, why: '1.22 was not checked and its neighbours 1.20 and 1.23 differ' });
    expect(kubeletLevels.levelAt('syncloop-add', 34)).toEqual({ known: false, why: '1.34 is outside the versions the data covers (1.19–1.33)' });
  });

  it('on the samples: 08 (1.32, -v≥3) may or may not have SyncPod enter; 12 (1.28, -v≥5) must; 05 (1.19) cannot', () => {
    expect(kubeletLevels.canContain('sync-pod-enter', sample('08').kubelet).answer).toBe('unknown');
    expect(kubeletLevels.canContain('status-delaying-deletion', sample('08').kubelet).answer).toBe('yes');
    expect(kubeletLevels.canContain('sync-terminated-pod-exit', sample('12').kubelet).answer).toBe('yes');
    expect(kubeletLevels.canContain('sync-terminating-pod-enter', sample('05').kubelet)).toEqual({ answer: 'no', why: '1.19 does not log it' });
    expect(kubeletLevels.canContain('killing-unwanted-pod', sample('05').kubelet)).toEqual({ answer: 'yes', v: { min: 2, max: 2 }, why: '1.19 logs it at V2, within -v≥2' });
  });
});
