import { defineRedlockProject } from '../../vitest.shared.js';

// Tests start real `redlock` processes (through tsx) against real servers:
// process start-up on two loaded cores is slow, hence the long timeouts.
export default defineRedlockProject('cli', {
  test: { testTimeout: 60_000, hookTimeout: 60_000 },
});
