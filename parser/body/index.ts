// The body grammar's entry points: lex with the shared lexer, parse with the one parser instance
// (input reset per call), visit. Never throws on input: lexer and parser errors become issues,
// brackets nested too deep to recurse into are folded into text first (deep.ts), and anything the
// grammar still cannot read leaves the body as the message, with an issue.
import { bodyLexer } from './tokens.js';
import { bodyParser } from './grammar.js';
import { readPairToken, visitStructured, visitValue, type BodyIssue, type StructuredBody } from './visitor.js';
import { unquoteGo } from './go-string.js';
import { foldDeepBrackets } from './deep.js';
import { MAX_VALUE_DEPTH } from '../depth.js';
import { PairBare, PairString, QString } from './tokens.js';
import type { ILexingResult, IToken } from 'chevrotain';
import type { KvMap, KvValue } from '../types.js';

export type { BodyIssue, StructuredBody };

/** True when the text starts like a structured klog body: a quoted message, then a pair or nothing. */
export function looksStructured(body: string): boolean {
  if (body.charCodeAt(0) !== 34) return false;
  // find the closing quote of the message
  for (let i = 1; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 92) {
      i++;
      continue;
    }
    if (c === 34) {
      const next = body.charCodeAt(i + 1);
      return Number.isNaN(next) || next === 32 || next === 10 || next === 13;
    }
    if (c === 10) return false;
  }
  return false;
}

/** Parse `"msg" key=value …` (possibly several lines joined with `\n`). */
export function parseStructuredBody(body: string): StructuredBody {
  try {
    const lexed = bodyLexer.tokenize(body);
    if (lexed.errors.length === 0) {
      const flat = readFlatBody(lexed.tokens);
      if (flat) return flat;
    }
    return parseTokens(body, lexed);
  } catch (e) {
    // a defect, not the input's fault: keep the whole body as the message, and say so
    return { msg: body, kv: {}, issues: [{ code: 'unreadable', detail: (e as Error).message }] };
  }
}

/**
 * Most bodies lex to nothing but the message and single-token pairs (` key="v"`, ` key=v`); for
 * that sequence the grammar's CST is fixed, so the pairs are read straight from the tokens.
 * `parseTokens` gives the same result (test/parser-fastpath.test.ts holds the two together).
 */
function readFlatBody(tokens: IToken[]): StructuredBody | undefined {
  const first = tokens[0];
  if (!first || first.tokenType !== QString) return undefined;
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i]!.tokenType;
    if (t !== PairString && t !== PairBare) return undefined;
  }
  const message = unquoteGo(first.image);
  const issues: BodyIssue[] = message.terminated ? [] : [{ code: 'unterminated-string', detail: 'message' }];
  const kv: KvMap = {};
  for (let i = 1; i < tokens.length; i++) readPairToken(kv, tokens[i]!, issues);
  return { msg: message.value, kv, issues };
}

/** The full grammar: lexed tokens → CST → visitor. */
export function parseTokens(body: string, lexed: ILexingResult): StructuredBody {
  const folded = foldDeepBrackets(lexed.tokens, body);
  bodyParser.input = folded ?? lexed.tokens;
  const cst = bodyParser.structured();
  const errors = bodyParser.errors;
  if (errors.length > 0 || !cst || !cst.children.message) {
    // The grammar accepts any token sequence after the message, so this is a defect, not input.
    return {
      msg: body,
      kv: {},
      issues: [{ code: 'unexpected-text', detail: errors[0]?.message ?? 'no message' }],
    };
  }
  const out = visitStructured(cst, body);
  if (folded) out.issues.push({ code: 'too-deep', detail: `kept as text from level ${MAX_VALUE_DEPTH} on` });
  for (const e of lexed.errors) out.issues.push({ code: 'unexpected-text', detail: `offset ${e.offset}: ${e.message}` });
  return out;
}

/** Read one value in any klog rendering (`&{ID:… Type:…}`, `{"ID":…}`, `[a b]`, `map[k:v]`, `30`). */
export function parseValueText(text: string): KvValue {
  // `%#v` prefixes the type name (`&pleg.PodLifecycleEvent{…}`); the fields are what matter.
  const typed = /^(&?)[A-Za-z_][\w.]*\{/.exec(text);
  const src = typed ? typed[1] + text.slice(typed[0].length - 1) : text;
  try {
    const lexed = bodyLexer.tokenize(src);
    bodyParser.input = foldDeepBrackets(lexed.tokens, src) ?? lexed.tokens;
    const cst = bodyParser.value();
    if (bodyParser.errors.length > 0 || !cst || lexed.errors.length > 0) return text;
    return visitValue(cst, src, [], '').value;
  } catch {
    return text; // a defect, not the input's fault: the value stays text
  }
}
