import { defineRedlockProject } from '../../vitest.shared.js';

export default defineRedlockProject('doc-snippets', {
  test: { testTimeout: 60_000, hookTimeout: 60_000 },
});
