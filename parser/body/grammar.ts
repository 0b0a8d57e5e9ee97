// CST parser of a klog structured body. The grammar captures structure (message, pairs, balanced
// composite values, `key=<` blocks) and keeps token order; which era a composite was written in
// (Go `%+v`, JSON) is decided by the visitor, because LL(k) cannot tell `[a b]` from `["a","b"]`
// cheaply while the CST, with order kept, makes it a local question.
//
// Speed: a CST node costs far more than a token, so single-token alternatives are consumed inline
// under one LABEL (`item`): chevrotain appends to a label's array in consumption order, which keeps
// tokens and sub-nodes in input order without a wrapper node per element.
import { CstParser, type CstNode, type IToken, type TokenType } from 'chevrotain';
import {
  allTokens,
  AmpLCurly,
  BlockClose,
  BlockLine,
  BlockOpen,
  Colon,
  Comma,
  Equals,
  LCurly,
  LSquare,
  MapLSquare,
  Newline,
  PairBare,
  PairBlockKey,
  PairKey,
  PairString,
  QString,
  RCurly,
  RSquare,
  Spaces,
  Word,
} from './tokens.js';

const ITEM = { LABEL: 'item' };

class BodyParser extends CstParser {
  constructor() {
    super(allTokens, { maxLookahead: 1, recoveryEnabled: false, nodeLocationTracking: 'none' });
    this.performSelfAnalysis();
  }

  /**
   * `"message" key=value key=value …`. `item` holds, in order, separators (Spaces, Newline), `pair`
   * nodes and stray tokens (text that does not start a pair: glued text after a value, a stray bracket).
   */
  public structured = this.RULE('structured', () => {
    this.CONSUME(QString, { LABEL: 'message' });
    this.MANY(() => {
      this.OR([
        // single-token pairs need no node of their own: the visitor splits them
        { ALT: () => this.CONSUME(PairString, ITEM) },
        { ALT: () => this.CONSUME(PairBare, ITEM) },
        { ALT: () => this.SUBRULE(this.pair, ITEM) },
        { ALT: () => this.CONSUME(Spaces, ITEM) },
        { ALT: () => this.CONSUME(Newline, ITEM) },
        { ALT: () => this.CONSUME2(QString, ITEM) },
        { ALT: () => this.CONSUME(Colon, ITEM) },
        { ALT: () => this.CONSUME(Comma, ITEM) },
        { ALT: () => this.CONSUME(Equals, ITEM) },
        { ALT: () => this.CONSUME(BlockOpen, ITEM) },
        { ALT: () => this.CONSUME(RCurly, ITEM) },
        { ALT: () => this.CONSUME(RSquare, ITEM) },
        { ALT: () => this.CONSUME(LCurly, ITEM) },
        { ALT: () => this.CONSUME(AmpLCurly, ITEM) },
        { ALT: () => this.CONSUME(LSquare, ITEM) },
        { ALT: () => this.CONSUME(MapLSquare, ITEM) },
      ]);
    });
  });

  /**
   * A pair that is more than one token (single-token ` key="v"` and ` key=v` are items of
   * `structured` directly): ` key=` or `key=` then a value, or ` key=<` / `key=<` then block lines. A `Word` with no `=` after it is stray
   * text (glued after a value): the grammar stays LL(1) and the visitor reports it.
   */
  private pair = this.RULE('pair', () => {
    this.OR([
      { ALT: () => this.CONSUME(PairKey, { LABEL: 'key' }) },
      { ALT: () => this.CONSUME(PairBlockKey, { LABEL: 'key' }) },
      {
        ALT: () => {
          this.CONSUME(Word, { LABEL: 'key' });
          this.OPTION4(() => this.OR5([{ ALT: () => this.CONSUME(BlockOpen) }, { ALT: () => this.CONSUME(Equals) }]));
        },
      },
    ]);
    // `key=<` then TAB-indented lines then ` >` (klog ≥ v2.40); block tokens exist only after an
    // opener (lexer mode), and the close may be missing because logs get cut.
    this.MANY(() => this.CONSUME(BlockLine));
    this.OPTION(() => this.CONSUME(BlockClose));
    this.OPTION2({ GATE: () => this.valueFollows(), DEF: () => this.valueAlternatives() });
  });

