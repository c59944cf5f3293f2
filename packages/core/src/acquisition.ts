import { InvalidArgumentError, LockAcquireError, RedlockError } from './errors.js';
import { Lock } from './lock.js';
import type { LockNode } from './lock-node.js';
import { acquireAbortedMessage, acquireFailedMessage, type RoundRules } from './messages.js';
import type { Quorum } from './quorum.js';
import type { AttemptReport } from './reports.js';
import { isSplitVote, retryDelayMs, splitBackoffMs } from './retry.js';
import type { RetryPlan } from './settings.js';
import { MAX_TIMER_MS } from './validate.js';
import type { RoundVerdict } from './verdict.js';
import { lineKeyOf, type WaitEnd, type WaitLine, type WaitLines } from './wait-line.js';
import {
  AheadCount,
  entryTtlFor,
  leaveLineOn,
  leaveLinesAfterWin,
  refreshDelayMs,
} from './waiting-line.js';

/**
 * Optional observers of the acquisition loop, called synchronously at each
 * step (for diagnostics channels, metrics, tests). They must not throw; a
 * hook that does fails the acquisition.
 */
export interface AcquisitionHooks {
  /** An attempt's round is about to be sent (`attempt` counts from 0). */
  onAttempt?(resources: readonly string[], attempt: number): void;
  /** An attempt's round was decided without the lock. */
  onAttemptFailed?(resources: readonly string[], attempt: number, report: AttemptReport): void;
  /** The loop waits up to `delayMs` before the next attempt (or for its turn in the line). */
  onWait?(resources: readonly string[], delayMs: number): void;
  /** The lock was acquired (`report`: the winning round) after `lock.attempts` failed attempts. */
  onAcquired?(lock: Lock, report?: AttemptReport): void;
}

/**
 * The acquisition loop (as TanStack Query's `retryer.ts` is apart from the
 * query): attempts a round, undoes a failed one, waits (for a release, the
 * holder's TTL or the retry delay, bounded by the deadline) and retries,
 * within `retryCount`, `waitTimeoutMs` and the signal. The rounds come from
 * {@link Quorum}; waiting in turn from {@link WaitLines}.
 */
export class Acquisition {
  readonly #quorum: Quorum;
  readonly #lines: WaitLines;
  readonly #hooks: AcquisitionHooks;
  #tickets = 0;
  /** The last waiting-line score given out: places of one instance follow its arrival order. */
  #lastScore = 0;

  constructor(quorum: Quorum, lines: WaitLines, hooks: AcquisitionHooks = {}) {
    this.#quorum = quorum;
    this.#lines = lines;
    this.#hooks = hooks;
  }

