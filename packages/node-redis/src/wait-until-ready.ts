import { InvalidArgumentError, type LockNode, type Redlock } from '@redlock/core';
import { waitUntilNodesReady } from '@redlock/redis-scripts';

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
 * {@link createRedlock} could fail on every node; await this first.
 *
 * ```ts
 * const redlock = createRedlock(urls, { nodeTimeoutMs: 50 });
 * await waitUntilReady(redlock, { signal: AbortSignal.timeout(5000) });
 * ```
 *
 * Nodes of other kinds (without a `ready()` method) count as ready. When
 * `signal` aborts first it rejects with a `NodesNotReadyError` that names the
 * nodes not ready yet (`nodeNames`), with the signal's reason as `cause`;
 * Redlock still works with a majority, so you may carry on.
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
  const { signal } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidArgumentError('signal must be an AbortSignal');
  }
  return waitUntilNodesReady(nodes, signal);
}
