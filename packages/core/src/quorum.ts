import { lateOutcomeListener } from './diagnostics.js';
import type { LockNode } from './lock-node.js';
import { describeRound, type RoundRules } from './messages.js';
import {
  classifyAcquire,
  classifyExtend,
  classifyFencedAcquire,
  classifyRaise,
  classifyRelease,
} from './node-replies.js';
import { CLOCK_PRECISION_MS } from './options.js';
import type { AttemptReport, NodeOutcome, ReleaseReport } from './reports.js';
import { RestartGuard, type Restarting } from './restart-guard.js';
import { type RoundResult, type RoundSpec, runRound, type Tally } from './round.js';
import type { RedlockRuntime } from './runtime.js';
import {
  type AcquireDecision,
  contentionDecided,
  quorumDecided,
  type RoundVerdict,
  type Validity,
} from './verdict.js';
import { acquireOnNode, type LinePlace } from './waiting-line.js';

/** The settings of a {@link Quorum}, already validated. */
export interface QuorumSettings {
  readonly nodes: readonly LockNode[];
  readonly quorum: number;
  readonly driftFactor: number;
  readonly nodeTimeoutMs: number;
  readonly runtime: RedlockRuntime;
  /** Acquisitions take a fencing token (a second round). Default `false`. */
  readonly fencing?: boolean;
  /** Nodes whose server started less than this ago do not count; 0 = off. */
  readonly restartGuardMs?: number;
  /** Acquisitions take a place in the nodes' waiting lines (`acquireInLine`). Default `false`. */
  readonly waitingLine?: boolean;
}

