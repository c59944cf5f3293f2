import { type AttemptReport, LockLostError, type NodeOutcome } from './errors.js';
import { describeResources, formatMs } from './messages.js';
import { validateTtl } from './validate.js';

/**
 * What `lock.release()` did on each node. Releasing never throws. It
 * resolves once a quorum of nodes deleted the keys (or every node answered,
 * or the per-node timeout passed); nodes that had not answered by then are
 * `pending`: they were sent the release and apply it in order.
 */
export interface ReleaseReport {
  /** Nodes that confirmed deleting a key of this lock before the report was made. */
  readonly releasedNodes: number;
  /** Per node, in the order the nodes were given to `Redlock`. */
  readonly outcomes: readonly NodeOutcome[];
}

/** The result of an extension round, as the engine hands it to a lock. */
export interface ExtensionResult {
  readonly succeeded: boolean;
  readonly report: AttemptReport;
  /** Monotonic end of the new validity window (meaningful when `succeeded`). */
  readonly validUntil: number;
  /** The one-line explanation when it failed. */
  readonly description: string;
}

/** @internal What a Lock needs from the Redlock that created it. */
export interface LockEngine {
  now(): number;
  epochNow(): number;
  /** The drift allowance for a TTL: validity ends this long before the keys expire. */
  driftMs(ttlMs: number): number;
  extendKeys(keys: readonly string[], value: string, ttlMs: number): Promise<ExtensionResult>;
  releaseKeys(keys: readonly string[], value: string): Promise<ReleaseReport>;
}

type LockState = 'held' | 'released' | 'lost';

/**
 * A lock held on a quorum of nodes. Keep it while you work, then release it:
 *
 * ```ts
 * const lock = await redlock.acquire('orders:42', 5000);
 * try {
 *   await work();
 *   await lock.extend(5000); // need more time
 * } finally {
 *   await lock.release();
 * }
 * // or: await using lock = await redlock.acquire('orders:42', 5000);
 * ```
 *
 * `expiration` is when the lock's validity ends (epoch ms): past it, another
 * owner may hold the resources. It is conservative: the keys live slightly
 * longer on the nodes, to absorb clock drift.
 */
export class Lock implements AsyncDisposable {
  /** The locked resources, in the order they were given. */
  readonly resources: readonly string[];
  /** This lock's random value, stored in every key it holds. */
  readonly value: string;
  /** Every failed attempt before this lock was acquired. */
  readonly attempts: readonly AttemptReport[];
  #expiration: number;
  #validUntil: number;
  #state: LockState = 'held';
  readonly #engine: LockEngine;

  /** @internal Locks are created by `Redlock`; construct them yourself only in tests. */
  constructor(
    engine: LockEngine,
    resources: readonly string[],
    value: string,
    validUntil: number,
    attempts: readonly AttemptReport[],
  ) {
    this.#engine = engine;
    this.resources = resources;
    this.value = value;
    this.#validUntil = validUntil;
    this.#expiration = engine.epochNow() + (validUntil - engine.now());
    this.attempts = attempts;
  }

  /** Epoch milliseconds at which this lock's validity ends. */
  get expiration(): number {
    return this.#expiration;
  }

  /** @internal Monotonic end of validity, on the Redlock's runtime clock. */
  get validUntil(): number {
    return this.#validUntil;
  }

  /** `'held'` until released, or `'lost'` after a failed extension. */
  get state(): LockState {
    return this.#state;
  }

  /**
   * Reset the TTL of every key to `ttlMs`, on a quorum of nodes, within the
   * current validity. Resolves with this lock (with a new `expiration`);
   * rejects with a `LockLostError` (`EXTEND_FAILED`) if the lock was
   * released, lost, already expired, or could not be extended on a quorum.
   * A failed extension marks the lock lost and releases what is left of it.
   * An expired lock is never revived.
   */
  async extend(ttlMs: number): Promise<this> {
    validateTtl(ttlMs);
    if (this.#state !== 'held') {
      throw this.#extendError(`it was ${this.#state === 'released' ? 'released' : 'lost'}`, []);
    }
    const lateByMs = this.#engine.now() - this.#validUntil;
    if (lateByMs >= 0) {
      this.#lose();
      throw this.#extendError(`its validity ended ${formatMs(lateByMs)} ago`, []);
    }
    // The nodes may apply a shorter TTL the moment they receive the request, so
    // while the round is in flight the lock must not claim more than that.
    const startedAt = this.#engine.now();
    const shortestValidUntil = startedAt + ttlMs - this.#engine.driftMs(ttlMs);
    if (shortestValidUntil < this.#validUntil) {
      this.#validUntil = shortestValidUntil;
      this.#expiration = this.#engine.epochNow() + (shortestValidUntil - startedAt);
    }
    const result = await this.#engine.extendKeys(this.resources, this.value, ttlMs);
    // Released, or lost by a concurrent extension (which also released the keys):
    // a success of this round must not be reported for a lock that is gone.
    if ((this.#state as LockState) !== 'held') {
      throw this.#extendError(`it was ${this.#state} while extending`, [result.report]);
    }
    if (!result.succeeded) {
      this.#lose();
      throw this.#extendError(result.description, [result.report]);
    }
    this.#validUntil = result.validUntil;
    this.#expiration = this.#engine.epochNow() + result.report.validityMs;
    return this;
  }

  /**
   * Delete this lock's keys on every node; resolves once a quorum confirmed.
   * Never throws: a lock that already expired, or a node that is down, shows
   * up in the report. Safe to call twice.
   */
  async release(): Promise<ReleaseReport> {
    this.#state = 'released';
    return this.#engine.releaseKeys(this.resources, this.value);
  }

  /** `await using lock = await redlock.acquire(...)` releases at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#state !== 'released') await this.release();
  }

  #lose(): void {
    this.#state = 'lost';
    // Don't leave our keys to block others until their TTL when we know the lock is gone.
    // Not awaited: the loss is certain now, and `using` must hear of it before the
    // validity ends, not after a dead node's release timed out. (It never rejects.)
    void this.#engine.releaseKeys(this.resources, this.value);
  }

  #extendError(why: string, attempts: readonly AttemptReport[]): LockLostError {
    return new LockLostError(
      'EXTEND_FAILED',
      `could not extend the lock on ${describeResources(this.resources)}: ${why}`,
      this.resources,
      attempts,
    );
  }
}
