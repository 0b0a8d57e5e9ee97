#!/usr/bin/env node
// The published entry point: oclif finds the compiled commands through package.json "oclif".
// A command reports its own failures (cli/lib/command.ts); what fails before there is a command
// (an unknown one) is reported here, as JSON too when --json was asked for.
import { Errors, run } from '@oclif/core';

const argv = process.argv.slice(2);
try {
  await run(argv, import.meta.url);
  // no oclif flush(): it waits for a 'drain' that a stdout whose reader went away (`| head`) never
  // sends, and Node exits 13 with the await unsettled; stdout to a pipe or file is written
  // synchronously on Linux, so there is nothing to wait for

} catch (e) {
  if (argv.includes('--json') && !(e instanceof Errors.ExitError)) {
    const { describeError } = await import('../../dist/cli/lib/errors.js');
    const { writeErrorJson } = await import('../../dist/cli/lib/command.js');
    const report = describeError(e);
    if (/^command .* not found$/.test(report.message)) Object.assign(report, { code: 'UNKNOWN_COMMAND', exit: 2, input: argv.find((a) => !a.startsWith('-')) ?? null });
    process.exitCode = report.exit;
    writeErrorJson(report);
  } else await Errors.handle(e);
}
