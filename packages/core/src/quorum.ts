import type { LockNode } from './lock-node.js';
import { describeRound, type RoundRules } from './messages.js';
import { classifyAcquire, classifyExtend, classifyRelease } from './node-replies.js';
import { CLOCK_PRECISION_MS } from './options.js';
import type { AttemptReport, ReleaseReport } from './reports.js';
import { type RoundResult, runRound, type Tally } from './round.js';
import type { RedlockRuntime } from './runtime.js';

/**
 * When a lock's validity ends, on both clocks. Both come from one instant
 * (the start of the round that set it), so `expiration` never drifts from
 * the monotonic end however late the caller reads the round's result.
 */
export interface Validity {
  /** Monotonic end of validity, on the runtime's `now()` clock. */
  readonly validUntil: number;
  /** The same end in epoch ms (`lock.expiration`). */
  readonly expiration: number;
}

/**
 * The outcome of one acquisition or extension round: whether it won, what
 * each node did, and the validity it gives, computed once as
 * `start + ttl - drift`.
 */
export interface RoundVerdict {
  readonly succeeded: boolean;
  /**
   * The holds alone put quorum out of reach: another owner has the lock.
   * (`false` when failing or slow nodes decided the round.)
   */
  readonly contention: boolean;
  readonly report: AttemptReport;
  readonly validity: Validity;
  /** The rules the round applied, for its description. */
  readonly rules: RoundRules;
  /** The one-line explanation of the round (for a failed one). */
  describe(): string;
}

/** The settings of a {@link Quorum}, already validated. */
export interface QuorumSettings {
  readonly nodes: readonly LockNode[];
  readonly quorum: number;
  readonly driftFactor: number;
  readonly nodeTimeoutMs: number;
  readonly runtime: RedlockRuntime;
}

/** Told when a release of a lock has been sent, so local waiters can take their turn. */
export interface ReleaseObserver {
  released(keys: readonly string[], value: string): void;
}

/** How an acquisition round may stop before every node answered. */
export type AcquireDecision =
  /** As soon as quorum is reached or out of reach (fastest; the default). */
  | 'quorum'
  /**
   * Also tell contention from failure: stop early only once quorum is
   * reached, or the holds alone rule it out, or failures rule it out even
   * if every node still out said "held". Otherwise wait for the rest
   * (within the per-node timeout). Used by `tryAcquire`.
   */
  | 'contention';

/**
 * The rounds of the Redlock algorithm over a fixed set of nodes: acquire,
 * extend, release, and the undo of a failed attempt. Each round is sent to
 * every node in parallel and decided by the quorum rule; the validity of a
 * won round is computed here and nowhere else.
 */
export class Quorum {
  readonly nodes: readonly LockNode[];
  readonly quorum: number;
  readonly driftFactor: number;
  readonly nodeTimeoutMs: number;
  readonly runtime: RedlockRuntime;
  readonly #observer: ReleaseObserver;

  constructor(settings: QuorumSettings, observer: ReleaseObserver) {
    this.nodes = settings.nodes;
    this.quorum = settings.quorum;
    this.driftFactor = settings.driftFactor;
    this.nodeTimeoutMs = settings.nodeTimeoutMs;
    this.runtime = settings.runtime;
    this.#observer = observer;
  }

  /** The drift allowance for a TTL: validity ends this long before the keys expire. */
  driftMs(ttlMs: number): number {
    return ttlMs * this.driftFactor + CLOCK_PRECISION_MS;
  }

  /** The validity a round started at (`startedAt`, `startedAtEpoch`) with `ttlMs` gives. */
  validityOf(startedAt: number, startedAtEpoch: number, ttlMs: number): Validity {
    const lengthMs = ttlMs - this.driftMs(ttlMs);
    return { validUntil: startedAt + lengthMs, expiration: startedAtEpoch + lengthMs };
  }

  /** The validity a round starting now with `ttlMs` would give at most. */
  validityFromNow(ttlMs: number): Validity {
    return this.validityOf(this.runtime.now(), this.runtime.epochNow(), ttlMs);
  }

  /**
   * One acquisition attempt. `onLateAcquired` hears of a node that answered
   * "acquired" after the round was decided without it.
   */
  async acquire(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    options: {
      readonly signal?: AbortSignal | undefined;
      readonly decision?: AcquireDecision;
      readonly onLateAcquired?: (node: LockNode) => void;
    } = {},
  ): Promise<RoundVerdict> {
    const { signal, onLateAcquired } = options;
    const round = await runRound({
      nodes: this.nodes,
      call: (node, nodeSignal) => node.acquire(keys, value, ttlMs, nodeSignal),
      classify: classifyAcquire,
      successStatus: 'acquired',
      isDecided: options.decision === 'contention' ? this.#contentionDecided : this.#quorumDecided,
      // A reply after the TTL is worthless: the key may already be gone.
      nodeTimeoutMs: Math.min(this.nodeTimeoutMs, ttlMs),
      runtime: this.runtime,
      signal,
      onLateOutcome:
        onLateAcquired === undefined
          ? undefined
          : (index, outcome) => {
              if (outcome.status === 'acquired') onLateAcquired(this.nodes[index]!);
            },
    });
    return this.#verdict(round, ttlMs, signal);
  }

