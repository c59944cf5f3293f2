import { InvalidArgumentError } from '@redlock/core';
import {
  isIoredisFamilyClient,
  RedisLockNode,
  type RedisLockNodeSettings,
} from '@redlock/redis-scripts';
import { type IoredisClient, ioredisPort } from './ioredis-client-port.js';

/** The client itself, or an `InvalidArgumentError` naming the package for what it is. */
function requireIoredisClient(client: IoredisClient): IoredisClient {
  if (isIoredisFamilyClient(client)) return client;
  throw new InvalidArgumentError(
    'IoredisLockNode needs an ioredis Redis or Cluster instance, e.g. new IoredisLockNode(new Redis(url)); for a node-redis client use NodeRedisLockNode from @redlock/node-redis',
  );
}

/**
 * A `LockNode` on one Redis deployment through an ioredis (v5 or v6) client:
 * a standalone or Sentinel-managed `Redis`, or a `Cluster`.
 *
 * ```ts
 * import { Redis } from 'ioredis';
 * import { Redlock } from '@redlock/core';
 * import { IoredisLockNode } from '@redlock/ioredis';
 *
 * const clients = ['redis://10.0.0.1:6379', 'redis://10.0.0.2:6379', 'redis://10.0.0.3:6379']
 *   .map((url) => new Redis(url).on('error', console.error));
 * const redlock = new Redlock(clients.map((client) => new IoredisLockNode(client)));
 * ```
 *
 * The behaviour is `RedisLockNode`'s: one Lua script per call, scripts
 * preloaded on every new connection, a known-down connection failing calls
 * at once with its cause, cluster slot checks, `watch` over a duplicate
 * connection the node opens on first use. While open, the node listens to
 * the client's connection events (an `error` listener included, so ioredis
 * no longer logs "Unhandled error event" for that client); `close()` removes
 * those listeners and never closes the client you passed in.
 */
export class IoredisLockNode extends RedisLockNode {
  constructor(client: IoredisClient, options: RedisLockNodeSettings = {}) {
    super(ioredisPort(requireIoredisClient(client)), options);
  }
}
