// Regenerates schemas/kubelet-verbosity.json and schemas/kubelet-callsites.json from the reference
// call tables (not part of the repo) and schemas/kubelet-verbosity-supplement.json.
//
//   npm run build && node dist/schemas/tools/kubelet-verbosity/cli.js [--reference DIR] [--check]
//
// DIR holds kubelet-messages/all-klog-calls-pkg-kubelet-<ver>.tsv (default: ../shared/reference
// next to the repository, or $KUBELOG_REFERENCE). --check writes nothing and exits 1 when the
// committed files differ from what the reference gives.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readKubeletKnowledgeInputs, renderKubeletKnowledge } from './inputs.js';

const repoRoot = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));

function main(argv: string[]): number {
  let reference = process.env.KUBELOG_REFERENCE ?? path.resolve(repoRoot, '../shared/reference');
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--check') check = true;
    else if (a === '--reference' && argv[i + 1]) reference = path.resolve(argv[++i]!);
    else {
      process.stderr.write(`unknown argument ${JSON.stringify(a)}\nusage: kubelet-verbosity [--reference DIR] [--check]\n`);
      return 2;
    }
  }
  const tablesDir = path.join(reference, 'kubelet-messages');
  if (!existsSync(tablesDir)) {
    process.stderr.write(`kubelet-verbosity: no reference call tables at ${tablesDir}: pass --reference DIR (the folder holding kubelet-messages/) or set KUBELOG_REFERENCE\n`);
    return 2;
  }
  const tables = readdirSync(tablesDir)
    .filter((f) => /^all-klog-calls-pkg-kubelet-.*\.tsv$/.test(f))
    .sort()
    .map((name) => ({ name, text: readFileSync(path.join(tablesDir, name), 'utf8') }));
  const out = renderKubeletKnowledge(readKubeletKnowledgeInputs(repoRoot, tables));
  let stale = 0;
  for (const [file, text] of Object.entries(out.files)) {
    const target = path.join(repoRoot, file);
    const same = existsSync(target) && readFileSync(target, 'utf8') === text;
    if (check) {
      if (!same) {
        stale++;
        process.stderr.write(`${file} differs from what ${tablesDir} gives: run without --check to regenerate\n`);
      }
    } else if (!same) writeFileSync(target, text);
  }
  for (const n of out.notes) process.stdout.write(`note: ${n}\n`);
  process.stdout.write(`${check ? 'checked' : 'wrote'} ${Object.keys(out.files).join(', ')} from ${tables.length} tables\n`);
  return stale ? 1 : 0;
}

function findRepoRoot(from: string): string {
  for (let d = from; d !== path.dirname(d); d = path.dirname(d)) if (existsSync(path.join(d, 'package.json'))) return d;
  throw new Error(`no package.json above ${from}`);
}

process.exitCode = main(process.argv.slice(2));