  /** After `key=`: a value, unless a space or line break follows (an empty value), except for a
   *  bracketed value that starts on the next line. Never after a block or a stray word. */
  private valueFollows(): boolean {
    const last = this.LA(0).tokenType;
    if (last !== PairKey && last !== Equals) return false;
    const t = this.LA(1).tokenType;
    return (t !== Newline && t !== Spaces && t !== PairKey && t !== PairBlockKey && t !== PairString && t !== PairBare) || this.compositeAfterLineBreak();
  }

  /** One value on its own (printf `%v` arguments): the same alternatives as after `key=`. */
  public value = this.RULE('value', () => this.valueAlternatives());

  private valueAlternatives(): void {
    this.OR2({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.CONSUME3(QString, { LABEL: 'string' }) },
        { ALT: () => this.SUBRULE(this.composite) },
        {
          // A bare value: `30`, `<nil>`, `4f3761db-…`, `12:00:01`, `docker://abc`.
          ALT: () =>
            this.AT_LEAST_ONE(() =>
              this.OR3([
                { ALT: () => this.CONSUME3(Word, { LABEL: 'scalar' }) },
                { ALT: () => this.CONSUME2(Colon, { LABEL: 'scalar' }) },
                { ALT: () => this.CONSUME2(Comma, { LABEL: 'scalar' }) },
                { ALT: () => this.CONSUME2(Equals, { LABEL: 'scalar' }) },
              ]),
            ),
        },
        {
          // `patch=` at a line end with the JSON on the following lines (pasted pretty JSON)
          GATE: () => this.compositeAfterLineBreak(),
          ALT: () => {
            this.AT_LEAST_ONE2(() =>
              this.OR4([{ ALT: () => this.CONSUME2(Newline) }, { ALT: () => this.CONSUME2(Spaces) }]),
            );
            this.SUBRULE2(this.composite);
          },
        },
      ],
    });
  }

  private compositeAfterLineBreak(): boolean {
    let sawNewline = false;
    for (let i = 1; ; i++) {
      const t = this.LA(i).tokenType;
      if (t === Newline) sawNewline = true;
      else if (t !== Spaces) return sawNewline && (t === LCurly || t === LSquare || t === AmpLCurly || t === MapLSquare);
    }
  }

  /**
   * A balanced `{…}`, `&{…}`, `[…]` or `map[…]`: `open`, then `item` (tokens and nested composites
   * in order), then `close`, which is optional so that cut lines still parse.
   */
  public composite = this.RULE('composite', () => {
    this.OR([
      { ALT: () => this.CONSUME(LCurly, { LABEL: 'open' }) },
      { ALT: () => this.CONSUME(AmpLCurly, { LABEL: 'open' }) },
      { ALT: () => this.CONSUME(LSquare, { LABEL: 'open' }) },
      { ALT: () => this.CONSUME(MapLSquare, { LABEL: 'open' }) },
    ]);
    this.MANY(() => {
      this.OR2([
        { ALT: () => this.SUBRULE(this.composite, ITEM) },
        { ALT: () => this.CONSUME(Word, ITEM) },
        { ALT: () => this.CONSUME(QString, ITEM) },
        { ALT: () => this.CONSUME(Colon, ITEM) },
        { ALT: () => this.CONSUME(Comma, ITEM) },
        { ALT: () => this.CONSUME(Equals, ITEM) },
        { ALT: () => this.CONSUME(Spaces, ITEM) },
        { ALT: () => this.CONSUME(Newline, ITEM) },
        { ALT: () => this.CONSUME(PairKey, ITEM) }, // ` x=` inside a Go struct's text
        { ALT: () => this.CONSUME(PairString, ITEM) },
        { ALT: () => this.CONSUME(PairBare, ITEM) },
      ]);
    });
    this.OPTION(() => {
      this.OR3([
        { ALT: () => this.CONSUME(RCurly, { LABEL: 'close' }) },
        { ALT: () => this.CONSUME(RSquare, { LABEL: 'close' }) },
      ]);
    });
  });
}

/** The one parser instance; chevrotain's guidance is to reuse it and reset `input` per text. */
export const bodyParser = new BodyParser();

export type { CstNode, IToken, TokenType };
