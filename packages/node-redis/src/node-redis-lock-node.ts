import { InvalidArgumentError } from '@redlock/core';
import {
  RedisLockNode,
  type RedisLockNodeOptions,
  type RedisLockNodeSettings,
} from '@redlock/redis-scripts';
import { describeWrongClient, isSentinel, type NodeRedisAnyClient } from './node-redis-client.js';
import { nodeRedisPort } from './node-redis-client-port.js';
import { type NodeRedisSentinelNaming, nodeRedisSentinelName } from './node-redis-node-name.js';
import { nodeRedisSentinelPort } from './node-redis-sentinel-port.js';

/** Options of {@link NodeRedisLockNode}. */
export interface NodeRedisLockNodeOptions extends RedisLockNodeOptions {
  /**
   * Required with a `createSentinel()` client, and only then: the options you
   * gave `createSentinel()` (its `name` and `sentinelRootNodes` are read), to
   * name the node. node-redis keeps them private.
   */
  readonly sentinel?: NodeRedisSentinelNaming;
}

/**
 * A `LockNode` on one Redis deployment through a node-redis (`redis` v5 or
 * v6) client, cluster or `createSentinel()` client. Connect the client
 * before using the node.
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
 * A Sentinel-managed master: `new NodeRedisLockNode(sentinel, { sentinel:
 * sentinelOptions })` with the options you passed to `createSentinel()`,
 * named `redis-sentinel://s1:26379,s2:26379/mymaster/0`.
 *
 * The behaviour is `RedisLockNode`'s: one Lua script per call, scripts
 * preloaded on every new connection, a known-down connection failing calls
 * at once with its cause, cluster slot checks, `watch` over a duplicate
 * connection the node opens on first use (a Sentinel client's own pub/sub
 * connection). ioredis clients are refused with an `InvalidArgumentError`.
 * While open, the node listens to a single client's connection events;
 * `close()` removes those listeners and never closes the client you passed
 * in.
 */
export class NodeRedisLockNode extends RedisLockNode {
  constructor(
    client: NodeRedisAnyClient,
    options: NodeRedisLockNodeOptions & RedisLockNodeSettings = {},
  ) {
    const problem = describeWrongClient(client);
    if (problem !== undefined) throw new InvalidArgumentError(problem);
    const { sentinel, ...settings } = options ?? {};
    if (isSentinel(client)) {
      super(nodeRedisSentinelPort(client, sentinelName(sentinel)), settings);
    } else {
      if (sentinel !== undefined) {
        throw new InvalidArgumentError(
          'options.sentinel is only for createSentinel() clients; this is a createClient() or createCluster() client',
        );
      }
      super(nodeRedisPort(client), settings);
    }
  }
}

function sentinelName(sentinel: NodeRedisSentinelNaming | undefined): string {
  const usage =
    'a createSentinel() client needs options.sentinel: the { name, sentinelRootNodes } you gave createSentinel() (node-redis keeps them private; the node is named after them). Create the node yourself, new NodeRedisLockNode(client, { sentinel: sentinelOptions }), and pass it to new Redlock([...])';
  if (sentinel === null || typeof sentinel !== 'object') throw new InvalidArgumentError(usage);
  const { name, sentinelRootNodes } = sentinel;
  const validRoots =
    Array.isArray(sentinelRootNodes) &&
    sentinelRootNodes.length > 0 &&
    sentinelRootNodes.every(
      (root) =>
        root !== null &&
        typeof root === 'object' &&
        typeof root.host === 'string' &&
        Number.isInteger(root.port),
    );
  if (typeof name !== 'string' || name === '' || !validRoots) {
    throw new InvalidArgumentError(usage);
  }
  return nodeRedisSentinelName(sentinel);
}
