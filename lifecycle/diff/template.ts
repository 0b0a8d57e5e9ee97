// A message's template: what stays the same from one record of a call site to the next. A
// printf format the parser recognised is its own template (schemas/printf-messages.json); any
// other message is masked by the rules of schemas/message-masks.json. Structured messages are
// constant strings that no rule changes, so one path serves both without knowing which it is
// (the store does not keep that flag outside the compressed blocks).
import masks from '../../schemas/message-masks.json' with { type: 'json' };
import printfCatalogue from '../../schemas/printf-messages.json' with { type: 'json' };

export interface MaskRule {
  id: string;
  pattern: string;
  flags?: string;
  replace: string;
  /** [text, template after all rules] */
  samples: [string, string][];
}

export const MASK_RULES: readonly MaskRule[] = (masks as unknown as { rules: MaskRule[] }).rules;

const compiled = MASK_RULES.map((r) => ({ re: new RegExp(r.pattern, `g${r.flags ?? ''}`), replace: r.replace }));
const formats = new Map((printfCatalogue as { messages: Array<{ id: string; format: string }> }).messages.map((m) => [m.id, m.format]));

/** `msg` with everything that varies between records masked. */
export function maskMessage(msg: string): string {
  let s = msg;
  for (const r of compiled) s = s.replace(r.re, r.replace);
  return s;
}

/** Masking the same text again is common (a message per record of a pod's timeline): cached. */
const cache = new Map<string, string>();

export function templateOf(msg: string, printf: string | null): string {
  if (printf !== null) {
    const f = formats.get(printf);
    if (f !== undefined) return f;
  }
  let t = cache.get(msg);
  if (t === undefined) {
    t = maskMessage(msg);
    if (cache.size >= 50_000) cache.clear();
    cache.set(msg, t);
  }
  return t;
}
