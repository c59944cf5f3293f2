import { defineRedlockProject } from '../../vitest.shared.js';

// Scenarios run several worker processes against real servers for seconds each.
export default defineRedlockProject('fault-tests', {
  test: { testTimeout: 120_000, hookTimeout: 60_000 },
});
