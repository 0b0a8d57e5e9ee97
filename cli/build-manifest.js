// Writes oclif.manifest.json after the build, so that a command starts by importing only its own
// module (without it oclif imports every command to find one). Regenerated on every build.
import { writeFileSync } from 'node:fs';
import { Config } from '@oclif/core';

const root = new URL('..', import.meta.url).pathname;
const config = await Config.load({ root });
const plugin = config.plugins.get(config.pjson.name);
if (!plugin) throw new Error(`plugin ${config.pjson.name} not found`);
writeFileSync(new URL('../oclif.manifest.json', import.meta.url), JSON.stringify(plugin.manifest, null, 1) + '\n');
console.error(`oclif.manifest.json: ${Object.keys(plugin.manifest.commands).length} commands`);
