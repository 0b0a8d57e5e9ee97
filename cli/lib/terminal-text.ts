// Log text is hostile: a pod name, a message or a file name can carry escape sequences that clear
// the screen, retitle the window, write the clipboard (OSC 52) or reorder what is shown (bidi
// overrides). Everything a renderer takes from a log passes through here before it reaches a
// terminal, and is shown as a visible escape instead: `\x1b`, `\u202e`.

/**
 * What must not reach a terminal raw: C0 controls, DEL, C1 controls (U+0080–U+009F: 0x9b is a
 * one-byte CSI), the bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), the
 * implicit direction marks (U+200E, U+200F, U+061C), and the Unicode line and paragraph separators.
 */
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same, but for a line break: multi-line messages keep their lines. */
const UNSAFE_BUT_NEWLINE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** What JSON.stringify leaves raw that a terminal would act on (it escapes C0 itself). */
const UNSAFE_IN_JSON = /[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const SHORT: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return SHORT[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

const jsonEscape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One line of log text, safe for a terminal: every control character shown as an escape. */
export function safeText(s: string): string {
  return s.replace(UNSAFE, visible);
}

/** Text of several lines (an error message, a list): line breaks kept, everything else as safeText. */
export function safeLines(s: string): string {
  return s.replace(UNSAFE_BUT_NEWLINE, visible);
}

/** JSON for a terminal or a pipe: also the C1, DEL and bidi characters as \uXXXX (it is the same JSON). */
export function safeJson(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(UNSAFE_IN_JSON, jsonEscape);
}

/** Our own colours (cli/lib/color.ts): the only escape sequences rendered output may hold. */
const OUR_SGR = /^\x1b\[(?:1|2|22|31|32|33|34|36|39)m/;

/**
 * The last guard before a terminal, over a whole rendered text: line breaks and kubelog's own
 * colours pass, any other control character (one a renderer let through) is shown as an escape.
 */
export function terminalSafe(rendered: string): string {
  return rendered.replace(UNSAFE_BUT_NEWLINE, (c, at: number) => (c === '\x1b' && OUR_SGR.test(rendered.slice(at, at + 6)) ? c : visible(c)));
}