  /** Acquire `keys` (already validated), retrying as `plan` allows. */
  async acquire(keys: readonly string[], ttlMs: number, plan: RetryPlan): Promise<Lock> {
    const { signal } = plan;
    const attempts: AttemptReport[] = [];
    if (signal?.aborted) throw this.#abortedError(keys, attempts, signal.reason);
    const quorum = this.#quorum;
    const runtime = quorum.runtime;
    const value = runtime.randomValue();
    const ticket = ++this.#tickets;
    const deadline =
      plan.waitTimeoutMs === undefined
        ? Number.POSITIVE_INFINITY
        : runtime.now() + plan.waitTimeoutMs;
    const fate = new AcquisitionFate(quorum, keys, value);
    // With `waitingLine`: one place for every attempt, the same on every node.
    const place = quorum.waitingLine
      ? { score: this.#nextScore(), entryTtlMs: entryTtlFor(plan, quorum.nodeTimeoutMs) }
      : undefined;
    const ahead = place ? new AheadCount() : undefined;
    let won = false;
    // A refusal that arrives after we won left our place on that node: leave it there.
    const onAhead =
      place && ahead
        ? (count: number, node: LockNode): void => {
            if (won) leaveLineOn(node, keys, value, ttlMs, place);
            else ahead.heard(count);
          }
        : undefined;
    // Joined before the first attempt, so a release of this process during that
    // attempt counts as a wake-up for the retry.
    const line: WaitLine = this.#lines.join(lineKeyOf(keys), keys);
    const heardSince = line.heard;
    try {
      // Fairness: a newcomer queues behind this instance's waiters instead of
      // racing the one a release is about to wake.
      if (line.waiting > 0) {
        const delayMs = boundedDelay(retryDelayMs(plan, [], runtime), deadline - runtime.now());
        this.#hooks.onWait?.(keys, delayMs);
        await line.wait(ticket, delayMs, line.sequence, signal, 0, heardSince);
      }
      let splits = 0;
      let woken: WaitEnd = 'now';
      for (let attempt = 0; ; attempt++) {
        const sequenceBefore = line.sequence;
        this.#hooks.onAttempt?.(keys, attempt);
        const verdict = await quorum.acquire(keys, value, ttlMs, {
          signal,
          onLateAcquired: fate.onLateAcquired,
          place,
          onAhead,
        });
        const refusal = refusalIn(verdict.report);
        if (refusal) throw this.#refused(refusal, keys, value, verdict, fate);
        // Woken by a release elsewhere: did the herd estimate let too many of us wake?
        // Only a loss to another owner says so; failing nodes say nothing of the herd.
        if (woken === 'elsewhere') {
          if (verdict.succeeded) line.herd?.won();
          else if (heldByAnother(verdict.report)) line.herd?.lost();
        }
        if (verdict.succeeded) {
          won = true;
          if (place)
            leaveLinesAfterWin(quorum.nodes, verdict.report.outcomes, keys, value, ttlMs, place);
          return fate.won(verdict, attempts, this.#hooks);
        }
        attempts.push(verdict.report);
        this.#hooks.onAttemptFailed?.(keys, attempt, verdict.report);
        // The releases are sent now, on every suspect node, after that node's acquire.
        // They are awaited only before a retry (so a slow release of this value cannot
        // delete what the next attempt sets); when giving up, a dead node must not
        // delay an outcome that is already certain.
        const undoing = quorum.undo(keys, value, verdict.report);
        const retriesLeft = plan.retryCount < 0 || attempt < plan.retryCount;
        if (retriesLeft && runtime.now() < deadline && !signal?.aborted) await undoing;
        if (signal?.aborted) throw this.#abortedError(keys, attempts, signal.reason);
        const now = runtime.now();
        if (!retriesLeft || now >= deadline) {
          fate.gaveUp();
          throw this.#failedError(
            keys,
            attempts,
            verdict,
            now >= deadline ? plan.waitTimeoutMs : undefined,
          );
        }
        // Behind others in the waiting line: releases to sleep through.
        const skip = ahead?.take() ?? 0;
        // A split vote between waiters that a release woke together (or that split
        // before): nobody holds the lock, so no release will come to wake them.
        const raced =
          woken === 'elsewhere' || woken === 'local' || (splits > 0 && splits < MAX_SPLITS);
        const split = raced && place === undefined && isSplitVote(verdict.report);
        splits = split ? splits + 1 : 0;
        // Sleeping through releases in the waiting line, only the refresh of our
        // place is due; but after each release slept through it asks again within
        // the usual retry delay, unless the next release comes first (`WaitLine.wait`).
        let waitMs: number;
        let afterSkipMs: number | undefined;
        if (skip > 0 && place) {
          waitMs = refreshDelayMs(place);
          afterSkipMs = retryDelayMs(plan, verdict.report.outcomes, runtime);
        } else if (split) {
          waitMs = splitBackoffMs(plan, verdict.report.elapsedMs, splits, runtime);
        } else {
          waitMs = retryDelayMs(plan, verdict.report.outcomes, runtime);
        }
        const delayMs = boundedDelay(waitMs, deadline - now);
        this.#hooks.onWait?.(keys, delayMs);
        woken = await line.wait(
          ticket,
          delayMs,
          sequenceBefore,
          signal,
          skip,
          heardSince,
          afterSkipMs,
        );
      }
    } catch (error) {
      fate.gaveUp();
      // The wait rejects with the signal's reason itself, which may be a RedlockError
      // too (e.g. the LockLostError of an outer `using`): compare, don't type-check.
      if (signal?.aborted && (error === signal.reason || !(error instanceof RedlockError))) {
        throw this.#abortedError(keys, attempts, signal.reason);
      }
      throw error;
    } finally {
      line.leave();
    }
  }

  /**
   * One attempt, no waiting (`tryAcquire`): the lock, `null` on contention,
   * or a `LockAcquireError` when failing nodes decided it. The round tells
   * the two apart from the outcomes alone, whatever order they came in
   * (see {@link AcquireDecision} `'contention'`).
   */
  async tryOnce(
    keys: readonly string[],
    ttlMs: number,
    signal: AbortSignal | undefined,
  ): Promise<Lock | null> {
    const attempts: AttemptReport[] = [];
    if (signal?.aborted) throw this.#abortedError(keys, attempts, signal.reason);
    const quorum = this.#quorum;
    const value = quorum.runtime.randomValue();
    const fate = new AcquisitionFate(quorum, keys, value);
    this.#hooks.onAttempt?.(keys, 0);
    const verdict = await quorum.acquire(keys, value, ttlMs, {
      signal,
      decision: 'contention',
      onLateAcquired: fate.onLateAcquired,
      // A single attempt respects the line but takes no place it would not refresh.
      place: quorum.waitingLine ? { score: quorum.runtime.epochNow(), entryTtlMs: 0 } : undefined,
    });
    const refusal = refusalIn(verdict.report);
    if (refusal) throw this.#refused(refusal, keys, value, verdict, fate);
    if (verdict.succeeded) return fate.won(verdict, attempts, this.#hooks);
    fate.gaveUp();
    attempts.push(verdict.report);
    this.#hooks.onAttemptFailed?.(keys, 0, verdict.report);
    // Sent, not awaited: the answer is certain, and a dead node must not delay it.
    void quorum.undo(keys, value, verdict.report);
    if (signal?.aborted) throw this.#abortedError(keys, attempts, signal.reason);
    if (verdict.contention) return null;
    throw this.#failedError(keys, attempts, verdict, undefined);
  }

  /**
   * When the acquisition started, on the epoch clock, but always after the
   * previous one of this instance: two acquisitions in the same millisecond
   * would otherwise be ordered by their random values, and the local line
   * (which wakes its waiters in arrival order) would wake one that is not
   * first on the nodes, while the first sleeps.
   */
  #nextScore(): number {
    this.#lastScore = Math.max(this.#quorum.runtime.epochNow(), this.#lastScore + SCORE_STEP);
    return this.#lastScore;
  }

  #failedError(
    keys: readonly string[],
    attempts: AttemptReport[],
    last: RoundVerdict,
    gaveUpAfterMs: number | undefined,
  ): LockAcquireError {
    const rules: RoundRules = last.rules;
    return new LockAcquireError(
      'ACQUIRE_FAILED',
      acquireFailedMessage(keys, attempts, rules, gaveUpAfterMs),
      keys,
      attempts,
    );
  }

