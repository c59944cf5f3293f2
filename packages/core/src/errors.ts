import type { AttemptReport } from './reports.js';

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
