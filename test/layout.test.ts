// The folders' rules (ARCHITECTURE "Folders", README "Layout"), read from the import graph of the
// sources: pure cores (parser/, lifecycle/) import no I/O layer; store/ is SQLite only and knows no
// pod phase; ingest/ reads and parses inputs into the store; pipeline/ is the one place where
// parser, store and lifecycle meet, and cli/ and web/ start no ingest and build no lifecycle of
// their own. TypeScript's own parser reads the imports, so `import type` is told from a value import.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FOLDERS = ['parser', 'lifecycle', 'store', 'ingest', 'pipeline', 'cli', 'web'] as const;
type Folder = (typeof FOLDERS)[number];

interface Edge {
  /** Importing file and imported file, relative to the repository root, without extension. */
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  // a folder this layout names but a tree lacks has no files (the first test then fails)
  if (!existsSync(path.join(root, dir))) return out;
  for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'dist') out.push(...sourceFiles(rel));
    } else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

function isTypeOnlyImport(d: ts.ImportDeclaration): boolean {
  const c = d.importClause;
  if (!c) return false; // a side-effect import runs the module
  if (c.isTypeOnly) return true;
  if (c.name) return false;
  const b = c.namedBindings;
  return !!b && ts.isNamedImports(b) && b.elements.length > 0 && b.elements.every((e) => e.isTypeOnly);
}

function importsOf(file: string): Edge[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const edges: Edge[] = [];
  const add = (spec: string, typeOnly: boolean) => {
    if (!spec.startsWith('.')) return; // node: and packages
    const to = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.(js|jsx|ts|tsx|json)$/, '');
    edges.push({ from: file.replace(/\.tsx?$/, ''), to, typeOnly });
  };
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) add(n.moduleSpecifier.text, isTypeOnlyImport(n));
    else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) add(n.moduleSpecifier.text, n.isTypeOnly);
    else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteral(n.arguments[0])) add(n.arguments[0].text, false);
    else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) add(n.argument.literal.text, true);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return edges;
}

const folderOf = (p: string): Folder | undefined => FOLDERS.find((f) => p === f || p.startsWith(`${f}/`));

const edges = FOLDERS.flatMap((f) => sourceFiles(f)).flatMap(importsOf);

/** The imports from `from` into `to` that break a rule, as "file → module" lines. */
function crossing(from: Folder, to: Folder, opts: { typesAllowed?: boolean; allowed?: (e: Edge) => boolean } = {}): string[] {
  return edges
    .filter((e) => folderOf(e.from) === from && folderOf(e.to) === to)
    .filter((e) => !(opts.typesAllowed && e.typeOnly) && !opts.allowed?.(e))
    .map((e) => `${e.from} → ${e.to}${e.typeOnly ? ' (type)' : ''}`);
}

describe('the folders import only what their layer may', () => {
  it('reads a real import graph (the rules below are not vacuous)', () => {
    // a few edges every version of this layout has
    const has = (from: string, to: string) => edges.some((e) => e.from === from && e.to === to);
    expect(has('store/db', 'store/migrations')).toBe(true);
    expect(has('ingest/ingest', 'store/writer')).toBe(true);
    expect(has('pipeline/rebuild', 'lifecycle/model')).toBe(true);
    expect(edges.filter((e) => e.typeOnly).length).toBeGreaterThan(50);
    expect(edges.filter((e) => !e.typeOnly).length).toBeGreaterThan(200);
  });

  it('parser/ and lifecycle/ are pure cores: no store, ingest, pipeline, cli or web', () => {
    for (const core of ['parser', 'lifecycle'] as const) {
      for (const layer of ['store', 'ingest', 'pipeline', 'cli', 'web'] as const) expect(crossing(core, layer), `${core}/ → ${layer}/`).toEqual([]);
    }
    expect(crossing('parser', 'lifecycle'), 'parser/ → lifecycle/').toEqual([]);
  });

  it('store/ is SQLite only: no lifecycle, ingest, pipeline, cli or web; from parser/ only types', () => {
    for (const layer of ['lifecycle', 'ingest', 'pipeline', 'cli', 'web'] as const) expect(crossing('store', layer), `store/ → ${layer}/`).toEqual([]);
    // the one ISO-time formatter (issue 16) is parser/time.ts: a pure function of a number, which
    // the write lock uses to say since when another writer holds the database
    const isoFormatter = (e: Edge) => e.from === 'store/write-lock' && e.to === 'parser/time';
    expect(crossing('store', 'parser', { typesAllowed: true, allowed: isoFormatter }), 'store/ → parser/ values').toEqual([]);
  });

  it('ingest/ reads and parses inputs into the store: no pipeline, cli or web, and no SQL of its own', () => {
    for (const layer of ['pipeline', 'cli', 'web'] as const) expect(crossing('ingest', layer), `ingest/ → ${layer}/`).toEqual([]);
    // it writes through store/writer.ts and asks through store/'s queries
    const statements = sourceFiles('ingest').filter((f) => /\.prepare\(/.test(readFileSync(path.join(root, f), 'utf8')));
    expect(statements, 'ingest/ files that prepare SQL').toEqual([]);
  });

  it('pipeline/ renders nothing and speaks no HTTP: no cli or web', () => {
    for (const layer of ['cli', 'web'] as const) expect(crossing('pipeline', layer), `pipeline/ → ${layer}/`).toEqual([]);
  });

  it('cli/ and web/ start no ingest and build no lifecycle of their own: they call pipeline/', () => {
    // `kubelog parse` streams inputs through the parser without a database: it reads them as the
    // ingest does, and the commands word an unreadable input as the ingest reports it
    const inputReaders = new Set(['ingest/inputs', 'ingest/peek', 'ingest/gunzip', 'ingest/input-error']);
    for (const layer of ['cli', 'web'] as const) {
      expect(crossing(layer, 'ingest', { typesAllowed: true, allowed: (e) => inputReaders.has(e.to) }), `${layer}/ → ingest/ values`).toEqual([]);
      expect(crossing(layer, 'lifecycle', { typesAllowed: true, allowed: (e) => e.to !== 'lifecycle/model' }), `${layer}/ → lifecycle/model (the builder)`).toEqual([]);
      // the lifecycle tables are written by the rebuild alone
      expect(crossing(layer, 'store', { typesAllowed: true, allowed: (e) => e.to !== 'store/writer' && e.to !== 'store/lifecycle-state' }), `${layer}/ → store/ writing`).toEqual([]);
    }
  });
});
