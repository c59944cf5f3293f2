import { defineRedlockProject } from '../../vitest.shared.js';

// test/broken/ holds suites that must fail; test/broken-nodes.test.ts runs
// them in a child vitest with its own config. The default include
// (test/**/*.test.ts) does not match their *.suite.ts names.
export default defineRedlockProject('conformance');
