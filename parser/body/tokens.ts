// Tokens of a klog structured body (`"msg" key=value …`), all three value eras at once.
// Two lexer modes: `pairs` for the message, pairs and composite values; `block` for the lines of a
// `key=<` value (era B/C), which are raw text until the ` >` that closes them.
import { createToken, Lexer, type TokenType } from 'chevrotain';

export const Newline = createToken({ name: 'Newline', pattern: /\n/, line_breaks: true });
export const Spaces = createToken({ name: 'Spaces', pattern: /[ \t]+/ });
// A Go-quoted string (`%q`/strconv.Quote) or a JSON string. Go never breaks a quoted string across
// lines, so an unterminated one runs to the end of the line and the visitor reports it.
export const QString = createToken({
  name: 'QString',
  pattern: /"(?:[^"\\\n]|\\.)*"?/,
  start_chars_hint: ['"'],
});
export const BlockOpen = createToken({
  name: 'BlockOpen',
  // `=<` only when the line ends there (see PairBlockKey for why a custom matcher)
  pattern: {
    exec: (text: string, offset: number) => {
      BLOCK_OPEN.lastIndex = offset;
      return BLOCK_OPEN.exec(text);
    },
  },
  line_breaks: false,
  start_chars_hint: ['='],
  push_mode: 'block',
});
const BLOCK_OPEN = /=<(?=\n|$)/y;
// Whole pairs as one token where the value is simple: ` key="quoted"` and ` key=bare`.
export const PairString = createToken({
  name: 'PairString',
  pattern: / [A-Za-z_][\w.]*="(?:[^"\\\n]|\\.)*"/,
  start_chars_hint: [' '],
});
export const PairBare = createToken({
  name: 'PairBare',
  // a bare value ends at a space or line end; anything bracketed or quoted goes the long way
  pattern: {
    exec: (text: string, offset: number) => {
      PAIR_BARE.lastIndex = offset;
      return PAIR_BARE.exec(text);
    },
  },
  line_breaks: false,
  start_chars_hint: [' '],
});
const PAIR_BARE = / [A-Za-z_][\w.]*=[^\s"[\]{}=<][^\s"[\]{}]*(?= |\n|$)/y;
export const PairKey = createToken({ name: 'PairKey', pattern: / [A-Za-z_][\w.]*=/, start_chars_hint: [' '] });
export const PairBlockKey = createToken({
  name: 'PairBlockKey',
  // custom matcher: chevrotain forbids `$` in token patterns, and a sticky regex avoids slicing
  pattern: {
    exec: (text: string, offset: number) => {
      PAIR_BLOCK.lastIndex = offset;
      return PAIR_BLOCK.exec(text);
    },
  },
  line_breaks: false,
  start_chars_hint: [' '],
  push_mode: 'block',
});
const PAIR_BLOCK = / [A-Za-z_][\w.]*=<(?=\n|$)/y;
export const Equals = createToken({ name: 'Equals', pattern: /=/ });
export const AmpLCurly = createToken({ name: 'AmpLCurly', pattern: /&\{/ });
export const LCurly = createToken({ name: 'LCurly', pattern: /\{/ });
export const RCurly = createToken({ name: 'RCurly', pattern: /\}/ });
export const MapLSquare = createToken({ name: 'MapLSquare', pattern: /map\[/ });
export const LSquare = createToken({ name: 'LSquare', pattern: /\[/ });
export const RSquare = createToken({ name: 'RSquare', pattern: /\]/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const Colon = createToken({ name: 'Colon', pattern: /:/ });
// Everything else up to a separator: bare values (`4f3761db-…`, `30`, `<nil>`, `-9.2e+09`), keys,
// Go struct field names and unquoted struct text.
// Written as ranges rather than a complement set (`[^\s"=[\]{},:]`) so chevrotain's first-char
// optimisation applies: everything from `!` up except `" , : = [ ] { }`.
export const Word = createToken({ name: 'Word', pattern: /[!#-+\--9;<>-Z\\^-z|~-\uffff]+/ });

// Block lines keep their leading TAB; journalctl shows it as spaces and rsyslog as `#011`, both
// normalised before lexing. The closing line is a single space and `>`, pairs may follow it.
export const BlockClose = createToken({
  name: 'BlockClose',
  pattern: /\n >/,
  line_breaks: true,
  pop_mode: true,
});
export const BlockLine = createToken({ name: 'BlockLine', pattern: /\n[^\n]*/, line_breaks: true });

const pairsMode: TokenType[] = [
  Newline,
  PairString, // the most common token after a space: tried first
  PairBare,
  PairBlockKey, // before PairKey, which would take its ` key=` and leave `<`
  PairKey,
  Spaces,
  QString,
  BlockOpen,
  Equals,
  AmpLCurly,
  LCurly,
  RCurly,
  MapLSquare,
  LSquare,
  RSquare,
  Comma,
  Colon,
  Word,
];

export const allTokens: TokenType[] = [...pairsMode, BlockClose, BlockLine];

export const bodyLexer = new Lexer(
  { modes: { pairs: pairsMode, block: [BlockClose, BlockLine] }, defaultMode: 'pairs' },
  { positionTracking: 'onlyOffset', ensureOptimizations: true },
);
