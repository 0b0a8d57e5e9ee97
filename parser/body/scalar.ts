// Bare (unquoted) values: the same spelling means the same thing in every klog era.
import type { KvValue } from '../types.js';

const INT = /^-?(?:0|[1-9]\d{0,14})$/;
const FLOAT = /^-?(?:\d+\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+)$/;

export function typedScalar(text: string): KvValue {
  switch (text) {
    case '<nil>': // klog's nil
    case 'nil': // a nil pointer inside a Go %+v struct
    case 'null':
      return null;
    case 'true':
      return true;
    case 'false':
      return false;
  }
  const c = text.charCodeAt(0);
  // Only text that starts like a number can be one; UIDs like `4f3761db-…` fail the anchored tests.
  if ((c >= 48 && c <= 57) || c === 45) {
    if (INT.test(text)) return Number(text);
    if (FLOAT.test(text)) return Number(text);
  }
  return text;
}
