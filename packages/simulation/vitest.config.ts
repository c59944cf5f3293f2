import { defineRedlockProject } from '../../vitest.shared.js';

export default defineRedlockProject('simulation', { test: { testTimeout: 90_000 } });
