import { extendTraced, releaseTraced, traceExtend, traceRelease } from './diagnostics.js';
import { LockLostError } from './errors.js';
import { extendFailedMessage, formatMs } from './messages.js';
import type { Quorum } from './quorum.js';
import type { AttemptReport, ReleaseReport } from './reports.js';
import { validateTtl } from './validate.js';
import type { Validity } from './verdict.js';

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
  /**
   * With `new Redlock(nodes, { fencing: true })`: a number that grows with
   * every acquisition of an overlapping resource. Send it with each write to
   * the protected resource, and let the resource refuse a token older than
   * the newest it accepted (e.g. `UPDATE ... SET ..., fence = $token WHERE id
   * = $id AND fence < $token`). `extend` keeps it. `undefined` without fencing.
   */
  readonly fencingToken: bigint | undefined;
  #validity: Validity;
  #state: LockState = 'held';
  readonly #quorum: Quorum;

  /** @internal Locks are created by `Redlock`; construct them yourself only in tests. */
  constructor(
    quorum: Quorum,
    resources: readonly string[],
    value: string,
    validity: Validity,
    attempts: readonly AttemptReport[],
    fencingToken?: bigint,
  ) {
    this.#quorum = quorum;
    this.resources = resources;
    this.value = value;
    this.#validity = validity;
    this.attempts = attempts;
    this.fencingToken = fencingToken;
  }

  /** Epoch milliseconds at which this lock's validity ends. */
  get expiration(): number {
    return this.#validity.expiration;
  }

  /** @internal Monotonic end of validity, on the Redlock's runtime clock. */
  get validUntil(): number {
    return this.#validity.validUntil;
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
  extend(ttlMs: number): Promise<this> {
    // Not async itself: untraced, it costs no extra promise.
    if (!extendTraced()) return this.#extend(ttlMs);
    return traceExtend(this, ttlMs, (onRound) => this.#extend(ttlMs, onRound));
  }

  async #extend(ttlMs: number, onRound?: (report: AttemptReport) => void): Promise<this> {
    validateTtl(ttlMs);
    if (this.#state !== 'held') {
      throw this.#extendError(`it was ${this.#state === 'released' ? 'released' : 'lost'}`, []);
    }
    const lateByMs = this.#quorum.runtime.now() - this.#validity.validUntil;
    if (lateByMs >= 0) {
      this.#lose();
      throw this.#extendError(`its validity ended ${formatMs(lateByMs)} ago`, []);
    }
    // The nodes may apply a shorter TTL the moment they receive the request, so
    // while the round is in flight the lock must not claim more than that.
    const shortest = this.#quorum.validityFromNow(ttlMs);
    if (shortest.validUntil < this.#validity.validUntil) this.#validity = shortest;
    const verdict = await this.#quorum.extend(this.resources, this.value, ttlMs);
    onRound?.(verdict.report);
    // Released, or lost by a concurrent extension (which also released the keys):
    // a success of this round must not be reported for a lock that is gone.
    if ((this.#state as LockState) !== 'held') {
      throw this.#extendError(`it was ${this.#state} while extending`, [verdict.report]);
    }
    if (!verdict.succeeded) {
      this.#lose();
      throw this.#extendError(verdict.describe(), [verdict.report]);
    }
    this.#validity = verdict.validity;
    return this;
  }

  /**
   * Delete this lock's keys on every node; resolves once a quorum confirmed.
   * Never throws: a lock that already expired, or a node that is down, shows
   * up in the report. Safe to call twice.
   */
  release(): Promise<ReleaseReport> {
    if (!releaseTraced()) return this.#release();
    return traceRelease(this, () => this.#release());
  }

  // Not async: `Quorum.release` is, and a second async layer only adds promise hops.
  #release(): Promise<ReleaseReport> {
    this.#state = 'released';
    return this.#quorum.release(this.resources, this.value);
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
    void this.#quorum.release(this.resources, this.value);
  }

  #extendError(why: string, attempts: readonly AttemptReport[]): LockLostError {
    return new LockLostError(
      'EXTEND_FAILED',
      extendFailedMessage(this.resources, why),
      this.resources,
      attempts,
    );
  }
}
