import { expect } from 'vitest';
import type { track } from './track.js';
import { flushMicrotasks, type VirtualRuntime } from './virtual-runtime.js';

/**
 * Releases through `release` and checks that `waiter`, still waiting before,
 * settled at that same virtual moment: a release woke it, not a timer.
 */
export async function expectWokenBy(
  runtime: VirtualRuntime,
  waiter: ReturnType<typeof track>,
  release: () => Promise<unknown>,
): Promise<void> {
  expect(waiter.settled).toBe(false);
  const releasedAt = runtime.now();
  await release();
  await flushMicrotasks();
  expect(waiter.settled).toBe(true);
  expect(runtime.now()).toBe(releasedAt);
}