  /** One extension round: reset the TTL where the keys still hold `value`. */
  async extend(keys: readonly string[], value: string, ttlMs: number): Promise<RoundVerdict> {
    const round = await runRound({
      nodes: this.nodes,
      call: (node, nodeSignal) => node.extend(keys, value, ttlMs, nodeSignal),
      classify: classifyExtend,
      successStatus: 'extended',
      isDecided: this.#quorumDecided,
      nodeTimeoutMs: Math.min(this.nodeTimeoutMs, ttlMs),
      runtime: this.runtime,
    });
    return this.#verdict(round, ttlMs, undefined);
  }

  /**
   * Release a lock. Decided at quorum like every other round: once a
   * majority deleted our keys nobody can be blocked by this lock, so the
   * slowest node is not waited for (it is reported `pending`, and still gets
   * the request).
   */
  async release(keys: readonly string[], value: string): Promise<ReleaseReport> {
    const releasing = runRound({
      nodes: this.nodes,
      call: (node, nodeSignal) => node.release(keys, value, nodeSignal),
      classify: classifyRelease,
      successStatus: 'released',
      isDecided: (tally) => tally.successes >= this.quorum,
      nodeTimeoutMs: this.nodeTimeoutMs,
      runtime: this.runtime,
    });
    // The releases are on their way: hand the turn to the next waiter of this
    // process now. Its acquire goes out after our release on every node's
    // connection, so it finds the keys free without waiting for pub/sub.
    this.#observer.released(keys, value);
    const round = await releasing;
    return { releasedNodes: round.successes, outcomes: round.outcomes };
  }

  /**
   * Undo a failed attempt on every node where a key of ours may exist: those
   * that said yes, failed or did not answer (their SET may still land). Nodes
   * that answered "held" changed nothing, so they are skipped. Every node
   * answers (or times out) before it resolves; it never rejects.
   */
  async undo(keys: readonly string[], value: string, report: AttemptReport): Promise<void> {
    const suspects = this.nodes.filter((_, index) => report.outcomes[index]?.status !== 'held');
    if (suspects.length > 0) await this.releaseOn(suspects, keys, value);
  }

  /** Release `keys` holding `value` on `nodes` only, waiting for every one of them. */
  async releaseOn(
    nodes: readonly LockNode[],
    keys: readonly string[],
    value: string,
  ): Promise<void> {
    await runRound({
      nodes,
      call: (node, nodeSignal) => node.release(keys, value, nodeSignal),
      classify: classifyRelease,
      successStatus: 'released',
      isDecided: () => false,
      nodeTimeoutMs: this.nodeTimeoutMs,
      runtime: this.runtime,
    });
  }

  /** The rules a description of `round` refers to. */
  rulesFor(round: RoundResult): RoundRules {
    return {
      nodeCount: this.nodes.length,
      quorum: this.quorum,
      nodeTimeoutMs: round.nodeTimeoutMs,
    };
  }

  #verdict(round: RoundResult, ttlMs: number, signal: AbortSignal | undefined): RoundVerdict {
    const validity = this.validityOf(round.startedAt, round.startedAtEpoch, ttlMs);
    const decidedAt = round.startedAt + round.elapsedMs;
    const report: AttemptReport = {
      outcomes: round.outcomes,
      elapsedMs: round.elapsedMs,
      validityMs: validity.validUntil - decidedAt,
    };
    const succeeded = round.successes >= this.quorum && report.validityMs > 0 && !signal?.aborted;
    let held = 0;
    for (const outcome of round.outcomes) if (outcome.status === 'held') held++;
    const rules = this.rulesFor(round);
    return {
      succeeded,
      contention: !succeeded && held > this.nodes.length - this.quorum,
      report,
      validity,
      rules,
      describe: () => describeRound(report, rules),
    };
  }

  /** Quorum reached, or so many failures that it is out of reach. */
  readonly #quorumDecided = (tally: Tally): boolean =>
    tally.successes >= this.quorum || tally.failures > tally.nodeCount - this.quorum;

  /**
   * Quorum reached; or the holds alone rule it out (contention, whatever
   * the others say); or failures rule it out and the holds could not rule
   * it out even if every node still out said "held" (failure, whatever the
   * others say). Anything else depends on the nodes still out.
   */
  readonly #contentionDecided = (tally: Tally): boolean => {
    const spare = tally.nodeCount - this.quorum;
    if (tally.successes >= this.quorum || tally.held > spare) return true;
    const outstanding = tally.nodeCount - tally.settled;
    return tally.failures > spare && tally.held + outstanding <= spare;
  };
}
