/**
 * Every error this library throws is a {@link RedlockError}; switch on
 * `error.code` rather than on the class when you need to tell them apart.
 *
 * ```ts
 * try {
 *   await redlock.acquire('orders:42', 5000);
 * } catch (error) {
 *   if (error instanceof RedlockError && error.code === 'ACQUIRE_FAILED') {
 *     console.log(error.attempts.length, 'attempts');
 *   }
 * }
 * ```
 */
export type RedlockErrorCode =
  | 'INVALID_ARGUMENT'
  | 'ACQUIRE_FAILED'
  | 'EXTEND_FAILED'
  | 'LOCK_LOST'
  | 'ABORTED';

/**
 * What one node did in one round of requests. `acquired`, `extended` and
 * `released` are successes of the matching operation; `held` means another
 * owner holds a key (with its remaining TTL, -1 if unknown); `not-held` means
 * our value was not there to extend or release (expired, or never set);
 * `error` carries the node's rejection; `timeout` means no answer within the
 * per-node timeout; `pending` means the round was decided before the node
 * answered.
 */
export type NodeOutcome =
  | {
      readonly node: string;
      readonly status: 'acquired' | 'extended' | 'not-held' | 'pending' | 'timeout';
    }
  | { readonly node: string; readonly status: 'released'; readonly deleted: number }
  | { readonly node: string; readonly status: 'held'; readonly pttl: number }
  | { readonly node: string; readonly status: 'error'; readonly cause: unknown };

/** One round of requests to every node: an acquisition attempt or an extension. */
export interface AttemptReport {
  /** Per node, in the order the nodes were given to `Redlock`. */
  readonly outcomes: readonly NodeOutcome[];
  /** Monotonic ms the round took until it was decided. */
  readonly elapsedMs: number;
  /** Remaining validity when the round was decided (may be <= 0). */
  readonly validityMs: number;
}

/** Base class of every error thrown by `@redlock/*`. */
export class RedlockError extends Error {
  readonly code: RedlockErrorCode;

  constructor(code: RedlockErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RedlockError';
    this.code = code;
  }
}

/** Bad input: thrown before any node is touched. */
export class InvalidArgumentError extends RedlockError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
    this.name = 'InvalidArgumentError';
  }
}

/**
 * The lock could not be acquired within the retry budget, the wait timeout,
 * or before the caller's signal aborted (`code` is then `'ABORTED'` and
 * `cause` is the signal's reason).
 */
export class LockAcquireError extends RedlockError {
  readonly resources: readonly string[];
  readonly attempts: readonly AttemptReport[];

  constructor(
    code: 'ACQUIRE_FAILED' | 'ABORTED',
    message: string,
    resources: readonly string[],
    attempts: readonly AttemptReport[],
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = 'LockAcquireError';
    this.resources = resources;
    this.attempts = attempts;
  }
}

/**
 * An extension failed (`EXTEND_FAILED`), or a lock that `using` was keeping
 * alive was lost (`LOCK_LOST`). Either way the lock must be treated as gone.
 */
export class LockLostError extends RedlockError {
  readonly resources: readonly string[];
  readonly attempts: readonly AttemptReport[];

  constructor(
    code: 'EXTEND_FAILED' | 'LOCK_LOST',
    message: string,
    resources: readonly string[],
    attempts: readonly AttemptReport[],
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = 'LockLostError';
    this.resources = resources;
    this.attempts = attempts;
  }
}
