import type { LockNode, ServerRun } from './lock-node.js';
import type { NodeOutcome } from './reports.js';

/**
 * The restart guard (`restartGuardMs`): a node whose server started less
 * than the guard ago may have restarted without the locks it granted, so
 * its answers count toward no quorum. It is not even asked: its outcome is
 * `restarting`, with how long ago it started and when it counts again.
 *
 * Wraps a round's `call` and `classify`. The run is read right before the
 * request is sent (synchronously when the node knows it, which costs
 * nothing), so it is the run that answers that request.
 */
export class RestartGuard {
  constructor(readonly guardMs: number) {}

  /** `call`, preceded by a check of the node's server run. */
  call<Reply>(
    call: (node: LockNode, signal: AbortSignal) => Promise<Reply>,
  ): (node: LockNode, signal: AbortSignal) => Promise<Reply | Restarting> {
    return (node, signal) => {
      const run = node.serverRun!(signal);
      if (isPromise(run)) {
        return run.then((checked) => this.#admit(checked, () => call(node, signal)));
      }
      return this.#admit(run, () => call(node, signal));
    };
  }

  /** `classify`, which reports a node that was not asked as `restarting`. */
  classify<Reply>(
    classify: (reply: Reply, node: LockNode) => NodeOutcome,
  ): (reply: Reply | Restarting, node: LockNode) => NodeOutcome {
    return (reply, node) =>
      reply instanceof Restarting ? reply.outcome(node, this.guardMs) : classify(reply, node);
  }

  #admit<Reply>(run: ServerRun, send: () => Promise<Reply>): Promise<Reply | Restarting> {
    const uptimeMs = run?.uptimeMs;
    if (typeof uptimeMs !== 'number' || Number.isNaN(uptimeMs) || uptimeMs < 0) {
      return Promise.reject(new TypeError(`invalid serverRun reply: uptimeMs ${String(uptimeMs)}`));
    }
    if (uptimeMs < this.guardMs) return Promise.resolve(new Restarting(uptimeMs));
    return send();
  }
}

/** A node that was not asked: its server started `uptimeMs` ago, within the guard. */
export class Restarting {
  constructor(readonly uptimeMs: number) {}

  outcome(node: LockNode, guardMs: number): NodeOutcome {
    return {
      node: node.name,
      status: 'restarting',
      restartedMsAgo: this.uptimeMs,
      countedAgainInMs: guardMs - this.uptimeMs,
    };
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
