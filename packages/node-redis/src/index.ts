export * from '@redlock/redis-scripts/client-package';
export {
  type CreateRedlockOptions,
  createRedlock,
  type NodeRedisClientOptions,
  type NodeRedisModule,
  nodeRedisBinding,
} from './create-redlock.js';
export type {
  NodeRedisAnyClient,
  NodeRedisClient,
  NodeRedisCluster,
  NodeRedisCommandOptions,
  NodeRedisConnectionEvent,
  NodeRedisMessageListener,
  NodeRedisSentinel,
  NodeRedisSingleClient,
  NodeRedisSubscriber,
} from './node-redis-client.js';
export { nodeRedisPort } from './node-redis-client-port.js';
export {
  NodeRedisLockNode,
  type NodeRedisLockNodeOptions,
} from './node-redis-lock-node.js';
export {
  type NodeRedisSentinelNaming,
  nodeRedisNodeName,
  nodeRedisSentinelName,
} from './node-redis-node-name.js';
export { nodeRedisSentinelPort } from './node-redis-sentinel-port.js';
