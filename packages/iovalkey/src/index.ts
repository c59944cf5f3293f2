/** Options of {@link IovalkeyLockNode}. */
export type { RedisLockNodeOptions as IovalkeyLockNodeOptions } from '@redlock/redis-scripts';
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
  iovalkeyBinding,
  ownedClientDefaults,
} from './create-redlock.js';
export { type IovalkeyClient, IovalkeyLockNode } from './iovalkey-lock-node.js';
