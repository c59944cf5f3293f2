import type { NodeOutcome } from './errors.js';
import type { LockNode } from './lock-node.js';
import type { RedlockRuntime } from './runtime.js';

/** One request to every node in parallel, decided as early as the outcome is certain. */
export interface RoundSpec<Reply> {
  readonly nodes: readonly LockNode[];
  readonly call: (node: LockNode, signal: AbortSignal) => Promise<Reply>;
  /** Turn a reply into an outcome; throw on a reply of the wrong shape. */
  readonly classify: (reply: Reply, node: LockNode) => NodeOutcome;
  /** The outcome status that counts towards `quorum`. */
  readonly successStatus: NodeOutcome['status'];
  /** Successes needed; the round is decided once reached, or once it is out of reach. */
  readonly quorum: number;
  /**
   * When to stop waiting for the other nodes: `'either'` once the outcome is
   * certain (quorum reached or out of reach), `'success'` only once quorum is
   * reached (a release that found nothing waits to hear from every node),
   * `'never'` when every node must answer (or time out).
   */
  readonly decideEarly: 'either' | 'success' | 'never';
  readonly nodeTimeoutMs: number;
  readonly runtime: RedlockRuntime;
  /** The caller's signal: aborting it decides the round at once. */
  readonly signal?: AbortSignal | undefined;
}

export interface RoundResult {
  /** Per node, in the order of `nodes`. */
  readonly outcomes: NodeOutcome[];
  readonly successes: number;
  /** Monotonic time the round started. */
  readonly startedAt: number;
  /** Monotonic ms from start to decision. */
  readonly elapsedMs: number;
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
 * so no call still holds its signal.
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
 * the outcome is certain: `quorum` successes, or so many failures that
 * quorum is out of reach; or when every node answered; or at the per-node
 * timeout, which all requests of a round share because they start together.
 * Nodes still running at the timeout, or when the caller aborts, have their
 * signal aborted and are reported as `timeout` or `pending`. Nodes still
 * running when the outcome became certain are left to finish (aborting them
 * would only cost time on the hot path) and are reported as `pending`.
 */
export function runRound<Reply>(spec: RoundSpec<Reply>): Promise<RoundResult> {
  const { nodes, runtime, signal, quorum } = spec;
  const nodeCount = nodes.length;
  return new Promise<RoundResult>((resolve) => {
    const outcomes = new Array<NodeOutcome | undefined>(nodeCount);
    const controller = idleControllers.pop() ?? new AbortController();
    const startedAt = runtime.now();
    let successes = 0;
    let failures = 0;
    let settled = 0;
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
      if (stragglerReason !== undefined && settled < nodeCount) controller.abort(stragglerReason);
      resolve({ outcomes: outcomes as NodeOutcome[], successes, startedAt, elapsedMs });
    };

    const record = (index: number, outcome: NodeOutcome): void => {
      settled++;
      if (settled === nodeCount) returnController(controller);
      if (decided) return;
      outcomes[index] = outcome;
      if (outcome.status === spec.successStatus) successes++;
      else failures++;
      const certain =
        (spec.decideEarly !== 'never' && successes >= quorum) ||
        (spec.decideEarly === 'either' && failures > nodeCount - quorum);
      if (certain || settled === nodeCount) decide();
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
