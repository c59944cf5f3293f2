import { defineRedlockProject } from '../../vitest.shared.js';

export default defineRedlockProject('valkey-glide', {
  test: { testTimeout: 30_000, hookTimeout: 60_000 },
});
