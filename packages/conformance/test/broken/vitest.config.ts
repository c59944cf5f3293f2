import { fileURLToPath } from 'node:url';
import { defineRedlockProject } from '../../../../vitest.shared.js';

// Runs the suites in this folder, which must FAIL: each applies the
// conformance suite to a deliberately broken node. Only
// test/broken-nodes.test.ts runs this config, in a child process, and
// checks which tests failed. The package's own config never includes
// *.suite.ts files.
const config = defineRedlockProject('conformance-broken', {
  root: fileURLToPath(new URL('.', import.meta.url)),
});
// Replace, not extend, the shared include (mergeConfig concatenates arrays).
config.test = { ...config.test, include: ['*.suite.ts'] };

export default config;
