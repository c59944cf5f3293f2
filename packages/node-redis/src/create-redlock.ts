import { InvalidArgumentError, Redlock, type RedlockOptions } from '@redlock/core';
import { parseRedisUrl } from '@redlock/redis-scripts';
import { createClient, type RedisClientOptions } from 'redis';
import type { NodeRedisClient } from './node-redis-client.js';
import { NodeRedisLockNode } from './node-redis-lock-node.js';
import type { NodeRedisLockNodeOptions } from './node-redis-lock-node-options.js';

/** The URL `createRedlock()` connects to when given nothing. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379/0';

/** Options of {@link createRedlock}: Redlock's, the nodes', and those of clients created from URLs. */
export interface CreateRedlockOptions extends RedlockOptions, NodeRedisLockNodeOptions {
  /**
   * node-redis options for the clients created from URLs (ignored for
   * clients you pass in); `url` is set from the URL given.
   */
  readonly clientOptions?: Omit<RedisClientOptions, 'url'>;
}

type ClientOrUrl = NodeRedisClient | string;
type OwnedClient = ReturnType<typeof createClient>;

/**
 * Creates a {@link Redlock} over node-redis clients, or over URLs it connects
 * to itself.
 *
 * ```ts
 * const redlock = createRedlock(['redis://10.0.0.1:6379', 'redis://10.0.0.2:6379', 'redis://10.0.0.3:6379']);
 * await redlock.using('orders:42', 5000, async (signal) => { ... });
 * await redlock.close(); // closes the three clients it created
 * ```
 *
 * With no argument it connects to `redis://127.0.0.1:6379/0`. Clients
 * created from URLs start connecting at once (commands wait in their offline
 * queue meanwhile) and get an `'error'` listener, so a node that cannot be
 * reached shows up in Redlock's errors instead of crashing the process.
 * `redlock.close()` (and `await using`) closes the nodes' pub/sub
 * connections and those clients; clients you pass in stay open, they are
 * yours to close. Connect them before use.
 */
export function createRedlock(
  clientsOrUrls: ClientOrUrl | readonly ClientOrUrl[] = DEFAULT_REDIS_URL,
  options: CreateRedlockOptions = {},
): Redlock {
  const entries: readonly ClientOrUrl[] = Array.isArray(clientsOrUrls)
    ? clientsOrUrls
    : [clientsOrUrls as ClientOrUrl];
  if (entries.length === 0) {
    throw new InvalidArgumentError('createRedlock needs at least one client or URL');
  }
  for (const entry of entries) {
    if (typeof entry === 'string' && parseRedisUrl(entry) === undefined) {
      throw new InvalidArgumentError(
        `not a redis:// or rediss:// URL: ${JSON.stringify(entry.replace(/\/\/[^@/]*@/, '//***@'))}`,
      );
    }
  }
  const { commandTimeoutMs, keyPrefix, clientOptions, ...redlockOptions } = options;
  const nodeOptions: NodeRedisLockNodeOptions = { commandTimeoutMs, keyPrefix };

  const owned: OwnedClient[] = [];
  const nodes = entries.map((entry) => {
    if (typeof entry !== 'string') return new NodeRedisLockNode(entry, nodeOptions);
    const client = createClient({ ...clientOptions, url: entry });
    client.on('error', () => undefined);
    owned.push(client);
    return new NodeRedisLockNode(client, nodeOptions);
  });
  const redlock = new Redlock(nodes, redlockOptions);
  // Only connect once nothing can throw any more, so a failed call leaves
  // no connection behind.
  for (const client of owned) client.connect().catch(() => undefined);
  // Redlock.close() closes the nodes (their pub/sub connections); the
  // clients created here are ours too. Symbol.asyncDispose calls close().
  const closeNodes = redlock.close.bind(redlock);
  redlock.close = async () => {
    await closeNodes();
    await Promise.all(owned.map(closeClient));
  };
  return redlock;
}

/** Closes gracefully when connected (pending replies still arrive), at once otherwise. */
async function closeClient(client: OwnedClient): Promise<void> {
  if (!client.isOpen) return;
  if (client.isReady) {
    await client.close();
  } else {
    client.destroy();
  }
}
