import { Acquisition, type AcquisitionHooks } from './acquisition.js';
import { acquireTraced, diagnosticsHooks, traceAcquire } from './diagnostics.js';
import { InvalidArgumentError } from './errors.js';
import { keepAlive } from './keep-alive.js';
import type { Lock } from './lock.js';
import type { LockNode } from './lock-node.js';
import type { AcquireOptions, RedlockOptions, UsingOptions } from './options.js';
import { Quorum } from './quorum.js';
import type { RedlockRuntime } from './runtime.js';
import { type RetryPlan, validateRedlockSettings, validateRetryPlan } from './settings.js';
import {
  validateOptionsObject,
  validateResources,
  validateSignal,
  validateTimerMs,
  validateTtl,
} from './validate.js';
import { WaitLines } from './wait-line.js';

/** The routine run by {@link Redlock.using}. */
export type LockRoutine<T> = (signal: AbortSignal, lock: Lock) => Promise<T> | T;

/**
 * The Redlock algorithm over N independent {@link LockNode}s: a lock is held
 * when a majority of nodes agreed within the lock's validity.
 *
 * ```ts
 * import { Redlock } from '@redlock/core';
 * const redlock = new Redlock([nodeA, nodeB, nodeC, nodeD, nodeE]);
 * await redlock.using('orders:42', 5000, async (signal) => {
 *   // the lock is extended while this runs; `signal` aborts if it is lost
 * });
 * ```
 *
 * Options and their defaults are described on {@link RedlockOptions}. This
 * class only checks arguments and hands over: the rounds are in `quorum.ts`,
 * the retry loop in `acquisition.ts`.
 */
export class Redlock implements AsyncDisposable {
  /** The nodes, in the order given. */
  readonly nodes: readonly LockNode[];
  /** How many nodes must agree. */
  readonly quorum: number;
  readonly driftFactor: number;
  readonly nodeTimeoutMs: number;
  readonly automaticExtensionThreshold: number;
  /** Whether locks carry a fencing token (`lock.fencingToken`). */
  readonly fencing: boolean;
  /** The restart guard in ms; 0 when off. */
  readonly restartGuardMs: number;
  readonly #retryDefaults: Omit<RetryPlan, 'signal'>;
  readonly #runtime: RedlockRuntime;
  readonly #acquisition: Acquisition;
  readonly #lines: WaitLines;

  constructor(nodes: readonly LockNode[], options: RedlockOptions = {}) {
    const settings = validateRedlockSettings(nodes, options);
    this.nodes = settings.nodes;
    this.quorum = settings.quorum;
    this.driftFactor = settings.driftFactor;
    this.nodeTimeoutMs = settings.nodeTimeoutMs;
    this.automaticExtensionThreshold = settings.automaticExtensionThreshold;
    this.fencing = settings.fencing;
    this.restartGuardMs = settings.restartGuardMs;
    this.#retryDefaults = settings.retry;
    this.#runtime = settings.runtime;
    const lines = new WaitLines(
      this.nodes,
      this.quorum,
      this.nodeTimeoutMs,
      this.#runtime,
      settings.waitingLine,
    );
    this.#lines = lines;
    const quorum = new Quorum(settings, lines);
    const hooks: AcquisitionHooks = diagnosticsHooks;
    this.#acquisition = new Acquisition(quorum, lines, hooks);
  }

