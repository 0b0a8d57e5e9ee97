// Visitor: CST of a structured body → message and typed key/values, whatever the klog era.
// Composite values are read as JSON when they are JSON (era C, 1.28+) and as Go `%+v` otherwise
// (eras A/B): `&{ID:x Type:y Data:z}` and `{"ID":"x","Type":"y","Data":"z"}` give the same object.
import type { CstNode, IToken } from 'chevrotain';
import type { KvMap, KvValue } from '../types.js';
import { unquoteGo, unquoteTerminated } from './go-string.js';
import { typedScalar } from './scalar.js';
import { PairBare, PairString } from './tokens.js';
import { capJsonDepth, deeperThan, MAX_VALUE_DEPTH } from '../depth.js';

export interface BodyIssue {
  code: 'unterminated-string' | 'unclosed-block' | 'unclosed-composite' | 'unexpected-text' | 'duplicate-key' | 'too-deep' | 'unreadable';
  detail: string;
}

export interface StructuredBody {
  msg: string;
  kv: KvMap;
  issues: BodyIssue[];
  /** Why the body expects more lines (an open block, an unbalanced bracket, a dangling `key=`). */
  open?: 'block' | 'composite' | 'dangling-key';
}

type Item = IToken | CstNode;

const isToken = (x: Item): x is IToken => (x as IToken).image !== undefined;

function tokenName(x: Item): string {
  return isToken(x) ? x.tokenType.name : x.name;
}

export function visitStructured(cst: CstNode, text: string): StructuredBody {
  const issues: BodyIssue[] = [];
  const messageToken = (cst.children.message as IToken[])[0]!;
  const message = unquoteGo(messageToken.image);
  if (!message.terminated) issues.push({ code: 'unterminated-string', detail: 'message' });
  const kv: KvMap = {};
  let open: StructuredBody['open'];
  let stray: string | undefined; // consecutive stray tokens make one issue
  const list = (cst.children.item as Item[] | undefined) ?? [];
  for (let i = 0; i < list.length; i++) {
    const item = list[i]!;
    if (isToken(item)) {
      const type = item.tokenType;
      if (type === PairString || type === PairBare) {
        if (stray !== undefined) {
          issues.push({ code: 'unexpected-text', detail: clip(stray) });
          stray = undefined;
        }
        readPairToken(kv, item, issues);
      } else if (!isSpace(item)) stray = (stray ?? '') + item.image;
      else if (stray !== undefined) stray += item.image;
      continue;
    }
    const c = item.children;
    const keyToken = (c.key as IToken[])[0]!;
    const keyType = keyToken.tokenType.name;
    if (keyType === 'Word' && !c.Equals && !c.BlockOpen) {
      stray = (stray ?? '') + keyToken.image; // a word with no `=`: text glued after a value
      continue;
    }
    if (stray !== undefined) {
      issues.push({ code: 'unexpected-text', detail: clip(stray) });
      stray = undefined;
    }
    const key = keyName(keyToken);
    let value: KvValue;
    if (c.BlockOpen || c.BlockLine || c.BlockClose || (c.key as IToken[])[0]!.tokenType.name === 'PairBlockKey') {
      const lines = (c.BlockLine as IToken[] | undefined) ?? [];
      value = lines.map((t) => stripBlockIndent(t.image.slice(1))).join('\n');
      if (!c.BlockClose) {
        issues.push({ code: 'unclosed-block', detail: key });
        open = 'block';
      }
    } else if (!c.string && !c.composite && !c.scalar) {
      value = '';
      if (i === list.length - 1) open = 'dangling-key';
    } else {
      const r = visitValue(item, text, issues, key);
      value = r.value;
      if (r.unclosed) open = 'composite';
    }
    addPair(kv, key, value, issues);
  }
  if (stray !== undefined) issues.push({ code: 'unexpected-text', detail: clip(stray) });
  const body: StructuredBody = { msg: message.value, kv, issues };
  if (open) body.open = open;
  return body;
}

/** ` key="v"` (PairString) or ` key=v` (PairBare): the whole pair is one token. */
export function readPairToken(kv: KvMap, t: IToken, issues: BodyIssue[]): void {
  const image = t.image;
  const eq = image.indexOf('=');
  const raw = image.slice(eq + 1);
  // PairString's pattern requires the closing quote: no need to check termination
  addPair(kv, image.slice(1, eq), t.tokenType === PairString ? unquoteTerminated(raw) : typedScalar(raw), issues);
}

