// The schemas of schemas/ as ajv (strict) reads them: every one compiles with every `$ref`
// resolved by `$id`, and a wrong answer fails. The real answers are checked where they are made
// (cli-*.test.ts, web-*.test.ts); here the checking itself is checked.
import { describe, expect, it } from 'vitest';
import { schemaFiles, schemaValidator, validateSchema } from './helpers/json-schema.js';

/** A PodView as `kubelog pod --json` gives it (the shape of sample 00's first pod, cut short). */
function podView(): Record<string, unknown> {
  const point = (line: number, timeUs: number) => ({ line, timeUs });
  return {
    key: '4f3761db-ee39-4974-a2cc-9bf0a48e5c13',
    uid: '4f3761db-ee39-4974-a2cc-9bf0a48e5c13',
    namespace: 'default',
    name: 'nginx-deployment-9456bbbf9-cvrr7',
    static: false,
    exact: true,
    state: 'terminating',
    first: point(1, 1717743251000000),
    last: point(147, 1717743300000000),
    phases: [
      {
        phase: 'sync',
        start: point(1, 1717743251000000),
        end: point(90, 1717743290000000),
        startBy: { evidence: 'exact', by: 'pod-worker-sync-enter' },
        endBy: { evidence: 'exact' },
        evidence: 'exact',
        open: false,
        calls: 3,
        durationUs: 39000000,
      },
    ],
    finished: null,
    incidents: [{ ...point(146, 1717743299000000), kind: 'kill-failed', severity: 'error', lines: 1, evidence: [point(146, 1717743299000000)], detail: 'killing the pod failed' }],
    startup: [],
    teardown: [],
    events: [{ ...point(1, 1717743251000000), lane: 'worker', kind: 'sync', msg: 'SyncPod enter', kv: {} }],
  };
}