  /**
   * Acquire a lock on `resources` for `ttlMs`, retrying while they are held
   * (see `retryCount`, `waitTimeoutMs`, `signal`). Rejects with
   * `InvalidArgumentError` on bad input before any node is touched, and with
   * `LockAcquireError` when it gives up.
   */
  async acquire(
    resources: string | readonly string[],
    ttlMs: number,
    options: AcquireOptions = {},
  ): Promise<Lock> {
    const keys = validateResources(resources);
    validateTtl(ttlMs);
    const plan = validateRetryPlan(options, this.#retryDefaults);
    if (!acquireTraced()) return this.#acquisition.acquire(keys, ttlMs, plan);
    return traceAcquire('acquire', keys, ttlMs, this.#runtime, () =>
      this.#acquisition.acquire(keys, ttlMs, plan),
    ) as Promise<Lock>;
  }

  /**
   * One attempt, no waiting: resolves with the lock, or `null` on
   * contention; rejects with a `LockAcquireError` when the nodes failed
   * rather than refused. Contention means the nodes that answered "held"
   * are, on their own, too many for a quorum to be possible (more than
   * `nodes.length - quorum`), whatever the others did. The answer depends
   * only on what each node answered, never on the order of the answers: when
   * the answers so far cannot tell, the attempt waits for the remaining
   * nodes (within `nodeTimeoutMs`). It never queues behind waiters.
   */
  async tryAcquire(
    resources: string | readonly string[],
    ttlMs: number,
    options: Pick<AcquireOptions, 'signal'> = {},
  ): Promise<Lock | null> {
    const keys = validateResources(resources);
    validateTtl(ttlMs);
    const { signal } = validateOptionsObject(options) as Pick<AcquireOptions, 'signal'>;
    const validSignal = validateSignal(signal);
    if (!acquireTraced()) return this.#acquisition.tryOnce(keys, ttlMs, validSignal);
    return traceAcquire('tryAcquire', keys, ttlMs, this.#runtime, () =>
      this.#acquisition.tryOnce(keys, ttlMs, validSignal),
    );
  }

  /**
   * Acquire, run `routine`, release. While the routine runs the lock is
   * extended before it expires (`automaticExtensionThreshold`); if it is
   * lost, `signal` aborts with a `LockLostError` as its reason. The
   * routine's result or error passes through; release always runs.
   */
  using<T>(
    resources: string | readonly string[],
    ttlMs: number,
    routine: LockRoutine<T>,
  ): Promise<T>;
  using<T>(
    resources: string | readonly string[],
    ttlMs: number,
    options: UsingOptions,
    routine: LockRoutine<T>,
  ): Promise<T>;
  async using<T>(
    resources: string | readonly string[],
    ttlMs: number,
    optionsOrRoutine: UsingOptions | LockRoutine<T>,
    maybeRoutine?: LockRoutine<T>,
  ): Promise<T> {
    const options = typeof optionsOrRoutine === 'function' ? {} : optionsOrRoutine;
    const routine = typeof optionsOrRoutine === 'function' ? optionsOrRoutine : maybeRoutine;
    if (typeof routine !== 'function') {
      throw new InvalidArgumentError(
        'using() needs a routine: using(resources, ttlMs, [options,] routine)',
      );
    }
    // As in acquire(): null or a non-object is a mistake, not "no options".
    validateOptionsObject(options);
    const threshold = validateTimerMs(
      'automaticExtensionThreshold',
      options.automaticExtensionThreshold ?? this.automaticExtensionThreshold,
    );
    const keys = validateResources(resources);
    validateTtl(ttlMs);
    const plan = validateRetryPlan(options, this.#retryDefaults);
    const lock = acquireTraced()
      ? ((await traceAcquire('using', keys, ttlMs, this.#runtime, () =>
          this.#acquisition.acquire(keys, ttlMs, plan),
        )) as Lock)
      : await this.#acquisition.acquire(keys, ttlMs, plan);
    const keeper = keepAlive(lock, ttlMs, threshold, this.#runtime, options.signal);
    try {
      return await routine(keeper.signal, lock);
    } finally {
      keeper.stop();
      await lock.release();
    }
  }

  /** Close every node's own resources (e.g. pub/sub connections). Never closes clients you passed in. */
  async close(): Promise<void> {
    // Lines still subscribed after their last waiter stop now, not at their timer.
    this.#lines.closeIdle();
    // async: a close() that throws synchronously must not stop the others from closing.
    await Promise.allSettled(this.nodes.map(async (node) => node.close?.()));
  }

  /** `await using redlock = new Redlock(...)` calls {@link Redlock.close} at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
