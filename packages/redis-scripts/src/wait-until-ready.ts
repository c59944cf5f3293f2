/** A lock node that may say when it is ready; the Redis adapters' nodes have `ready()`. */
export interface ReadyNode {
  readonly name: string;
  /** Resolves once the node can serve a call in one round trip; rejects only when `signal` aborts. */
  ready?(signal?: AbortSignal): Promise<void>;
}

/** {@link waitUntilNodesReady} gave up (its signal aborted) before every node was ready. */
export class NodesNotReadyError extends Error {
  /** Names of the nodes that were not ready yet. */
  readonly nodeNames: readonly string[];

  constructor(nodeNames: readonly string[], total: number, cause: unknown) {
    super(`${nodeNames.length} of ${total} nodes not ready: ${nodeNames.join(', ')}`, { cause });
    this.name = 'NodesNotReadyError';
    this.nodeNames = nodeNames;
  }
}

/**
 * Resolves once every node that has a `ready()` method is ready (nodes
 * without one count as ready). When `signal` aborts first, rejects with a
 * {@link NodesNotReadyError} naming the nodes still not ready, with the
 * signal's reason as its `cause`.
 */
export async function waitUntilNodesReady(
  nodes: readonly ReadyNode[],
  signal?: AbortSignal,
): Promise<void> {
  const ready = nodes.map((node) => typeof node.ready !== 'function');
  const results = await Promise.allSettled(
    nodes.map(async (node, index) => {
      if (ready[index]) return;
      await node.ready?.(signal);
      ready[index] = true;
    }),
  );
  if (results.some((result) => result.status === 'rejected')) {
    const notReady = nodes.filter((_node, index) => !ready[index]).map((node) => node.name);
    throw new NodesNotReadyError(notReady, nodes.length, signal?.reason);
  }
}
