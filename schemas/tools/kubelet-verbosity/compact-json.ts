// JSON that diffs well: indented down to `collapseAt`, one line per value below it.

export function compactJson(value: unknown, collapseAt: number): string {
  return write(value, 0, collapseAt) + '\n';
}

function write(value: unknown, depth: number, collapseAt: number): string {
  if (depth >= collapseAt || value === null || typeof value !== 'object') return JSON.stringify(value);
  const pad = '  '.repeat(depth + 1);
  const end = '  '.repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => pad + write(v, depth + 1, collapseAt)).join(',\n')}\n${end}]`;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return '{}';
  const obj = value as Record<string, unknown>;
  return `{\n${keys.map((k) => `${pad}${JSON.stringify(k)}: ${write(obj[k], depth + 1, collapseAt)}`).join(',\n')}\n${end}}`;
}
