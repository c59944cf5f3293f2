export { NodesNotReadyError } from '@redlock/redis-scripts';
export {
  type CreateRedlockOptions,
  createRedlock,
  DEFAULT_CLOSE_TIMEOUT_MS,
  DEFAULT_REDIS_URL,
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
export { NodeRedisLockNode } from './node-redis-lock-node.js';
export type { NodeRedisLockNodeOptions } from './node-redis-lock-node-options.js';
export { nodeRedisNodeName } from './node-redis-node-name.js';
export { type WaitUntilReadyOptions, waitUntilReady } from './wait-until-ready.js';
