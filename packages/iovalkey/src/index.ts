/** Options of {@link IovalkeyLockNode}. */
export type { RedisLockNodeOptions as IovalkeyLockNodeOptions } from '@redlock/redis-scripts';
export * from '@redlock/redis-scripts/client-package';
export {
  type CreateRedlockOptions,
  createRedlock,
  iovalkeyBinding,
  ownedClientDefaults,
} from './create-redlock.js';
export { type IovalkeyClient, IovalkeyLockNode } from './iovalkey-lock-node.js';
