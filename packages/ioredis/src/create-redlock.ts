import {
  type CreateRedisRedlockOptions,
  type CreateRedlock,
  type IoredisFamilyModule,
  ioredisFamilyBinding,
  ioredisFamilyClientDefaults,
  type RedisClientBinding,
  redlockFactory,
} from '@redlock/redis-scripts';
import type { RedisOptions } from 'ioredis';
import * as ioredis from 'ioredis';
import type { IoredisClient } from './ioredis-client-port.js';
import { IoredisLockNode } from './ioredis-lock-node.js';

/** Options of {@link createRedlock}; `clientOptions` are ioredis `RedisOptions` for the clients it creates. */
export type CreateRedlockOptions = CreateRedisRedlockOptions<RedisOptions>;

/** Defaults for clients `createRedlock` creates (`maxRetriesPerRequest: 0`, offline queue on); see `ioredisFamilyClientDefaults`. */
export const ownedClientDefaults: Readonly<RedisOptions> = ioredisFamilyClientDefaults;

/** The `Redis` class to create clients with: `ioredis`' own, or another copy's (e.g. another major in tests). */
export type IoredisModule = IoredisFamilyModule<ioredis.Redis, RedisOptions>;

/** How `createRedlock` creates, connects and wraps ioredis clients, for a given `Redis` class. */
export const ioredisBinding = (
  module: IoredisModule,
): RedisClientBinding<IoredisClient, RedisOptions> =>
  ioredisFamilyBinding(
    module,
    (client: IoredisClient, settings) => new IoredisLockNode(client, settings),
  );

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
export const createRedlock: CreateRedlock<IoredisClient, RedisOptions> = redlockFactory(
  ioredisBinding(ioredis),
);
