import { defineRedlockProject } from '../../vitest.shared.js';

export default defineRedlockProject('redis-scripts', {
  test: { testTimeout: 30_000, hookTimeout: 60_000 },
});
