import { defineRedlockProject } from '../../vitest.shared.js';

// Real servers for every client and major: generous hooks for starting them.
export default defineRedlockProject('redis-adapter-tests', {
  test: { testTimeout: 30_000, hookTimeout: 60_000 },
});
