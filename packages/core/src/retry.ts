import type { AttemptReport, NodeOutcome } from './reports.js';
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

/**
 * Whether a failed attempt looks like a split vote: it got at least one
 * node, and every other node that answered was held by someone else (no
 * node failed). Waiters that a release woke at the same moment split the
 * nodes between them (2-2-1 of 5) and all undo, so nobody holds the lock
 * and no release will wake them: waiting the full retry delay then leaves
 * the lock idle. The outcomes cannot tell this from a holder that has
 * some of the nodes, so the caller asks only after a release woke the
 * attempt (or after a split, a few times in a row): the price of a wrong
 * guess is a few early retries.
 */
export function isSplitVote(report: AttemptReport): boolean {
  let votes = 0;
  for (const outcome of report.outcomes) {
    if (outcome.status === 'acquired') votes++;
    else if (outcome.status !== 'held' && outcome.status !== 'pending') return false;
  }
  return votes > 0;
}

/**
 * The wait after the `splits`-th split vote in a row: random within a
 * window of round times that doubles with each split (as Ethernet backs off
 * after a collision), so the waiters that split try again one after the
 * other; never longer than the usual retry delay could be.
 */
export function splitBackoffMs(
  plan: { readonly retryDelay: number; readonly retryJitter: number },
  roundMs: number,
  splits: number,
  runtime: RedlockRuntime,
): number {
  const windowMs = Math.min(
    plan.retryDelay + plan.retryJitter,
    Math.max(MIN_SLOT_MS, roundMs) * 2 ** Math.min(splits, MAX_DOUBLINGS),
  );
  return runtime.random() * windowMs;
}

/** A round that took less still gets a slot this long (timer granularity). */
const MIN_SLOT_MS = 1;
const MAX_DOUBLINGS = 6;
