// Writes oclif.manifest.json after the build, so that a command starts by importing only its own
// module (without it oclif imports every command to find one). Regenerated on every build.
import { rmSync, writeFileSync } from 'node:fs';
import { Config } from '@oclif/core';

const root = new URL('..', import.meta.url).pathname;
const manifest = new URL('../oclif.manifest.json', import.meta.url);
// oclif reads the commands from an existing manifest: the old one would hide new commands
rmSync(manifest, { force: true });
const config = await Config.load({ root });
const plugin = config.plugins.get(config.pjson.name);
if (!plugin) throw new Error(`plugin ${config.pjson.name} not found`);
writeFileSync(manifest, JSON.stringify(plugin.manifest, null, 1) + '\n');
console.error(`oclif.manifest.json: ${Object.keys(plugin.manifest.commands).length} commands`);