describe('JSON schemas (ajv, strict)', () => {
  it('every schema of schemas/ compiles, with its references to other files resolved', () => {
    const files = schemaFiles();
    expect(files).toEqual([
      'api/diff-pods.schema.json',
      'api/error.schema.json',
      'api/lines.schema.json',
      'api/overview.schema.json',
      'api/pod-events.schema.json',
      'api/pod.schema.json',
      'api/pods.schema.json',
      'api/search.schema.json',
      'api/sources.schema.json',
      'api/status.schema.json',
      'diff.schema.json',
      'error.schema.json',
      'ingest.schema.json',
      'node.schema.json',
      'pod.schema.json',
      'pods.schema.json',
    ]);
    for (const f of files) expect(typeof schemaValidator(f), f).toBe('function');
  });

  it('a valid PodView passes, as `pod --json` and inside the API answer', () => {
    expect(validateSchema('pod.schema.json', podView())).toEqual([]);
    const density = { fromUs: 1, toUs: 2, bucketUs: 1, buckets: 400, total: 1, untimed: 0, lanes: [{ lane: 'worker', events: 1, buckets: [[0, 1, 0, 0]] }] };
    expect(validateSchema('api/pod.schema.json', { pod: podView(), kubelet: [], kubeletTotal: 0, events: { total: 1, complete: true, next: null }, density })).toEqual([]);
    // a density bucket is [index, events, warnings, errors]: nothing more
    const badDensity = { ...density, lanes: [{ lane: 'worker', events: 1, buckets: [[0, 1, 0, 0, 9]] }] };
    expect(validateSchema('api/pod.schema.json', { pod: podView(), kubelet: [], kubeletTotal: 0, events: { total: 1, complete: true, next: null }, density: badDensity })).toContainEqual(expect.stringMatching(/^\/density\/lanes\/0\/buckets\/0: must NOT have more than 4 items/));
  });

  it('a broken PodView fails, and says where', () => {
    const wrongState = { ...podView(), state: 'sleeping' };
    expect(validateSchema('pod.schema.json', wrongState)).toEqual(['/state: must be equal to one of the allowed values {"allowedValues":["stuck-terminating","terminating","running","terminated","finished","rejected","mirror","orphan","unknown"]}']);
    const noOpen = podView();
    delete (noOpen.phases as Record<string, unknown>[])[0]!.open;
    expect(validateSchema('pod.schema.json', noOpen)).toEqual(['/phases/0: must have required property \'open\' {"missingProperty":"open"}']);
    const extra = { ...podView(), colour: 'red' };
    expect(validateSchema('pod.schema.json', extra)).toEqual(['/: must NOT have additional properties {"additionalProperty":"colour"}']);
    // through the API's $ref into ../pod.schema.json
    const badIncident = podView();
    (badIncident.incidents as Record<string, unknown>[])[0]!.kind = 'gremlins';
    expect(validateSchema('api/pod.schema.json', { pod: badIncident })).toContain('/pod/incidents/0/kind: must be equal to one of the allowed values {"allowedValues":["kubelet-crash","stuck-terminating","kill-failed","admission-rejected","evicted","oom-killed","crash-loop","image-pull-failed","start-failed","mount-failed","unmount-failed","sandbox-failed","grace-exceeded","node-not-ready","probe-restart","probe-failed","kubelet-restart","torn-down-twice","sync-error","status-failed","recreated-quickly"]}');
  });

  it('a reference into another file checks what that file says (pods rows: state and severity from pod.schema.json)', () => {
    const row = { key: 'k', uid: null, namespace: null, name: null, workload: null, node: null, static: false, mirrorOf: null, exact: false, state: 'running', firstUs: null, lastUs: null, finishedUs: null, events: 1, incidents: 0, incidentKinds: [], worstSeverity: null, syncUs: null, terminatingUs: null, terminatedUs: null, startupUs: null, startupOpen: false };
    // the API's rows say which phases the log ends inside and which it begins inside
    const apiRow = { ...row, openPhases: [], beforeLogPhases: [] };
    expect(validateSchema('api/pods.schema.json', { total: 1, offset: 0, pods: [apiRow] })).toEqual([]);
    expect(validateSchema('api/pods.schema.json', { total: 1, offset: 0, pods: [{ ...apiRow, worstSeverity: 'fatal' }] }).length).toBeGreaterThan(0);
    expect(validateSchema('api/pods.schema.json', { total: 1, offset: 0, pods: [{ ...apiRow, state: 'sleeping' }] })).toEqual([expect.stringMatching(/^\/pods\/0\/state: must be equal to one of the allowed values/)]);
  });

  it("one pod row: `pods --json` rows are the API's rows plus id and phases, and neither takes the other's extras", () => {
    const row = { key: 'k', uid: null, namespace: null, name: null, workload: null, node: null, static: false, mirrorOf: null, exact: false, state: 'running', firstUs: null, lastUs: null, finishedUs: null, events: 1, incidents: 0, incidentKinds: [], worstSeverity: null, syncUs: 5, terminatingUs: null, terminatedUs: null, startupUs: null, startupOpen: false };
    const phase = { phase: 'sync', evidence: 'exact', open: true, calls: 1, startUs: 1, endUs: 6, startLine: 1, endLine: 2, startBy: { evidence: 'exact' }, endBy: { evidence: 'log-end' } };
    const cliRow = { id: 1, ...row, phases: [phase] };
    expect(validateSchema('pods.schema.json', { db: 'k.db', total: 1, pods: [cliRow] })).toEqual([]);
    expect(validateSchema('api/pods.schema.json', { total: 1, offset: 0, pods: [cliRow] })).toEqual([
      '/pods/0: must have required property \'openPhases\' {"missingProperty":"openPhases"}',
      '/pods/0: must have required property \'beforeLogPhases\' {"missingProperty":"beforeLogPhases"}',
      '/pods/0: must NOT have unevaluated properties {"unevaluatedProperty":"id"}',
      '/pods/0: must NOT have unevaluated properties {"unevaluatedProperty":"phases"}',
    ]);
    expect(validateSchema('pods.schema.json', { db: 'k.db', total: 1, pods: [row] })).toEqual(['/pods/0: must have required property \'id\' {"missingProperty":"id"}', '/pods/0: must have required property \'phases\' {"missingProperty":"phases"}']);
    // a constraint written once holds for both: durations are never negative
    expect(validateSchema('pods.schema.json', { db: 'k.db', total: 1, pods: [{ ...cliRow, syncUs: -1 }] })).toEqual(['/pods/0/syncUs: must be >= 0 {"comparison":">=","limit":0}']);
    expect(validateSchema('api/pods.schema.json', { total: 1, offset: 0, pods: [{ ...row, openPhases: ['sync'], beforeLogPhases: [], syncUs: -1 }] })).toEqual(['/pods/0/syncUs: must be >= 0 {"comparison":">=","limit":0}']);
    // the phase names are pod.schema.json's, in every schema that lists phases
    expect(validateSchema('pods.schema.json', { db: 'k.db', total: 1, pods: [{ ...cliRow, phases: [{ ...phase, phase: 'starting' }] }] })).toEqual([expect.stringMatching(/^\/pods\/0\/phases\/0\/phase: must be equal to one of the allowed values/)]);
  });

  it('an unknown file is an error, not a pass', () => {
    expect(() => validateSchema('nope.schema.json', {})).toThrow(/no such schema/);
  });
});
