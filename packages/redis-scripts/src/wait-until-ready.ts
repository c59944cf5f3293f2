import { InvalidArgumentError, type LockNode, type Redlock, RedlockError } from '@redlock/core';

/** A lock node that may say when it is ready; `RedisLockNode` has `ready()`. */
export interface ReadyNode {
  readonly name: string;
  /** Resolves once the node can serve a call in one round trip; rejects only when `signal` aborts. */
  ready?(signal?: AbortSignal): Promise<void>;
}

/**
 * {@link waitUntilReady} gave up (its signal aborted) before every node was
 * ready. A `RedlockError` with code `ABORTED`; `cause` is the signal's reason.
 */
export class NodesNotReadyError extends RedlockError {
  /** Names of the nodes that were not ready yet. */
  readonly nodeNames: readonly string[];

  constructor(nodeNames: readonly string[], total: number, cause: unknown) {
    super('ABORTED', `${nodeNames.length} of ${total} nodes not ready: ${nodeNames.join(', ')}`, {
      cause,
    });
    this.name = 'NodesNotReadyError';
    this.nodeNames = nodeNames;
  }
}

/** Options of {@link waitUntilReady}. */
export interface WaitUntilReadyOptions {
  /** Give up when this aborts, e.g. `AbortSignal.timeout(5000)`. Default: wait as long as it takes. */
  readonly signal?: AbortSignal;
}

/**
 * Resolves once every node of `redlock` (or every node given) is connected
 * and has the lock scripts cached, so the first lock costs one round trip
 * per node. Redlock bounds every call with `nodeTimeoutMs`, connecting
 * included, so with a short timeout a lock taken right after
 * `createRedlock` could fail on every node; await this first.
 *
 * ```ts
 * const redlock = createRedlock(urls, { nodeTimeoutMs: 50 });
 * await waitUntilReady(redlock, { signal: AbortSignal.timeout(5000) });
 * ```
 *
 * Nodes of other kinds (without a `ready()` method) count as ready. When
 * `signal` aborts first it rejects with a {@link NodesNotReadyError} that
 * names the nodes not ready yet (`nodeNames`), with the signal's reason as
 * `cause`; Redlock still works with a majority, so you may carry on.
 */
export function waitUntilReady(
  redlockOrNodes: Redlock | readonly LockNode[],
  options: WaitUntilReadyOptions = {},
): Promise<void> {
  const nodes = Array.isArray(redlockOrNodes)
    ? redlockOrNodes
    : (redlockOrNodes as Partial<Redlock> | null | undefined)?.nodes;
  if (!Array.isArray(nodes)) {
    throw new InvalidArgumentError('waitUntilReady needs a Redlock or an array of lock nodes');
  }
  const signal = (options as WaitUntilReadyOptions | null | undefined)?.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidArgumentError('signal must be an AbortSignal');
  }
  return waitUntilNodesReady(nodes as readonly ReadyNode[], signal);
}

async function waitUntilNodesReady(
  nodes: readonly ReadyNode[],
  signal: AbortSignal | undefined,
): Promise<void> {
  const ready = nodes.map((node) => typeof node.ready !== 'function');
  const results = await Promise.allSettled(
    nodes.map(async (node, index) => {
      if (ready[index]) return;
      await node.ready?.(signal);
      ready[index] = true;
    }),
  );
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) {
    // A closed node is a programming error of its own, not a wait that ran out.
    const reason = (failed as PromiseRejectedResult).reason;
    if (reason instanceof InvalidArgumentError) throw reason;
    const notReady = nodes.filter((_node, index) => !ready[index]).map((node) => node.name);
    throw new NodesNotReadyError(notReady, nodes.length, signal?.reason);
  }
}
