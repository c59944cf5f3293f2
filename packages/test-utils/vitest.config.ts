import { defineRedlockProject } from '../../vitest.shared.js';

export default defineRedlockProject('test-utils', { test: { testTimeout: 20_000 } });
