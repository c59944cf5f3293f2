import { RedlockError } from '@redlock/core';
import type { ExecutionStats } from './execution-stats.js';

/**
 * A server refused a vote because another owner holds one of the keys (or, in
 * `release` and `extend`, because our value was no longer there). It is the
 * `Error` in `votesAgainst` and on the `error` event; it is never thrown.
 * Its message is node-redlock's, e.g.
 * `The operation was applied to: 0 of the 1 requested resources.`
 */
export class ResourceLockedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResourceLockedError';
  }
}

/** node-redlock's text for a lock or extension that did not reach a quorum. */
export const NO_QUORUM_MESSAGE =
  'The operation was unable to achieve a quorum during its retry window.';

/**
 * An operation did not reach a quorum. `message` is node-redlock's (users
 * match on it); `cause` is `@redlock/core`'s error, whose message says in one
 * line what each server did, and `attempts` resolve to per-attempt votes.
 */
export class ExecutionError extends RedlockError {
  readonly attempts: ReadonlyArray<Promise<ExecutionStats>>;

  constructor(
    message: string,
    attempts: ReadonlyArray<Promise<ExecutionStats>>,
    options?: { cause?: unknown; code?: 'ACQUIRE_FAILED' | 'EXTEND_FAILED' },
  ) {
    super(options?.code ?? 'ACQUIRE_FAILED', message, options);
    this.name = 'ExecutionError';
    this.attempts = attempts;
  }
}

/**
 * The error of the v4 calls (`redlock.lock`, `redlock.unlock`), also reachable
 * as `Redlock.LockError` as in node-redlock v4. `attempts` is the number of
 * attempts, as v4 reported it.
 */
export class LockError extends RedlockError {
  readonly attempts: number;

  constructor(message: string, attempts: number, options?: { cause?: unknown }) {
    super('ACQUIRE_FAILED', message, options);
    this.name = 'LockError';
    this.attempts = attempts;
  }
}
