import { defineRedlockProject } from '../../vitest.shared.js';

export default defineRedlockProject('compat', {
  test: { testTimeout: 30_000, hookTimeout: 60_000 },
});