  /** A node refused the call as invalid: undo what the others did, and give up with its error. */
  #refused(
    refusal: InvalidArgumentError,
    keys: readonly string[],
    value: string,
    verdict: RoundVerdict,
    fate: AcquisitionFate,
  ): InvalidArgumentError {
    fate.gaveUp();
    void this.#quorum.undo(keys, value, verdict.report);
    return refusal;
  }

  #abortedError(keys: readonly string[], attempts: AttemptReport[], reason: unknown) {
    return new LockAcquireError(
      'ABORTED',
      acquireAbortedMessage(keys, attempts.length),
      keys,
      attempts,
      { cause: reason },
    );
  }
}

/**
 * Whether an acquisition still wants the keys it asked for. A node that
 * answers "acquired" after its round was decided without it holds our key;
 * while the acquisition is running, and once it won, that key is covered
 * (a later attempt, the undo of a failed one, or the lock's release, which
 * goes to every node when the lock is released or lost, reaches that node
 * after the late acquire, in order). Once the acquisition gave up, its last
 * undo may have failed there and nothing else will reach it: release that
 * node again, so the key does not block others until its TTL. (Releasing
 * again after the lock's own release cost every uncontended cycle a
 * release per straggler: 12 commands instead of 10 over five nodes.)
 */
class AcquisitionFate {
  #gaveUp = false;

  constructor(
    private readonly quorum: Quorum,
    private readonly keys: readonly string[],
    private readonly value: string,
  ) {}

  readonly onLateAcquired = (node: LockNode): void => {
    if (this.#gaveUp) void this.quorum.releaseOn([node], this.keys, this.value);
  };

  gaveUp(): void {
    this.#gaveUp = true;
  }

  won(verdict: RoundVerdict, attempts: readonly AttemptReport[], hooks: AcquisitionHooks): Lock {
    const lock = new Lock(
      this.quorum,
      this.keys,
      this.value,
      verdict.validity,
      attempts,
      verdict.fencingToken,
    );
    hooks.onAcquired?.(lock, verdict.report);
    return lock;
  }
}

/**
 * The `InvalidArgumentError` a node rejected with, if any: a programming
 * error (keys of one lock in different Redis Cluster slots, a closed
 * Redlock) that no retry can fix, so the acquisition rejects with it as it
 * is, at once, instead of counting the node as unreachable.
 */
function refusalIn(report: AttemptReport): InvalidArgumentError | undefined {
  for (const outcome of report.outcomes) {
    if (outcome.status === 'error' && outcome.cause instanceof InvalidArgumentError) {
      return outcome.cause;
    }
  }
  return undefined;
}

/** Whether any node answered that another owner holds a key. */
function heldByAnother(report: AttemptReport): boolean {
  for (const outcome of report.outcomes) if (outcome.status === 'held') return true;
  return false;
}

/**
 * Split votes in a row handled by the short backoff; then the usual retry
 * delay again, in case the "split" is a holder that has only some nodes.
 */
const MAX_SPLITS = 6;

/** Between two scores of one instance: well below a millisecond, well above a double's rounding at epoch ms. */
const SCORE_STEP = 1 / 1024;

/** A wait never past the deadline, and never longer than a timer can wait. */
function boundedDelay(delayMs: number, untilDeadlineMs: number): number {
  return Math.min(delayMs, untilDeadlineMs, MAX_TIMER_MS);
}
