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
 * itself (`redis://`, `rediss://`, `redis+unix://` URLs or `{ host, port,
 * db, username, password, tls }` objects), exactly as `createRedlock` of
 * `@redlock/ioredis` does: the clients it creates are closed by
 * `redlock.close()` within `closeTimeoutMs`, yours never are, and bad
 * arguments throw an `InvalidArgumentError` before anything connects.
 */
export const createRedlock: (
  servers?: RedisServerEntry<IovalkeyClient> | readonly RedisServerEntry<IovalkeyClient>[],
  options?: CreateRedlockOptions,
) => Redlock = redlockFactory(iovalkeyBinding(iovalkey));
