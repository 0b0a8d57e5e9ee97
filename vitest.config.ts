import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**', 'dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // CLI tests spawn real subprocesses; two workers match the machine's two cores
    maxWorkers: 2,
    // .ci/run asks for a JSON report to print its "N passed, N failed" line
    reporters: process.env.KUBELOG_TEST_REPORT ? ['default', ['json', { outputFile: process.env.KUBELOG_TEST_REPORT }]] : ['default'],
  },
});
