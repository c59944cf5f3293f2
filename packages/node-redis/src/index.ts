/** Options of {@link NodeRedisLockNode}. */
export type { RedisLockNodeOptions as NodeRedisLockNodeOptions } from '@redlock/redis-scripts';
export {
  NodesNotReadyError,
  type RedisConnectionOptions,
  RedisNodeUnavailableError,
  type WaitUntilReadyOptions,
  waitUntilReady,
} from '@redlock/redis-scripts';
export {
  type CreateRedlockOptions,
  createRedlock,
  DEFAULT_CLOSE_TIMEOUT_MS,
  DEFAULT_REDIS_URL,
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
