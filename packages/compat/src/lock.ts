import type { Lock as CoreLock } from '@redlock/core';
import type { ExecutionResult, ExecutionStats } from './execution-stats.js';
import type Redlock from './redlock.js';

/** The `@redlock/core` lock behind each compat lock, and whether it came from a v4 call. */
interface LockHandle {
  readonly core: CoreLock;
  readonly v4: boolean;
}

const handles = new WeakMap<Lock, LockHandle>();

/** @internal */
export function attachCoreLock(lock: Lock, core: CoreLock, v4: boolean): Lock {
  handles.set(lock, { core, v4 });
  return lock;
}

/** @internal The core lock, or `undefined` for a `Lock` an app constructed itself. */
export function handleOf(lock: Lock): LockHandle | undefined {
  return handles.get(lock);
}

/**
 * A lock held on a quorum of servers, as node-redlock's `Lock`: `release()`
 * and `extend()` call the same methods of its `redlock`. `extend` resolves
 * with a new `Lock` and sets this one's `expiration` to 0, as in v5.
 *
 * ```ts
 * let lock = await redlock.acquire(['orders:42'], 5000);
 * try {
 *   lock = await lock.extend(5000);
 * } finally {
 *   await lock.release();
 * }
 * ```
 */
export class Lock {
  constructor(
    public readonly redlock: Redlock,
    public readonly resources: string[],
    public readonly value: string,
    public readonly attempts: ReadonlyArray<Promise<ExecutionStats>>,
    /** Epoch ms when the lock's validity ends; 0 once released or replaced by an extension. */
    public expiration: number,
  ) {}

  /** Delete the lock's keys on every server. Never rejects because the lock already expired. */
  async release(): Promise<ExecutionResult> {
    return this.redlock.release(this);
  }

  /** Reset the lock's TTL to `duration` ms; resolves with the extended lock. */
  async extend(duration: number): Promise<Lock> {
    return this.redlock.extend(this, duration);
  }

  /** node-redlock v4's name for `release()`. */
  async unlock(): Promise<void> {
    return this.redlock.unlock(this);
  }

  /** node-redlock v4's name for `resources`. */
  get resource(): string[] {
    return this.resources;
  }
}
