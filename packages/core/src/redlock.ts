import {
  type AttemptReport,
  InvalidArgumentError,
  LockAcquireError,
  RedlockError,
} from './errors.js';
import { keepAlive } from './keep-alive.js';
import { type ExtensionResult, Lock, type LockEngine, type ReleaseReport } from './lock.js';
import type { LockNode } from './lock-node.js';
import { describeResources, describeRound, formatMs, plural } from './messages.js';
import { classifyAcquire, classifyExtend, classifyRelease } from './node-replies.js';
import {
  type AcquireOptions,
  CLOCK_PRECISION_MS,
  defaultOptions,
  type RedlockOptions,
  type UsingOptions,
} from './options.js';
import { retryDelayMs } from './retry.js';
import { type RoundResult, runRound } from './round.js';
import { type RedlockRuntime, systemRuntime } from './runtime.js';
import {
  validateNodes,
  validateNumber,
  validateQuorum,
  validateResources,
  validateSignal,
  validateTimerMs,
  validateTtl,
} from './validate.js';
import { lineKeyOf, type WaitLine, WaitLines } from './wait-line.js';

/** The routine run by {@link Redlock.using}. */
export type LockRoutine<T> = (signal: AbortSignal, lock: Lock) => Promise<T> | T;

interface RetryPlan {
  readonly retryCount: number;
  readonly retryDelay: number;
  readonly retryJitter: number;
  readonly waitTimeoutMs: number | undefined;
  readonly signal: AbortSignal | undefined;
}

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
 * Options and their defaults are described on {@link RedlockOptions}.
 */
export class Redlock implements AsyncDisposable {
  /** The nodes, in the order given. */
  readonly nodes: readonly LockNode[];
  /** How many nodes must agree. */
  readonly quorum: number;
  readonly driftFactor: number;
  readonly nodeTimeoutMs: number;
  readonly automaticExtensionThreshold: number;
  readonly #defaults: Omit<RetryPlan, 'signal'>;
  readonly #runtime: RedlockRuntime;
  readonly #lines: WaitLines;
  readonly #engine: LockEngine;
  #tickets = 0;

