import type { LockNode } from './lock-node.js';
import type { NodeOutcome } from './reports.js';
import type { RedlockRuntime } from './runtime.js';

/** The answers of a round so far, for its stopping rule. */
export interface Tally {
  readonly nodeCount: number;
  /** Nodes that answered (or failed) so far. */
  readonly settled: number;
  /** Outcomes with the round's success status. */
  readonly successes: number;
  /** Every other outcome, `held` included. */
  readonly failures: number;
  /** Outcomes `held`: another owner has a key. */
  readonly held: number;
}

/** One request to every node in parallel, decided as early as its stopping rule allows. */
export interface RoundSpec<Reply> {
  readonly nodes: readonly LockNode[];
  readonly call: (node: LockNode, signal: AbortSignal) => Promise<Reply>;
  /** Turn a reply into an outcome; throw on a reply of the wrong shape. */
  readonly classify: (reply: Reply, node: LockNode) => NodeOutcome;
  /** The outcome status that counts as a success. */
  readonly successStatus: NodeOutcome['status'];
  /**
   * Whether the answers so far decide the round, so the nodes still out
   * need not be waited for. Asked after every answer; the round is decided
   * anyway once every node answered or at the per-node timeout.
   */
  readonly isDecided: (tally: Tally) => boolean;
  readonly nodeTimeoutMs: number;
  readonly runtime: RedlockRuntime;
  /** The caller's signal: aborting it decides the round at once. */
  readonly signal?: AbortSignal | undefined;
  /**
   * An answer that arrived after the round was decided (a straggler left
   * to finish, or a node that answered after the timeout despite its abort).
   */
  readonly onLateOutcome?: ((nodeIndex: number, outcome: NodeOutcome) => void) | undefined;
}

export interface RoundResult {
  /** Per node, in the order of `nodes`. */
  readonly outcomes: NodeOutcome[];
  readonly successes: number;
  /** Monotonic time the round started. */
  readonly startedAt: number;
  /** Wall-clock time the round started, read at the same instant as `startedAt`. */
  readonly startedAtEpoch: number;
  /** Monotonic ms from start to decision. */
  readonly elapsedMs: number;
  /** The per-node timeout this round applied. */
  readonly nodeTimeoutMs: number;
}

/** Reason given to the signals of nodes that did not answer within the per-node timeout. */
export class NodeTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within the per-node timeout of ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

/**
 * Controllers of finished rounds whose signal never aborted, for reuse: on
 * Node 20 a new AbortController and its first listener cost several
 * microseconds, which is a measurable share of an acquire+release cycle.
 * A controller comes back only once every node of its round has answered,
 * so no call still holds its signal; the `LockNode` contract asks adapters
 * to drop their abort listeners once a call settled, and the conformance
 * suite checks it.
 */
const idleControllers: AbortController[] = [];
const MAX_IDLE_CONTROLLERS = 64;

function returnController(controller: AbortController): void {
  if (!controller.signal.aborted && idleControllers.length < MAX_IDLE_CONTROLLERS) {
    idleControllers.push(controller);
  }
}

/**
 * Sends `call` to every node at once. Resolves (never rejects) as soon as
 * `isDecided` says the answers so far decide the round; or when every node
 * answered; or at the per-node timeout, which all requests of a round share
 * because they start together. Nodes still running at the timeout, or when
 * the caller aborts, have their signal aborted and are reported as
 * `timeout` or `pending`. Nodes still running when the round was decided
 * early are left to finish (aborting them would only cost time on the hot
 * path), are reported as `pending`, and their answer goes to `onLateOutcome`.
 */
export function runRound<Reply>(spec: RoundSpec<Reply>): Promise<RoundResult> {
  const { nodes, runtime, signal } = spec;
  const nodeCount = nodes.length;
  return new Promise<RoundResult>((resolve) => {
    const outcomes = new Array<NodeOutcome | undefined>(nodeCount);
    const controller = idleControllers.pop() ?? new AbortController();
    const startedAt = runtime.now();
    const startedAtEpoch = runtime.epochNow();
    const tally = { nodeCount, settled: 0, successes: 0, failures: 0, held: 0 };
    let decided = false;
    let timedOut = false;

    const decide = (stragglerReason?: unknown): void => {
      if (decided) return;
      decided = true;
      runtime.clearTimer(timer);
      signal?.removeEventListener('abort', onCallerAbort);
      const elapsedMs = runtime.now() - startedAt;
      for (let index = 0; index < nodeCount; index++) {
        if (outcomes[index] === undefined) {
          outcomes[index] = { node: nodes[index]!.name, status: timedOut ? 'timeout' : 'pending' };
        }
      }
      if (stragglerReason !== undefined && tally.settled < nodeCount) {
        controller.abort(stragglerReason);
      }
      resolve({
        outcomes: outcomes as NodeOutcome[],
        successes: tally.successes,
        startedAt,
        startedAtEpoch,
        elapsedMs,
        nodeTimeoutMs: spec.nodeTimeoutMs,
      });
    };

    const record = (index: number, outcome: NodeOutcome): void => {
      tally.settled++;
      if (tally.settled === nodeCount) returnController(controller);
      if (decided) {
        spec.onLateOutcome?.(index, outcome);
        return;
      }
      outcomes[index] = outcome;
      if (outcome.status === spec.successStatus) tally.successes++;
      else {
        tally.failures++;
        if (outcome.status === 'held') tally.held++;
      }
      if (tally.settled === nodeCount || spec.isDecided(tally)) decide();
    };

    const onCallerAbort = (): void => decide(signal?.reason);
    const timer = runtime.setTimer(() => {
      timedOut = true;
      decide(new NodeTimeoutError(spec.nodeTimeoutMs));
    }, spec.nodeTimeoutMs);
    if (signal?.aborted) {
      decide();
      return;
    }
    signal?.addEventListener('abort', onCallerAbort, { once: true });

    for (let index = 0; index < nodeCount; index++) {
      const node = nodes[index]!;
      let pending: Promise<Reply>;
      try {
        pending = Promise.resolve(spec.call(node, controller.signal));
      } catch (error) {
        // A node that throws synchronously is a failed node, not a crashed acquire.
        pending = Promise.reject(error);
      }
      pending.then(
        (reply) => {
          let outcome: NodeOutcome;
          try {
            outcome = spec.classify(reply, node);
          } catch (error) {
            outcome = { node: node.name, status: 'error', cause: error };
          }
          record(index, outcome);
        },
        (error: unknown) => record(index, { node: node.name, status: 'error', cause: error }),
      );
    }
  });
}
