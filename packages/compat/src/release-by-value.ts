import type { LockNode } from '@redlock/core';
import type { Client } from './client.js';
import { appliedTo, asError, type ExecutionStats, emptyStats } from './execution-stats.js';
import type { Lock } from './lock.js';

/**
 * Release a `Lock` the app constructed itself from a stored value (node-redlock
 * allows `new Lock(redlock, resources, value, [], expiration)`): there is no
 * core lock behind it, so the release goes to every server directly, each
 * bounded by `nodeTimeoutMs`.
 */
export async function releaseByValue(
  clients: readonly Client[],
  nodes: readonly LockNode[],
  lock: Lock,
  nodeTimeoutMs: number,
): Promise<ExecutionStats> {
  const stats = emptyStats(clients);
  const keyCount = lock.resources.length;
  await Promise.all(
    nodes.map(async (node, index) => {
      const client = clients[index]!;
      try {
        const deleted = await node.release(
          lock.resources,
          lock.value,
          AbortSignal.timeout(nodeTimeoutMs),
        );
        if (deleted === keyCount) stats.votesFor.add(client);
        else stats.votesAgainst.set(client, appliedTo(deleted, keyCount));
      } catch (error) {
        stats.votesAgainst.set(client, asError(error));
      }
    }),
  );
  return stats;
}
