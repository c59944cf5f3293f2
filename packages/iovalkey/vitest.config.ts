import { defineRedlockProject } from '../../vitest.shared.js';

export default defineRedlockProject('iovalkey', {
  test: { testTimeout: 30_000, hookTimeout: 60_000 },
});