function addPair(kv: KvMap, key: string, value: KvValue, issues: BodyIssue[]): void {
  if (kv[key] === undefined) {
    kv[key] = value;
    return;
  }
  // klog never dedupes keys; keep every value instead of silently overwriting one.
  let n = 2;
  while (`${key}#${n}` in kv) n++;
  kv[`${key}#${n}`] = value;
  issues.push({ code: 'duplicate-key', detail: key });
}

/** `key` from a Word, ` key=` (PairKey) or ` key=<` (PairBlockKey) token. */
function keyName(t: IToken): string {
  const name = t.tokenType.name;
  if (name === 'PairKey') return t.image.slice(1, -1);
  if (name === 'PairBlockKey') return t.image.slice(1, -2);
  return t.image;
}

/** klog indents block lines with one TAB; journalctl shows it as spaces. */
function stripBlockIndent(line: string): string {
  if (line.charCodeAt(0) === 9) return line.slice(1);
  let n = 0;
  while (n < 8 && line.charCodeAt(n) === 32) n++;
  return line.slice(n);
}

interface ValueResult {
  value: KvValue;
  unclosed: boolean;
}

/** The value parts of a `pair` or `value` node: `string`, `composite` or `scalar` tokens. */
export function visitValue(node: CstNode, text: string, issues: BodyIssue[], key: string): ValueResult {
  const c = node.children;
  if (c.string) {
    const q = unquoteGo((c.string[0] as IToken).image);
    if (!q.terminated) issues.push({ code: 'unterminated-string', detail: key });
    return { value: q.value, unclosed: false };
  }
  if (c.composite) {
    const inner = c.composite[0] as CstNode;
    const unclosed = compositeUnclosed(inner);
    if (unclosed) issues.push({ code: 'unclosed-composite', detail: key });
    return { value: readComposite(inner, text, 1), unclosed };
  }
  // scalar: the exact text of its tokens, which are contiguous
  const toks = (c.scalar as IToken[] | undefined) ?? [];
  if (toks.length === 0) return { value: '', unclosed: false };
  return { value: typedScalar(text.slice(toks[0]!.startOffset, tokEnd(toks[toks.length - 1]!))), unclosed: false };
}

function compositeUnclosed(node: CstNode): boolean {
  if (!node.children.close) return true;
  for (const x of items(node)) if (!isToken(x) && compositeUnclosed(x)) return true;
  return false;
}

// ---- composites ----------------------------------------------------------------------------

function items(node: CstNode): Item[] {
  return (node.children.item as Item[] | undefined) ?? [];
}

function startOf(x: Item): number {
  return isToken(x) ? x.startOffset : (x.children.open as IToken[])[0]!.startOffset;
}

function endOf(x: Item): number {
  if (isToken(x)) return tokEnd(x);
  const close = x.children.close as IToken[] | undefined;
  if (close) return tokEnd(close[0]!);
  const inner = items(x);
  return inner.length ? endOf(inner[inner.length - 1]!) : tokEnd((x.children.open as IToken[])[0]!);
}

const isSpace = (x: Item) => isToken(x) && (x.tokenType.name === 'Spaces' || x.tokenType.name === 'Newline');

/**
 * Interpret a composite value at nesting `level` (1 = the value itself): JSON when it is JSON,
 * else Go `%+v` (struct, slice, map).
 */
export function readComposite(node: CstNode, text: string, level: number): KvValue {
  const open = (node.children.open as IToken[])[0]!.image;
  const inner = items(node);
  if ((open === '{' || open === '[') && looksLikeJson(open, inner) && node.children.close) {
    try {
      return readJson(text.slice(startOf(node), endOf(node)), MAX_VALUE_DEPTH - level + 1);
    } catch {
      // Go text that merely resembles JSON: fall through to the Go reading.
    }
  }
  if (open === 'map[') return readGoMap(inner, text, level);
  if (open === '[') return readGoList(inner, text, level);
  return readGoStruct(inner, text, level);
}

/** JSON text as a value at most `room` levels deep (deeper parts stay text, as in the grammar). */
function readJson(json: string, room: number): KvValue {
  const v = JSON.parse(json) as KvValue;
  return deeperThan(v, room) ? (JSON.parse(capJsonDepth(json, room)) as KvValue) : v;
}

