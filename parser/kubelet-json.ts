// `--logging-format=json` (component-base/logs/json, zap): {"ts":<epoch ms>,"caller":…,"msg":…,"v":N,…}.
// There is no level field: errors are the lines without `v` (1.21+), warnings look like info.
import type { KvMap, KvValue, Severity } from './types.js';
import { capJsonDepth, deeperThan, MAX_VALUE_DEPTH } from './depth.js';

export interface KubeletJsonRecord {
  severity: Severity;
  timeUs?: number;
  caller?: string;
  msg: string;
  structured: boolean;
  kv: KvMap;
  v?: number;
  /** Some value was nested deeper than MAX_VALUE_DEPTH: from there on it is kept as text. */
  tooDeep?: boolean;
}

const RESERVED = new Set(['ts', 'caller', 'msg', 'v']);

export function readKubeletJson(text: string): { ok: true; record: KubeletJsonRecord } | { ok: false; error: string } {
  let obj: KvValue;
  let tooDeep = false;
  try {
    obj = JSON.parse(text) as KvValue;
    // the line is level 1, its values start at level 2
    if (deeperThan(obj, MAX_VALUE_DEPTH + 1)) {
      obj = JSON.parse(capJsonDepth(text, MAX_VALUE_DEPTH + 1)) as KvValue;
      tooDeep = true;
    }
  } catch (e) {
    return { ok: false, error: `kubelet JSON line does not parse: ${(e as Error).message}` };
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return { ok: false, error: 'kubelet JSON line is not an object' };
  const o = obj as Record<string, KvValue>;
  const rawMsg = typeof o.msg === 'string' ? o.msg : '';
  // printf-style klog calls reach zap with their trailing newline; structured calls never have one
  const structured = !rawMsg.endsWith('\n');
  const kv: KvMap = {};
  for (const k in o) if (!RESERVED.has(k)) kv[k] = o[k]!;
  const record: KubeletJsonRecord = {
    severity: typeof o.v === 'number' ? 'I' : 'E',
    msg: structured ? rawMsg : rawMsg.replace(/\n+$/, ''),
    structured,
    kv,
  };
  if (typeof o.ts === 'number' && Number.isFinite(o.ts)) record.timeUs = Math.round(o.ts * 1000);
  if (typeof o.caller === 'string') record.caller = o.caller;
  if (typeof o.v === 'number') record.v = o.v;
  if (tooDeep) record.tooDeep = true;
  return { ok: true, record };
}
