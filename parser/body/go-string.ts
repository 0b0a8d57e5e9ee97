// Go string literal unquoting (strconv.Unquote for double-quoted strings, lenient). klog writes the
// message and string values with strconv.Quote / %q; JSON strings are a subset of the same syntax
// apart from surrogate pairs, which String.fromCharCode pairs up by itself.

const SIMPLE: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '/': '/',
};

/**
 * Unquote `"…"`. `terminated` is false when the closing quote is missing (a line cut mid-value);
 * the text up to the end is returned anyway.
 */
export function unquoteGo(literal: string): { value: string; terminated: boolean } {
  const terminated = literal.length >= 2 && literal.endsWith('"') && !endsWithEscapedQuote(literal);
  return { value: unescapeGo(literal.slice(1, terminated ? -1 : undefined)), terminated };
}

/** Unquote a literal known to be complete (`"…"`), without the bookkeeping object. */
export function unquoteTerminated(literal: string): string {
  return unescapeGo(literal.slice(1, -1));
}

function unescapeGo(inner: string): string {
  if (!inner.includes('\\')) return inner;
  let out = '';
  let bytes: number[] | undefined; // \xHH and octal escapes are bytes; decode runs of them as UTF-8
  const flushBytes = () => {
    if (bytes) {
      out += Buffer.from(bytes).toString('utf8');
      bytes = undefined;
    }
  };
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c !== '\\' || i === inner.length - 1) {
      flushBytes();
      out += c;
      continue;
    }
    const e = inner[++i]!;
    if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(inner.slice(i + 1, i + 3))) {
      (bytes ??= []).push(parseInt(inner.slice(i + 1, i + 3), 16));
      i += 2;
      continue;
    }
    if (e >= '0' && e <= '7' && /^[0-7]{3}$/.test(inner.slice(i, i + 3))) {
      (bytes ??= []).push(parseInt(inner.slice(i, i + 3), 8) & 0xff);
      i += 2;
      continue;
    }
    flushBytes();
    if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(inner.slice(i + 1, i + 5))) {
      out += String.fromCharCode(parseInt(inner.slice(i + 1, i + 5), 16));
      i += 4;
    } else if (e === 'U' && /^[0-9a-fA-F]{8}$/.test(inner.slice(i + 1, i + 9))) {
      const cp = parseInt(inner.slice(i + 1, i + 9), 16);
      out += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\uFFFD';
      i += 8;
    } else {
      out += SIMPLE[e] ?? '\\' + e;
    }
  }
  flushBytes();
  return out;
}

function endsWithEscapedQuote(literal: string): boolean {
  // `"abc\"` is unterminated: count the backslashes before the final quote.
  let n = 0;
  for (let i = literal.length - 2; i >= 1 && literal[i] === '\\'; i--) n++;
  return n % 2 === 1;
}
