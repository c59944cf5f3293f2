import type { NodeOutcome } from './reports.js';
import type { RedlockRuntime } from './runtime.js';

/**
 * How long to wait before the next attempt: `retryDelay` plus up to
 * `retryJitter` at random, but never longer than the holder's remaining TTL
 * where the nodes reported it (plus a little jitter, so waiters whose timers
 * all point at the same expiry don't retry in lockstep).
 */
export function retryDelayMs(
  plan: { readonly retryDelay: number; readonly retryJitter: number },
  outcomes: readonly NodeOutcome[],
  runtime: RedlockRuntime,
): number {
  const random = runtime.random();
  const delayMs = plan.retryDelay + random * plan.retryJitter;
  let holderTtlMs = -1;
  for (const outcome of outcomes) {
    if (outcome.status === 'held' && outcome.pttl > holderTtlMs) holderTtlMs = outcome.pttl;
  }
  if (holderTtlMs < 0) return delayMs;
  return Math.min(delayMs, holderTtlMs + 1 + (random * plan.retryJitter) / 4);
}
