// React calls whatever an effect returns as its cleanup. TypeScript lets `() => x` stand for
// React's `() => void | Destructor`, so an effect written `useEffect(() => el.scrollIntoView())`
// compiles, and blanks the page once a browser's scrollIntoView returns a promise (Chromium 156).
// This reads the app's sources with the type checker: every effect returns a function or nothing.
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/samples.js';

const EFFECT_HOOKS = new Set(['useEffect', 'useLayoutEffect', 'useInsertionEffect']);

/**
 * A function, or undefined. Not `void`: a call typed void may return anything at run time (the DOM
 * types say scrollIntoView returns void; Chromium 156 returns a promise).
 */
function isCleanup(type: ts.Type): boolean {
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((t) => (t.flags & ts.TypeFlags.Undefined) !== 0 || t.getCallSignatures().length > 0);
}

/** `file:line: what` for every effect that may return something React cannot call. */
function effectsReturningValues(program: ts.Program, files: readonly string[]): string[] {
  const checker = program.getTypeChecker();
  const problems: string[] = [];
  const report = (sf: ts.SourceFile, node: ts.Node, type: ts.Type): void => {
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    problems.push(`${path.relative(repoRoot, sf.fileName)}:${line + 1}: an effect returns ${checker.typeToString(type)}`);
  };
  for (const file of files) {
    const sf = program.getSourceFile(file)!;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = ts.isPropertyAccessExpression(node.expression) ? node.expression.name.text : ts.isIdentifier(node.expression) ? node.expression.text : '';
        const effect = node.arguments[0];
        if (EFFECT_HOOKS.has(callee) && effect && (ts.isArrowFunction(effect) || ts.isFunctionExpression(effect))) {
          if (!ts.isBlock(effect.body)) {
            const type = checker.getTypeAtLocation(effect.body);
            if (!isCleanup(type)) report(sf, effect.body, type);
          } else {
            const returns = (n: ts.Node): void => {
              if (ts.isReturnStatement(n) && n.expression) {
                const type = checker.getTypeAtLocation(n.expression);
                if (!isCleanup(type)) report(sf, n, type);
              }
              // a nested function's returns are its own
              if (!ts.isFunctionLike(n)) ts.forEachChild(n, returns);
            };
            ts.forEachChild(effect.body, returns);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return problems;
}

function appProgram(): { program: ts.Program; files: string[] } {
  const configPath = path.join(repoRoot, 'web/app/tsconfig.json');
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } })!;
  const program = ts.createProgram(config.fileNames, config.options);
  return { program, files: config.fileNames.filter((f) => f.includes(`${path.sep}src${path.sep}`)) };
}

describe('the web app\'s effects', () => {
  it('return a cleanup function or nothing, never a value React would call', () => {
    const { program, files } = appProgram();
    expect(files.length).toBeGreaterThan(20);
    expect(effectsReturningValues(program, files)).toEqual([]);
  });

  it('the check finds the mistake it is for', () => {
    const file = path.join(repoRoot, 'web/app/src/__effect-probe.tsx');
    const source = [
      "import { useEffect, useRef } from 'react';",
      'export function Probe(): null {',
      '  const el = useRef<HTMLDivElement>(null);',
      '  useEffect(() => el.current?.scrollIntoView(), []);',
      '  useEffect(() => { if (el.current) return 5; return () => undefined; }, []);',
      '  useEffect(() => { const t = setTimeout(() => 1, 5); return () => clearTimeout(t); }, []);',
      '  useEffect(() => { el.current?.focus(); }, []);',
      '  return null;',
      '}',
    ].join('\n');
    const { program: base } = appProgram();
    const host = ts.createCompilerHost(base.getCompilerOptions());
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, ...rest) => (name === file ? ts.createSourceFile(name, source, lang, true, ts.ScriptKind.TSX) : read(name, lang, ...rest));
    const program = ts.createProgram([...base.getRootFileNames(), file], base.getCompilerOptions(), host);
    expect(effectsReturningValues(program, [file])).toEqual([
      'web/app/src/__effect-probe.tsx:4: an effect returns void | undefined',
      'web/app/src/__effect-probe.tsx:5: an effect returns 5',
    ]);
  });
});
