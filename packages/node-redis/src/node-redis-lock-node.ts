import { InvalidArgumentError } from '@redlock/core';
import { RedisLockNode, type RedisLockNodeSettings } from '@redlock/redis-scripts';
import { describeWrongClient, type NodeRedisClient } from './node-redis-client.js';
import { nodeRedisPort } from './node-redis-client-port.js';

/**
 * A `LockNode` on one Redis deployment through a node-redis (`redis` v5 or
 * v6) client or cluster. Connect the client before using the node.
 *
 * ```ts
 * import { createClient } from 'redis';
 * import { Redlock } from '@redlock/core';
 * import { NodeRedisLockNode } from '@redlock/node-redis';
 *
 * const clients = await Promise.all(
 *   ['redis://10.0.0.1:6379', 'redis://10.0.0.2:6379', 'redis://10.0.0.3:6379']
 *     .map((url) => createClient({ url }).on('error', console.error).connect()),
 * );
 * const redlock = new Redlock(clients.map((client) => new NodeRedisLockNode(client)));
 * ```
 *
 * The behaviour is `RedisLockNode`'s: one Lua script per call, scripts
 * preloaded on every new connection, a known-down connection failing calls
 * at once with its cause, cluster slot checks, `watch` over a duplicate
 * connection the node opens on first use. ioredis clients and
 * `createSentinel()` clients are refused with an `InvalidArgumentError`.
 * While open, the node listens to a single client's connection events;
 * `close()` removes those listeners and never closes the client you passed
 * in.
 */
export class NodeRedisLockNode extends RedisLockNode {
  constructor(client: NodeRedisClient, options: RedisLockNodeSettings = {}) {
    const problem = describeWrongClient(client);
    if (problem !== undefined) throw new InvalidArgumentError(problem);
    super(nodeRedisPort(client), options);
  }
}
