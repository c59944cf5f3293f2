import type { Redlock } from '@redlock/core';
import {
  type CreateRedisRedlockOptions,
  type RedisClientBinding,
  type RedisServerEntry,
  redlockFactory,
} from '@redlock/redis-scripts';
import type { RedisOptions } from 'ioredis';
import * as ioredis from 'ioredis';
import type { IoredisClient } from './ioredis-client-port.js';
import { IoredisLockNode } from './ioredis-lock-node.js';

export { DEFAULT_CLOSE_TIMEOUT_MS, DEFAULT_REDIS_URL } from '@redlock/redis-scripts';

/** Options of {@link createRedlock}; `clientOptions` are ioredis `RedisOptions` for the clients it creates. */
export type CreateRedlockOptions = CreateRedisRedlockOptions<RedisOptions>;

/**
 * Defaults for clients created from URLs and connection objects, chosen for
 * locking:
 *
 * - `maxRetriesPerRequest: 0`: a command waiting for a node that is down
 *   fails at the next failed reconnection instead of after 20, so a queued
 *   acquire is not sent long after Redlock gave up on it.
 * - `enableOfflineQueue` stays on, so commands issued right after start-up
 *   wait for the first connection instead of failing.
 */
export const ownedClientDefaults: Readonly<RedisOptions> = Object.freeze({
  maxRetriesPerRequest: 0,
  enableOfflineQueue: true,
});

/** The `Redis` class to create clients with: `ioredis`' own, or another copy's (e.g. another major in tests). */
export interface IoredisModule {
  readonly Redis: new (options: RedisOptions) => ioredis.Redis;
}

/** How `createRedlock` creates, connects and wraps ioredis clients, for a given `Redis` class. */
export function ioredisBinding(
  module: IoredisModule,
): RedisClientBinding<IoredisClient, RedisOptions> {
  return {
    createNode: (client, settings) => new IoredisLockNode(client, settings),
    openClient(spec, clientOptions) {
      const client = new module.Redis({
        ...ownedClientDefaults,
        host: spec.host,
        port: spec.port,
        db: spec.db,
        ...(spec.path === undefined ? {} : { path: spec.path }),
        ...(spec.username === undefined ? {} : { username: spec.username }),
        ...(spec.password === undefined ? {} : { password: spec.password }),
        ...(spec.tls === undefined ? {} : { tls: spec.tls }),
        ...clientOptions,
        // Connected only once nothing can throw any more, so a failed call leaves no connection behind.
        lazyConnect: true,
      });
      // A node that cannot be reached shows up in Redlock's errors, not as "Unhandled error event" logs.
      client.on('error', () => undefined);
      return client;
    },
    connectClient(client, clientOptions) {
      if (!clientOptions?.lazyConnect) (client as ioredis.Redis).connect().catch(() => undefined);
    },
  };
}

/**
 * Creates a `Redlock` over ioredis clients, or over servers it connects to
 * itself: `redis://` / `rediss://` / `redis+unix://` URLs, or
 * `{ host, port, db, username, password, tls }` objects.
 *
 * ```ts
 * const redlock = createRedlock(['redis://10.0.0.1:6379', 'redis://10.0.0.2:6379', 'redis://10.0.0.3:6379']);
 * await redlock.using('orders:42', 5000, async (signal) => { ... });
 * await redlock.close(); // closes the three clients it created
 * ```
 *
 * With no argument it connects to `redis://127.0.0.1:6379/0`. Clients it
 * creates start connecting at once (see {@link ownedClientDefaults}) and load
 * the lock scripts when connected; with a short `nodeTimeoutMs`,
 * `await waitUntilReady(redlock)` before the first lock. `redlock.close()`
 * (and `await using`) closes them, each within `closeTimeoutMs`; clients you
 * pass in stay open, they are yours to close. Bad arguments throw an
 * `InvalidArgumentError` before any connection is opened, and never repeat
 * a password.
 */
export const createRedlock: (
  servers?: RedisServerEntry<IoredisClient> | readonly RedisServerEntry<IoredisClient>[],
  options?: CreateRedlockOptions,
) => Redlock = redlockFactory(ioredisBinding(ioredis));
