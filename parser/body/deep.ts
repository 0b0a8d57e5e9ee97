// The body grammar and its visitor recurse once per bracket level (chevrotain's SUBRULE, then the
// visitor's readers), so a value nested a few hundred levels overflows the stack. Before parsing,
// every bracket that opens below MAX_VALUE_DEPTH is folded, with all it holds up to its matching
// close (or the end, when cut), into one Word token: the grammar sees a bare word there and the
// visitor keeps its exact text as a string.
import { createTokenInstance, type IToken, type TokenType } from 'chevrotain';
import { MAX_VALUE_DEPTH } from '../depth.js';
import { AmpLCurly, LCurly, LSquare, MapLSquare, RCurly, RSquare, Word } from './tokens.js';

const isOpen = (t: TokenType) => t === LCurly || t === AmpLCurly || t === LSquare || t === MapLSquare;
const isClose = (t: TokenType) => t === RCurly || t === RSquare;

/**
 * The tokens with every too-deep bracket folded into a Word token, or undefined when none is.
 * Depth counts every bracket, as the composite rule does (any close ends the innermost open).
 */
export function foldDeepBrackets(tokens: IToken[], text: string, max = MAX_VALUE_DEPTH): IToken[] | undefined {
  let out: IToken[] | undefined;
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const type = t.tokenType;
    if (isOpen(type)) {
      if (depth === max) {
        out ??= tokens.slice(0, i);
        const end = matchingClose(tokens, i);
        const last = tokens[end]!;
        const stop = last.startOffset + last.image.length;
        out.push(createTokenInstance(Word, text.slice(t.startOffset, stop), t.startOffset, stop - 1, NaN, NaN, NaN, NaN));
        i = end;
        continue;
      }
      depth++;
    } else if (isClose(type) && depth > 0) depth--;
    out?.push(t);
  }
  return out;
}

/** Index of the token that closes the bracket at `i`, or the last token when it is never closed. */
function matchingClose(tokens: IToken[], i: number): number {
  let d = 0;
  for (let j = i; j < tokens.length; j++) {
    const type = tokens[j]!.tokenType;
    if (isOpen(type)) d++;
    else if (isClose(type) && --d === 0) return j;
  }
  return tokens.length - 1;
}
