/** Options of {@link IoredisLockNode}. */
export type { RedisLockNodeOptions as IoredisLockNodeOptions } from '@redlock/redis-scripts';
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
  type IoredisModule,
  ioredisBinding,
  ownedClientDefaults,
} from './create-redlock.js';
export { type IoredisClient, ioredisPort } from './ioredis-client-port.js';
export { IoredisLockNode } from './ioredis-lock-node.js';
export { ioredisNodeName } from './ioredis-node-name.js';
