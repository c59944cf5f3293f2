/** Options of {@link NodeRedisLockNode}. */
export type { RedisLockNodeOptions as NodeRedisLockNodeOptions } from '@redlock/redis-scripts';
export * from '@redlock/redis-scripts/client-package';
export {
  type CreateRedlockOptions,
  createRedlock,
  type NodeRedisClientOptions,
  type NodeRedisModule,
  nodeRedisBinding,
} from './create-redlock.js';
export type {
  NodeRedisClient,
  NodeRedisCluster,
  NodeRedisCommandOptions,
  NodeRedisConnectionEvent,
  NodeRedisMessageListener,
  NodeRedisSingleClient,
  NodeRedisSubscriber,
} from './node-redis-client.js';
export { nodeRedisPort } from './node-redis-client-port.js';
export { NodeRedisLockNode } from './node-redis-lock-node.js';
export { nodeRedisNodeName } from './node-redis-node-name.js';