  constructor(nodes: readonly LockNode[], options: RedlockOptions = {}) {
    if (options === null || typeof options !== 'object') {
      throw new InvalidArgumentError('options must be an object');
    }
    this.nodes = validateNodes(nodes);
    this.quorum = validateQuorum(options.quorum, this.nodes.length);
    this.driftFactor = validateNumber(
      'driftFactor',
      options.driftFactor ?? defaultOptions.driftFactor,
      {
        min: 0,
        max: 0.5,
      },
    );
    this.nodeTimeoutMs = validateTimerMs(
      'nodeTimeoutMs',
      options.nodeTimeoutMs ?? defaultOptions.nodeTimeoutMs,
      { min: 1 },
    );
    this.automaticExtensionThreshold = validateTimerMs(
      'automaticExtensionThreshold',
      options.automaticExtensionThreshold ?? defaultOptions.automaticExtensionThreshold,
    );
    this.#defaults = validateRetryPlan({
      retryCount: options.retryCount ?? defaultOptions.retryCount,
      retryDelay: options.retryDelay ?? defaultOptions.retryDelay,
      retryJitter: options.retryJitter ?? defaultOptions.retryJitter,
      waitTimeoutMs: options.waitTimeoutMs,
    });
    this.#runtime = options.runtime ?? systemRuntime;
    this.#lines = new WaitLines(this.nodes, this.quorum, this.nodeTimeoutMs, this.#runtime);
    this.#engine = {
      now: () => this.#runtime.now(),
      epochNow: () => this.#runtime.epochNow(),
      driftMs: (ttlMs) => this.#driftMs(ttlMs),
      extendKeys: (keys, value, ttlMs) => this.#extendKeys(keys, value, ttlMs),
      releaseKeys: (keys, value) => this.#releaseKeys(keys, value),
    };
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
    return this.#acquireKeys(keys, ttlMs, this.#retryPlan(options));
  }

  /**
   * One attempt, no waiting: resolves with the lock, or `null` when another
   * owner holds it. Rejects when the nodes fail rather than refuse.
   */
  async tryAcquire(
    resources: string | readonly string[],
    ttlMs: number,
    options: Pick<AcquireOptions, 'signal'> = {},
  ): Promise<Lock | null> {
    const keys = validateResources(resources);
    validateTtl(ttlMs);
    const plan = { ...this.#retryPlan(options), retryCount: 0, waitTimeoutMs: undefined };
    try {
      return await this.#acquireKeys(keys, ttlMs, plan);
    } catch (error) {
      if (error instanceof LockAcquireError && error.code === 'ACQUIRE_FAILED') {
        if (this.#wasContention(error.attempts[0])) return null;
      }
      throw error;
    }
  }

  /**
   * "Someone else has it" rather than "the nodes are failing": the holds alone
   * put quorum out of reach, or every node that did not vote for us said held.
   */
  #wasContention(attempt: AttemptReport | undefined): boolean {
    if (attempt === undefined) return false;
    let held = 0;
    let failed = 0;
    for (const outcome of attempt.outcomes) {
      if (outcome.status === 'held') held++;
      else if (outcome.status !== 'acquired') failed++;
    }
    return held > 0 && (held > this.nodes.length - this.quorum || failed === 0);
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
    if (options === null || typeof options !== 'object') {
      throw new InvalidArgumentError('options must be an object');
    }
    const threshold = validateTimerMs(
      'automaticExtensionThreshold',
      options.automaticExtensionThreshold ?? this.automaticExtensionThreshold,
    );
    const keys = validateResources(resources);
    validateTtl(ttlMs);
    const lock = await this.#acquireKeys(keys, ttlMs, this.#retryPlan(options));
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
    // async: a close() that throws synchronously must not stop the others from closing.
    await Promise.allSettled(this.nodes.map(async (node) => node.close?.()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #retryPlan(options: AcquireOptions): RetryPlan {
    if (options === null || typeof options !== 'object') {
      throw new InvalidArgumentError('options must be an object');
    }
    const plan = validateRetryPlan({
      retryCount: options.retryCount ?? this.#defaults.retryCount,
      retryDelay: options.retryDelay ?? this.#defaults.retryDelay,
      retryJitter: options.retryJitter ?? this.#defaults.retryJitter,
      waitTimeoutMs: options.waitTimeoutMs ?? this.#defaults.waitTimeoutMs,
    });
    return { ...plan, signal: validateSignal(options.signal) };
  }

  #driftMs(ttlMs: number): number {
    return ttlMs * this.driftFactor + CLOCK_PRECISION_MS;
  }

  async #acquireKeys(keys: readonly string[], ttlMs: number, plan: RetryPlan): Promise<Lock> {
    const { signal } = plan;
    const attempts: AttemptReport[] = [];
    if (signal?.aborted) throw this.#abortedError(keys, attempts, signal.reason);
    const runtime = this.#runtime;
    const value = runtime.randomValue();
    const lineKey = lineKeyOf(keys);
    const ticket = ++this.#tickets;
    const deadline =
      plan.waitTimeoutMs === undefined
        ? Number.POSITIVE_INFINITY
        : runtime.now() + plan.waitTimeoutMs;
    const driftMs = this.#driftMs(ttlMs);
    let line: WaitLine | undefined;
    try {
      // Fairness: a newcomer queues behind this instance's waiters instead of
      // racing the one a release is about to wake.
      if (this.#lines.waiting(lineKey) > 0) {
        line = this.#lines.join(lineKey, keys);
        const delayMs = Math.min(retryDelayMs(plan, [], runtime), deadline - runtime.now());
        await line.wait(ticket, delayMs, line.sequence, signal);
      }
      for (let attempt = 0; ; attempt++) {
        const sequenceBefore = line?.sequence ?? this.#lines.sequence(lineKey);
        const round = await runRound({
          nodes: this.nodes,
          call: (node, nodeSignal) => node.acquire(keys, value, ttlMs, nodeSignal),
          classify: classifyAcquire,
          successStatus: 'acquired',
          quorum: this.quorum,
          decideEarly: 'either',
          nodeTimeoutMs: Math.min(this.nodeTimeoutMs, ttlMs),
          runtime,
          signal,
        });
        const validityMs = ttlMs - round.elapsedMs - driftMs;
        if (round.successes >= this.quorum && validityMs > 0 && !signal?.aborted) {
          return new Lock(this.#engine, keys, value, round.startedAt + ttlMs - driftMs, attempts);
        }
        attempts.push({ outcomes: round.outcomes, elapsedMs: round.elapsedMs, validityMs });
        // The releases are sent now, on every suspect node, after that node's acquire.
        // They are awaited only before a retry (so a slow release of this value cannot
        // delete what the next attempt sets); when giving up, a dead node must not
        // delay an outcome that is already certain.
        const cleanup = this.#releaseAfterFailure(keys, value, round);
        const retriesLeft = plan.retryCount < 0 || attempt < plan.retryCount;
        if (retriesLeft && runtime.now() < deadline && !signal?.aborted) await cleanup;
        if (signal?.aborted) throw this.#abortedError(keys, attempts, signal.reason);
        const now = runtime.now();
        if (!retriesLeft || now >= deadline) {
          throw this.#failedError(keys, attempts, now >= deadline ? plan.waitTimeoutMs : undefined);
        }
        const delayMs = Math.min(retryDelayMs(plan, round.outcomes, runtime), deadline - now);
        line ??= this.#lines.join(lineKey, keys);
        await line.wait(ticket, delayMs, sequenceBefore, signal);
      }
    } catch (error) {
      // The wait rejects with the signal's reason itself, which may be a RedlockError
      // too (e.g. the LockLostError of an outer `using`): compare, don't type-check.
      if (signal?.aborted && (error === signal.reason || !(error instanceof RedlockError))) {
        throw this.#abortedError(keys, attempts, signal.reason);
      }
      throw error;
    } finally {
      line?.leave();
    }
  }

  /**
   * Undo a failed attempt on every node where a key of ours may exist: those
   * that said yes, failed or did not answer (their SET may still land). Nodes
   * that answered "held" changed nothing, so they are skipped.
   */
  async #releaseAfterFailure(
    keys: readonly string[],
    value: string,
    round: RoundResult,
  ): Promise<void> {
    const suspects = this.nodes.filter((_, index) => round.outcomes[index]?.status !== 'held');
    if (suspects.length === 0) return;
    await runRound({
      nodes: suspects,
      call: (node, nodeSignal) => node.release(keys, value, nodeSignal),
      classify: classifyRelease,
      successStatus: 'released',
      quorum: suspects.length,
      decideEarly: 'never',
      nodeTimeoutMs: this.nodeTimeoutMs,
      runtime: this.#runtime,
    });
  }

  async #extendKeys(
    keys: readonly string[],
    value: string,
    ttlMs: number,
  ): Promise<ExtensionResult> {
    const round = await runRound({
      nodes: this.nodes,
      call: (node, nodeSignal) => node.extend(keys, value, ttlMs, nodeSignal),
      classify: classifyExtend,
      successStatus: 'extended',
      quorum: this.quorum,
      decideEarly: 'either',
      nodeTimeoutMs: Math.min(this.nodeTimeoutMs, ttlMs),
      runtime: this.#runtime,
    });
    const driftMs = this.#driftMs(ttlMs);
    const validityMs = ttlMs - round.elapsedMs - driftMs;
    const report: AttemptReport = {
      outcomes: round.outcomes,
      elapsedMs: round.elapsedMs,
      validityMs,
    };
    const succeeded = round.successes >= this.quorum && validityMs > 0;
    return {
      succeeded,
      report,
      validUntil: round.startedAt + ttlMs - driftMs,
      description: succeeded ? '' : describeRound(report, this.nodes.length, this.nodeTimeoutMs),
    };
  }

  async #releaseKeys(keys: readonly string[], value: string): Promise<ReleaseReport> {
    // Decided at quorum like every other round: once a majority deleted our
    // keys nobody can be blocked by this lock, so the slowest node is not
    // waited for (it is reported `pending`, and still gets the request).
    const releasing = runRound({
      nodes: this.nodes,
      call: (node, nodeSignal) => node.release(keys, value, nodeSignal),
      classify: classifyRelease,
      successStatus: 'released',
      quorum: this.quorum,
      decideEarly: 'success',
      nodeTimeoutMs: this.nodeTimeoutMs,
      runtime: this.#runtime,
    });
    // The releases are on their way: hand the turn to the next waiter of this
    // process now. Its acquire goes out after our release on every node's
    // connection, so it finds the keys free without waiting for pub/sub.
    this.#lines.released(lineKeyOf(keys), value);
    const round = await releasing;
    return { releasedNodes: round.successes, outcomes: round.outcomes };
  }

  #failedError(
    keys: readonly string[],
    attempts: AttemptReport[],
    waitTimeoutMs: number | undefined,
  ): LockAcquireError {
    const last = attempts[attempts.length - 1]!;
    const stopped =
      waitTimeoutMs === undefined
        ? `${attempts.length} ${plural(attempts.length, 'attempt')}`
        : `${attempts.length} ${plural(attempts.length, 'attempt')}, gave up after waitTimeoutMs ${formatMs(waitTimeoutMs)}`;
    return new LockAcquireError(
      'ACQUIRE_FAILED',
      `could not lock ${describeResources(keys)}: ${describeRound(last, this.nodes.length, this.nodeTimeoutMs)}; ${stopped}`,
      keys,
      attempts,
    );
  }

  #abortedError(
    keys: readonly string[],
    attempts: AttemptReport[],
    reason: unknown,
  ): LockAcquireError {
    return new LockAcquireError(
      'ABORTED',
      `stopped waiting for the lock on ${describeResources(keys)}: the signal was aborted after ${attempts.length} ${plural(attempts.length, 'attempt')}`,
      keys,
      attempts,
      { cause: reason },
    );
  }
}

function validateRetryPlan(plan: Omit<RetryPlan, 'signal'>): Omit<RetryPlan, 'signal'> {
  const retryCount = validateNumber('retryCount', plan.retryCount, {
    min: -1,
    integer: true,
    allowInfinity: true,
  });
  return {
    retryCount: retryCount === Number.POSITIVE_INFINITY ? -1 : retryCount,
    retryDelay: validateTimerMs('retryDelay', plan.retryDelay),
    retryJitter: validateTimerMs('retryJitter', plan.retryJitter),
    waitTimeoutMs:
      plan.waitTimeoutMs === undefined
        ? undefined
        : validateTimerMs('waitTimeoutMs', plan.waitTimeoutMs),
  };
}