function looksLikeJson(open: string, inner: Item[]): boolean {
  const first = inner.find((x) => !isSpace(x));
  if (!first) return true; // {} or []
  const name = tokenName(first);
  if (name === 'QString') return true;
  if (open === '[') {
    if (name === 'composite') {
      const sub = items(first as CstNode).find((x) => !isSpace(x));
      return sub === undefined || tokenName(sub) === 'QString' || tokenName(sub) === 'composite';
    }
    // [8,6,7] is JSON, [8 6 7] is Go
    return inner.some((x) => isToken(x) && x.tokenType.name === 'Comma');
  }
  return false;
}

/** Split a composite's items at top-level separators (spaces for Go slices). */
function splitBy(inner: Item[], sep: (x: Item) => boolean): Item[][] {
  const parts: Item[][] = [];
  let cur: Item[] = [];
  for (const x of inner) {
    if (sep(x)) {
      if (cur.length) parts.push(cur);
      cur = [];
    } else cur.push(x);
  }
  if (cur.length) parts.push(cur);
  return parts;
}

function readPart(part: Item[], text: string, level: number): KvValue {
  if (part.length === 1 && !isToken(part[0]!)) return readComposite(part[0] as CstNode, text, level);
  const s = text.slice(startOf(part[0]!), endOf(part[part.length - 1]!));
  return part.length === 1 && tokenName(part[0]!) === 'QString' ? unquoteGo(s).value : typedScalar(s);
}

function readGoList(inner: Item[], text: string, level: number): KvValue[] {
  return splitBy(inner, isSpace).map((p) => readPart(p, text, level + 1));
}

function readGoMap(inner: Item[], text: string, level: number): KvMap {
  const out: KvMap = {};
  for (const part of splitBy(inner, isSpace)) {
    const colon = part.findIndex((x) => isToken(x) && x.tokenType.name === 'Colon');
    if (colon <= 0) continue;
    const k = text.slice(startOf(part[0]!), endOf(part[colon - 1]!));
    out[k] = colon === part.length - 1 ? '' : readPart(part.slice(colon + 1), text, level + 1);
  }
  return out;
}

const FIELD = /^[A-Za-z_$][\w$]*$/;

/**
 * `{Name:value Name:value}`: a field starts at `Word Colon` at the start or after a space (or a
 * comma, for `%#v`). Values may contain spaces (`LastProbeTime:0001-01-01 00:00:00 +0000 UTC`), so
 * a value runs to the next field start. Field names keep the case of the first one, so
 * `Message:containers with unready status: [nginx]` stays one value.
 */
function readGoStruct(inner: Item[], text: string, level: number): KvValue {
  const starts: number[] = [];
  let upper: boolean | undefined;
  for (let i = 0; i + 1 < inner.length; i++) {
    const x = inner[i]!;
    if (!isToken(x) || x.tokenType.name !== 'Word' || !FIELD.test(x.image)) continue;
    const next = inner[i + 1]!;
    if (!isToken(next) || next.tokenType.name !== 'Colon') continue;
    const prev = inner[i - 1];
    if (prev && !isSpace(prev) && !(isToken(prev) && prev.tokenType.name === 'Comma')) continue;
    const isUpper = x.image[0]! >= 'A' && x.image[0]! <= 'Z';
    if (upper === undefined) upper = isUpper;
    else if (upper !== isUpper) continue;
    starts.push(i);
  }
  if (starts.length === 0) {
    const sig = inner.filter((x) => !isSpace(x));
    if (sig.length === 0) return {};
    return text.slice(startOf(sig[0]!), endOf(sig[sig.length - 1]!));
  }
  const out: KvMap = {};
  for (let s = 0; s < starts.length; s++) {
    const at = starts[s]!;
    const name = (inner[at] as IToken).image;
    let part = inner.slice(at + 2, s + 1 < starts.length ? starts[s + 1] : inner.length);
    while (part.length && (isSpace(part[part.length - 1]!) || tokenName(part[part.length - 1]!) === 'Comma')) part = part.slice(0, -1);
    while (part.length && isSpace(part[0]!)) part = part.slice(1);
    out[name] = part.length ? readPart(part, text, level + 1) : '';
  }
  return out;
}

/** End offset (exclusive); the lexer tracks only start offsets, for speed. */
function tokEnd(t: IToken): number {
  return t.startOffset + t.image.length;
}

function clip(s: string): string {
  const t = s.trim();
  return t.length > 80 ? t.slice(0, 77) + '...' : t;
}
