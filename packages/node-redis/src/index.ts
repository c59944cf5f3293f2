export { type CreateRedlockOptions, createRedlock, DEFAULT_REDIS_URL } from './create-redlock.js';
export type {
  NodeRedisClient,
  NodeRedisCluster,
  NodeRedisCommandOptions,
  NodeRedisMessageListener,
  NodeRedisSingleClient,
  NodeRedisSubscriber,
} from './node-redis-client.js';
export { NodeRedisLockNode } from './node-redis-lock-node.js';
export type { NodeRedisLockNodeOptions } from './node-redis-lock-node-options.js';
export { nodeRedisNodeName } from './node-redis-node-name.js';
