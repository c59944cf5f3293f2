import { InvalidArgumentError, Redlock, type RedlockOptions } from '@redlock/core';
import {
  closeWithin,
  describeInvalidCloseTimeout,
  listClientsOrUrls,
} from '@redlock/redis-scripts';
import { createClient, type RedisClientOptions } from 'redis';
import type { NodeRedisClient } from './node-redis-client.js';
import { NodeRedisLockNode } from './node-redis-lock-node.js';
import type { NodeRedisLockNodeOptions } from './node-redis-lock-node-options.js';

/** The URL `createRedlock()` connects to when given nothing. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379/0';

/** How long `redlock.close()` waits for a client it created to close gracefully, by default. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 1000;

/** Options of {@link createRedlock}: Redlock's, the nodes', and those of clients created from URLs. */
export interface CreateRedlockOptions extends RedlockOptions, NodeRedisLockNodeOptions {
  /**
   * node-redis options for the clients created from URLs (ignored for
   * clients you pass in); `url` is set from the URL given.
   */
  readonly clientOptions?: Omit<RedisClientOptions, 'url'>;
  /**
   * How long `redlock.close()` lets each client created from a URL close
   * gracefully (replies still in flight arrive first) before it destroys the
   * connection. A server that is frozen or unreachable never answers; this
   * bounds how long `close()` can take. Default
   * {@link DEFAULT_CLOSE_TIMEOUT_MS} (1000 ms); 0 destroys at once.
   */
  readonly closeTimeoutMs?: number;
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
 * queue meanwhile), load the lock scripts when connected, and get an
 * `'error'` listener, so a node that cannot be reached shows up in Redlock's
 * errors instead of crashing the process. With a short `nodeTimeoutMs`,
 * `await waitUntilReady(redlock)` before the first lock. `redlock.close()`
 * (and `await using`) closes the nodes' pub/sub connections and those
 * clients, each within `closeTimeoutMs`; clients you pass in stay open, they
 * are yours to close. Connect them before use.
 */
export function createRedlock(
  clientsOrUrls: ClientOrUrl | readonly ClientOrUrl[] = DEFAULT_REDIS_URL,
  options: CreateRedlockOptions = {},
): Redlock {
  const listed = listClientsOrUrls(clientsOrUrls);
  if ('problem' in listed) throw new InvalidArgumentError(listed.problem);
  const { entries } = listed;
  const {
    commandTimeoutMs,
    keyPrefix,
    clientOptions,
    closeTimeoutMs = DEFAULT_CLOSE_TIMEOUT_MS,
    ...redlockOptions
  } = options;
  const closeTimeoutProblem = describeInvalidCloseTimeout(closeTimeoutMs);
  if (closeTimeoutProblem) throw new InvalidArgumentError(closeTimeoutProblem);
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
    await Promise.all(owned.map((client) => closeOwnedClient(client, closeTimeoutMs)));
  };
  return redlock;
}

/**
 * Closes gracefully when connected (replies still in flight arrive first),
 * but destroys the connection after `closeTimeoutMs`, or at once when it is
 * not connected.
 *
 * Not with `client.close()`: it waits for every pending reply without a
 * bound, and once called, `destroy()` can no longer drop the socket. Instead
 * a PING marks the end of what was sent (Redis answers in order), and the
 * connection is destroyed once it is answered or the time is up.
 */
async function closeOwnedClient(client: OwnedClient, closeTimeoutMs: number): Promise<void> {
  if (!client.isOpen) return;
  if (!client.isReady) return client.destroy();
  await closeWithin(
    closeTimeoutMs,
    async () => {
      await client.sendCommand(['PING']);
      client.destroy();
    },
    () => client.destroy(),
  );
}