/** Told when a release of a lock has been sent, so local waiters can take their turn. */
export interface ReleaseObserver {
  released(keys: readonly string[], value: string): void;
}

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
  readonly fencing: boolean;
  readonly waitingLine: boolean;
  readonly #observer: ReleaseObserver;
  readonly #guard: RestartGuard | undefined;
  /** The rules of a round that applied the configured per-node timeout (most rounds): made once. */
  readonly #rules: RoundRules;

  constructor(settings: QuorumSettings, observer: ReleaseObserver) {
    this.nodes = settings.nodes;
    this.quorum = settings.quorum;
    this.driftFactor = settings.driftFactor;
    this.nodeTimeoutMs = settings.nodeTimeoutMs;
    this.runtime = settings.runtime;
    this.fencing = settings.fencing === true;
    this.waitingLine = settings.waitingLine === true;
    const guardMs = settings.restartGuardMs ?? 0;
    this.#guard = guardMs > 0 ? new RestartGuard(guardMs) : undefined;
    this.#observer = observer;
    this.#rules = {
      nodeCount: this.nodes.length,
      quorum: this.quorum,
      nodeTimeoutMs: this.nodeTimeoutMs,
    };
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
      /** Our place in the waiting lines (with `waitingLine`); nodes without them get `acquire`. */
      readonly place?: LinePlace | undefined;
      /** Hears each node's count of places ahead of ours (with `place`). */
      readonly onAhead?: ((ahead: number, node: LockNode) => void) | undefined;
    } = {},
  ): Promise<RoundVerdict> {
    const { signal, onLateAcquired } = options;
    const onLateOutcome = lateOutcomeListener(
      'acquire',
      keys,
      onLateAcquired === undefined
        ? undefined
        : (index: number, outcome: NodeOutcome) => {
            if (outcome.status === 'acquired') onLateAcquired(this.nodes[index]!);
          },
    );
    const isDecided =
      options.decision === 'contention' ? this.#contentionDecided : this.#quorumDecided;
    // A reply after the TTL is worthless: the key may already be gone.
    const nodeTimeoutMs = Math.min(this.nodeTimeoutMs, ttlMs);
    if (!this.fencing) {
      const round = await this.#run({
        nodes: this.nodes,
        call: (node, nodeSignal) =>
          acquireOnNode(node, keys, value, ttlMs, options.place, nodeSignal, options.onAhead),
        classify: classifyAcquire,
        successStatus: 'acquired',
        isDecided,
        nodeTimeoutMs,
        runtime: this.runtime,
        signal,
        onLateOutcome,
      });
      return this.#verdict(round, ttlMs, signal);
    }
    const fences = new Map<LockNode, bigint>();
    const round = await this.#run({
      nodes: this.nodes,
      call: (node, nodeSignal) =>
        node.acquireFenced!(keys, value, ttlMs, nodeSignal).then((reply) => {
          if (reply?.acquired === true) fences.set(node, reply.fence);
          return reply;
        }),
      classify: classifyFencedAcquire,
      successStatus: 'acquired',
      isDecided,
      nodeTimeoutMs,
      runtime: this.runtime,
      signal,
      onLateOutcome,
    });
    const granted = this.#verdict(round, ttlMs, signal);
    if (!granted.succeeded) return granted;
    return this.#writeBackFence(keys, ttlMs, round, fences, signal);
  }

  /**
   * The second round of a fenced acquisition (a quorum max-register): the
   * candidate is the largest counter among the nodes that granted; it is
   * written back (`max(counter, candidate)`) on a quorum before it becomes
   * the lock's token, so every later majority reads at least it.
   */
  async #writeBackFence(
    keys: readonly string[],
    ttlMs: number,
    granted: RoundResult,
    fences: ReadonlyMap<LockNode, bigint>,
    signal: AbortSignal | undefined,
  ): Promise<RoundVerdict> {
    let candidate = 0n;
    granted.outcomes.forEach((outcome, index) => {
      const fence = fences.get(this.nodes[index]!);
      if (outcome.status === 'acquired' && fence !== undefined && fence > candidate) {
        candidate = fence;
      }
    });
    const validity = this.validityOf(granted.startedAt, granted.startedAtEpoch, ttlMs);
    const remainingMs = Math.max(1, validity.validUntil - this.runtime.now());
    const written = await this.#run({
      nodes: this.nodes,
      call: (node, nodeSignal) => node.raiseFence!(keys, candidate, nodeSignal),
      classify: classifyRaise(candidate),
      successStatus: 'raised',
      isDecided: this.#quorumDecided,
      nodeTimeoutMs: Math.min(this.nodeTimeoutMs, remainingMs),
      runtime: this.runtime,
      signal,
      onLateOutcome: lateOutcomeListener('acquire', keys),
    });
    const decidedAt = written.startedAt + written.elapsedMs;
    const report: AttemptReport = {
      outcomes: written.outcomes,
      elapsedMs: decidedAt - granted.startedAt,
      validityMs: validity.validUntil - decidedAt,
    };
    const succeeded = written.successes >= this.quorum && report.validityMs > 0 && !signal?.aborted;
    const rules = this.rulesFor(written);
    return {
      succeeded,
      contention: false,
      report,
      validity,
      fencingToken: succeeded ? candidate : undefined,
      rules,
      describe: describeVerdict,
    };
  }

  /** One extension round: reset the TTL where the keys still hold `value`. */
  async extend(keys: readonly string[], value: string, ttlMs: number): Promise<RoundVerdict> {
    const round = await this.#run({
      nodes: this.nodes,
      call: (node, nodeSignal) => node.extend(keys, value, ttlMs, nodeSignal),
      classify: classifyExtend,
      successStatus: 'extended',
      isDecided: this.#quorumDecided,
      nodeTimeoutMs: Math.min(this.nodeTimeoutMs, ttlMs),
      runtime: this.runtime,
      onLateOutcome: lateOutcomeListener('extend', keys),
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
      isDecided: this.#quorumReached,
      nodeTimeoutMs: this.nodeTimeoutMs,
      runtime: this.runtime,
      onLateOutcome: lateOutcomeListener('release', keys),
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
    // A `restarting` node was not asked either.
    const suspects = this.nodes.filter((_, index) => {
      const status = report.outcomes[index]?.status;
      return status !== 'held' && status !== 'restarting';
    });
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
      onLateOutcome: lateOutcomeListener('release', keys),
    });
  }

  /** The rules a description of `round` refers to. */
  rulesFor(round: RoundResult): RoundRules {
    if (round.nodeTimeoutMs === this.nodeTimeoutMs) return this.#rules;
    return {
      nodeCount: this.nodes.length,
      quorum: this.quorum,
      nodeTimeoutMs: round.nodeTimeoutMs,
    };
  }

  /** A round whose votes count only from nodes outside the restart guard. */
  #run<Reply>(spec: RoundSpec<Reply>): Promise<RoundResult> {
    const guard = this.#guard;
    if (guard === undefined) return runRound(spec);
    return runRound<Reply | Restarting>({
      ...spec,
      call: guard.call(spec.call),
      classify: guard.classify(spec.classify),
    });
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
      describe: describeVerdict,
    };
  }

  readonly #quorumDecided = (tally: Tally): boolean => quorumDecided(tally, this.quorum);
  readonly #quorumReached = (tally: Tally): boolean => tally.successes >= this.quorum;
  readonly #contentionDecided = (tally: Tally): boolean => contentionDecided(tally, this.quorum);
}

/** A verdict's one-line explanation: shared by every verdict, so no closure is made per round. */
function describeVerdict(this: RoundVerdict): string {
  return describeRound(this.report, this.rules);
}
