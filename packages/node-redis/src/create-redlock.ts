import type { Redlock } from '@redlock/core';
import {
  type CreateRedisRedlockOptions,
  type RedisClientBinding,
  type RedisServerEntry,
  redlockFactory,
} from '@redlock/redis-scripts';
import type { RedisClientOptions } from 'redis';
import * as redis from 'redis';
import type { NodeRedisClient, NodeRedisSingleClient } from './node-redis-client.js';
import { NodeRedisLockNode } from './node-redis-lock-node.js';

/** node-redis options for the clients `createRedlock` creates; the connection comes from the URL or object. */
export type NodeRedisClientOptions = Omit<RedisClientOptions, 'url'>;

/** Options of {@link createRedlock}. */
export type CreateRedlockOptions = CreateRedisRedlockOptions<NodeRedisClientOptions>;

/** The `createClient` to create clients with: `redis`' own, or another copy's (e.g. another major in tests). */
export interface NodeRedisModule {
  /** `createClient` of the `redis` package. */
  readonly createClient: (options: never) => unknown;
}

/** How `createRedlock` creates, connects and wraps node-redis clients, for a given `createClient`. */
export function nodeRedisBinding(
  module: NodeRedisModule,
): RedisClientBinding<NodeRedisClient, NodeRedisClientOptions> {
  return {
    createNode: (client, settings) => new NodeRedisLockNode(client, settings),
    openClient(spec, clientOptions) {
      const socket =
        spec.path === undefined ? { host: spec.host, port: spec.port } : { path: spec.path };
      const options = {
        ...clientOptions,
        socket: {
          ...clientOptions?.socket,
          ...socket,
          ...(spec.tls === undefined ? {} : { tls: true, ...spec.tls }),
        },
        database: spec.db,
        ...(spec.username === undefined ? {} : { username: spec.username }),
        ...(spec.password === undefined ? {} : { password: spec.password }),
      };
      const client = module.createClient(options as never) as NodeRedisSingleClient;
      // A node that cannot be reached shows up in Redlock's errors; node-redis
      // throws 'error' events nobody listens to, which would crash the process.
      client.on('error', () => undefined);
      return client;
    },
    connectClient(client) {
      (client as NodeRedisSingleClient).connect().catch(() => undefined);
    },
  };
}

/**
 * Creates a `Redlock` over node-redis clients, or over servers it connects
 * to itself: `redis://` / `rediss://` / `redis+unix://` URLs, or
 * `{ host, port, db, username, password, tls }` objects.
 *
 * ```ts
 * const redlock = createRedlock(['redis://10.0.0.1:6379', 'redis://10.0.0.2:6379', 'redis://10.0.0.3:6379']);
 * await redlock.using('orders:42', 5000, async (signal) => { ... });
 * await redlock.close(); // closes the three clients it created
 * ```
 *
 * With no argument it connects to `redis://127.0.0.1:6379/0`. Clients it
 * creates start connecting at once (commands wait in their offline queue
 * meanwhile), load the lock scripts when connected, and get an `'error'`
 * listener. With a short `nodeTimeoutMs`, `await waitUntilReady(redlock)`
 * before the first lock. `redlock.close()` (and `await using`) closes them,
 * each within `closeTimeoutMs`, also while they are still connecting;
 * clients you pass in stay open, they are yours to close (connect them
 * before use). Bad arguments throw an `InvalidArgumentError` before any
 * connection is opened, and never repeat a password.
 */
export const createRedlock: (
  servers?: RedisServerEntry<NodeRedisClient> | readonly RedisServerEntry<NodeRedisClient>[],
  options?: CreateRedlockOptions,
) => Redlock = redlockFactory(nodeRedisBinding(redis as NodeRedisModule));
