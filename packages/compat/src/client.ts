import type { LockNode } from '@redlock/core';
import { InvalidArgumentError } from '@redlock/core';
import type { IoredisClient } from '@redlock/ioredis';
import type { NodeRedisClient } from '@redlock/node-redis';

/**
 * A Redis client node-redlock takes (an ioredis `Redis` or `Cluster`), or a
 * node-redis client or cluster (`createClient()`, `createCluster()`).
 */
export type Client = IoredisClient | NodeRedisClient;

export type ClientKind = 'ioredis' | 'node-redis';

/**
 * Tells the two client libraries apart by shape, without importing either:
 * an app has only one of them installed.
 */
export function clientKindOf(client: unknown, index: number): ClientKind {
  const candidate = client as Record<string, unknown> | null;
  if (candidate !== null && typeof candidate === 'object') {
    // ioredis Redis and Cluster both have a string `status` and `defineCommand`.
    if (typeof candidate.defineCommand === 'function' && typeof candidate.status === 'string') {
      return 'ioredis';
    }
    // node-redis clients have `isOpen`, clusters `masters`; both have `sendCommand`.
    if (
      typeof candidate.sendCommand === 'function' &&
      ('isOpen' in candidate || 'masters' in candidate)
    ) {
      return 'node-redis';
    }
  }
  throw new InvalidArgumentError(
    `clients[${index}] is neither an ioredis Redis/Cluster nor a node-redis client or cluster`,
  );
}

/**
 * The `LockNode` of one client. The adapter is imported on first use, so an
 * app with only one of the two client libraries installed never loads the
 * other one.
 */
export async function lockNodeOf(client: Client, kind: ClientKind): Promise<LockNode> {
  if (kind === 'ioredis') {
    const { IoredisLockNode } = await import('@redlock/ioredis');
    return new IoredisLockNode(client as IoredisClient);
  }
  const { NodeRedisLockNode } = await import('@redlock/node-redis');
  return new NodeRedisLockNode(client as NodeRedisClient);
}

/** Quit a client as node-redlock's `quit()` does (node-redis 5 calls it `close`). */
export async function quitClient(client: Client): Promise<void> {
  const closable = client as { quit?: () => Promise<unknown>; close?: () => Promise<unknown> };
  if (typeof closable.close === 'function' && !('defineCommand' in client)) {
    await closable.close();
  } else if (typeof closable.quit === 'function') {
    await closable.quit();
  }
}
