import { InvalidArgumentError, Redlock, type RedlockOptions } from '@redlock/core';
import {
  closeWithin,
  describeInvalidCloseTimeout,
  listClientsOrUrls,
} from '@redlock/redis-scripts';
import { Redis, type RedisOptions } from 'ioredis';
import { disconnectNow } from './disconnect-now.js';
import { type IoredisClient, IoredisLockNode } from './ioredis-lock-node.js';
import type { IoredisLockNodeOptions } from './ioredis-lock-node-options.js';

/** The URL `createRedlock()` connects to when given nothing. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379/0';

/** How long `redlock.close()` waits for a client it created to quit gracefully, by default. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 1000;

/** Options of {@link createRedlock}: Redlock's, the nodes', and those of clients created from URLs. */
export interface CreateRedlockOptions extends RedlockOptions, IoredisLockNodeOptions {
  /**
   * ioredis options for the clients created from URLs (ignored for clients
   * you pass in). They override the defaults described in
   * {@link ownedClientDefaults}.
   */
  readonly clientOptions?: RedisOptions;
  /**
   * How long `redlock.close()` lets each client created from a URL quit
   * gracefully (`QUIT`, so replies still in flight arrive) before it drops
   * the connection. A server that is frozen or unreachable never answers
   * `QUIT`; this bounds how long `close()` can take. Default
   * {@link DEFAULT_CLOSE_TIMEOUT_MS} (1000 ms); 0 drops at once.
   */
  readonly closeTimeoutMs?: number;
}

/**
 * Defaults for clients created from URLs, chosen for locking:
 *
 * - `maxRetriesPerRequest: 0`: a command waiting for a node that is down
 *   fails at the next failed reconnection instead of after 20, so a queued
 *   acquire is not sent long after Redlock gave up on it.
 * - `enableOfflineQueue` stays on, so commands issued right after start-up
 *   wait for the first connection instead of failing.
 * - An `'error'` listener is attached: a node that cannot be reached shows up
 *   in Redlock's errors, not as "Unhandled error event" logs.
 */
export const ownedClientDefaults: Readonly<RedisOptions> = Object.freeze({
  maxRetriesPerRequest: 0,
  enableOfflineQueue: true,
});

type ClientOrUrl = IoredisClient | string;

/**
 * Creates a {@link Redlock} over ioredis clients, or over URLs it connects
 * to itself.
 *
 * ```ts
 * const redlock = createRedlock(['redis://10.0.0.1:6379', 'redis://10.0.0.2:6379', 'redis://10.0.0.3:6379']);
 * await redlock.using('orders:42', 5000, async (signal) => { ... });
 * await redlock.close(); // quits the three clients it created
 * ```
 *
 * With no argument it connects to `redis://127.0.0.1:6379/0`. Clients
 * created from URLs start connecting at once, and load the lock scripts when
 * connected; with a short `nodeTimeoutMs`, `await waitUntilReady(redlock)`
 * before the first lock. `redlock.close()` (and `await using`) closes the
 * nodes' pub/sub connections and quits the clients created from URLs, each
 * within `closeTimeoutMs`; clients you pass in stay open, they are yours to
 * close.
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
  const nodeOptions: IoredisLockNodeOptions = { commandTimeoutMs, keyPrefix };

  const owned: Redis[] = [];
  const nodes = entries.map((entry) => {
    if (typeof entry !== 'string') return new IoredisLockNode(entry, nodeOptions);
    // Lazy until nothing can throw any more, so a failed call leaves no
    // connection behind.
    const client = new Redis(entry, {
      ...ownedClientDefaults,
      ...clientOptions,
      lazyConnect: true,
    });
    client.on('error', () => undefined);
    owned.push(client);
    return new IoredisLockNode(client, nodeOptions);
  });
  const redlock = new Redlock(nodes, redlockOptions);
  if (!clientOptions?.lazyConnect) {
    for (const client of owned) client.connect().catch(() => undefined);
  }
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
 * Quits gracefully when connected (replies still in flight arrive first), but
 * drops the connection after `closeTimeoutMs`, or at once when it is not
 * connected (a `QUIT` would wait in the offline queue).
 */
async function closeOwnedClient(client: Redis, closeTimeoutMs: number): Promise<void> {
  if (client.status !== 'ready') return disconnectNow(client);
  await closeWithin(
    closeTimeoutMs,
    async () => {
      // Resolved once the socket is closed, not just when QUIT was answered.
      const ended = new Promise((resolve) => client.once('end', resolve));
      await client.quit();
      await ended;
    },
    () => disconnectNow(client),
  );
}
