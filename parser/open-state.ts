// Does a structured body, as read so far, expect more lines? The record assembler asks this for
// every header-less line, so it is an incremental character scan rather than a full parse:
// - inside a `key=<` block until a line starting with ` >` (klog ≥ v2.40);
// - an unbalanced `{`/`[` outside quoted strings (era A writes `%+v` structs with raw newlines);
// - a trailing `key=` with its value on the next lines (pasted multi-line JSON).

export interface OpenState {
  depth: number;
  inBlock: boolean;
  danglingKey: boolean;
}

export function newOpenState(): OpenState {
  return { depth: 0, inBlock: false, danglingKey: false };
}

export function isOpen(s: OpenState): boolean {
  return s.inBlock || s.depth > 0 || s.danglingKey;
}

/** Feed one physical line of the body (for the first line: the text after the header). */
export function feedLine(s: OpenState, line: string): void {
  let i = 0;
  if (s.inBlock) {
    if (line.charCodeAt(0) === 32 && line.charCodeAt(1) === 62) {
      s.inBlock = false;
      i = 2; // pairs may follow the closing ` >`
    } else return;
  }
  let lastNonSpace = -1;
  const n = line.length;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 34) {
      // a quoted string: never spans lines in klog output
      i++;
      while (i < n) {
        const d = line.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === 34) break;
        else i++;
      }
      lastNonSpace = 34;
      i++;
      continue;
    }
    if (c === 123 || c === 91) s.depth++;
    else if ((c === 125 || c === 93) && s.depth > 0) s.depth--;
    if (c !== 32 && c !== 9) lastNonSpace = c;
    if (c === 61 && line.charCodeAt(i + 1) === 60 && i + 2 === n && s.depth === 0) {
      s.inBlock = true;
      s.danglingKey = false;
      return;
    }
    i++;
  }
  // a body line ending in `=` leaves its value for the next line; blank lines keep that state
  if (lastNonSpace !== -1) s.danglingKey = lastNonSpace === 61 && s.depth === 0;
}
