import type { Redlock } from '@redlock/core';
import {
  type CreateRedisRedlockOptions,
  type IoredisFamilyModule,
  ioredisFamilyBinding,
  type RedisClientBinding,
  type RedisServerEntry,
  redlockFactory,
} from '@redlock/redis-scripts';
import type { RedisOptions } from 'iovalkey';
import * as iovalkey from 'iovalkey';
import { type IovalkeyClient, IovalkeyLockNode } from './iovalkey-lock-node.js';

export {
  DEFAULT_CLOSE_TIMEOUT_MS,
  DEFAULT_REDIS_URL,
  ioredisFamilyClientDefaults as ownedClientDefaults,
} from '@redlock/redis-scripts';

/** Options of {@link createRedlock}; `clientOptions` are iovalkey `RedisOptions` for the clients it creates. */
export type CreateRedlockOptions = CreateRedisRedlockOptions<RedisOptions>;

/** How `createRedlock` creates, connects and wraps iovalkey clients, for a given `Redis` class. */
export function iovalkeyBinding(
  module: IoredisFamilyModule<iovalkey.Redis, RedisOptions>,
): RedisClientBinding<IovalkeyClient, RedisOptions> {
  return ioredisFamilyBinding<IovalkeyClient, RedisOptions>(
    module,
    (client, settings) => new IovalkeyLockNode(client, settings),
  );
}

/**
 * Creates a `Redlock` over iovalkey clients, or over servers it connects to
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
 * creates start connecting at once (see `ownedClientDefaults`) and load the
 * lock scripts when connected; with a short `nodeTimeoutMs`,
 * `await waitUntilReady(redlock)` before the first lock. `redlock.close()`
 * (and `await using`) closes them, each within `closeTimeoutMs`; clients you
 * pass in stay open. Bad arguments throw an `InvalidArgumentError` before
 * any connection is opened, and never repeat a password.
 */
export const createRedlock: (
  servers?: RedisServerEntry<IovalkeyClient> | readonly RedisServerEntry<IovalkeyClient>[],
  options?: CreateRedlockOptions,
) => Redlock = redlockFactory(iovalkeyBinding(iovalkey));
