// The generator's inputs from the repository (catalogue, printf formats, supplement, the samples of
// stated versions) and its outputs as file texts; shared by the CLI and the test that checks the
// committed files are current.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseText } from '../../../parser/index.js';
import { CatalogueIndex } from '../../../lifecycle/catalogue.js';
import type { Catalogue } from '../../../lifecycle/catalogue-types.js';
import type { VerbositySupplement } from '../../../lifecycle/kubelet-knowledge-types.js';
import { buildKubeletKnowledge, type BuildInputs, type ObservedSites } from './build.js';
import { compactJson } from './compact-json.js';
import type { PrintfFormat } from './entry-match.js';
import { sitesOfList, sitesOfRecords } from './observed-sites.js';

export const OUTPUT_FILES = { verbosity: 'schemas/kubelet-verbosity.json', callsites: 'schemas/kubelet-callsites.json' } as const;

export function readKubeletKnowledgeInputs(repoRoot: string, tables: { name: string; text: string }[]): BuildInputs {
  const json = <T>(rel: string): T => JSON.parse(readFileSync(path.join(repoRoot, rel), 'utf8')) as T;
  const catalogue = json<Catalogue>('schemas/lifecycle-catalogue.json');
  const printf = json<{ messages: PrintfFormat[] }>('schemas/printf-messages.json').messages;
  const supplement = json<VerbositySupplement>('schemas/kubelet-verbosity-supplement.json');
  const index = new CatalogueIndex(catalogue);
  const observed: ObservedSites[] = supplement.observed.map((o) => {
    if (!o.sample) return sitesOfList(o);
    const parsed = parseText(readFileSync(path.join(repoRoot, 'samples/real', o.sample)), { year: 2024 });
    return { version: o.version, source: o.source, sites: sitesOfRecords(parsed.records, index) };
  });
  return { catalogue, printf, supplement, tables, observed };
}

export function renderKubeletKnowledge(inputs: BuildInputs): { files: Record<string, string>; notes: string[] } {
  const out = buildKubeletKnowledge(inputs);
  return {
    files: {
      [OUTPUT_FILES.verbosity]: compactJson(out.verbosity, 4),
      [OUTPUT_FILES.callsites]: compactJson(out.callsites, 2),
    },
    notes: out.notes,
  };
}
