/** Options of {@link IoredisLockNode}. */
export type { RedisLockNodeOptions as IoredisLockNodeOptions } from '@redlock/redis-scripts';
export * from '@redlock/redis-scripts/client-package';
export {
  type CreateRedlockOptions,
  createRedlock,
  type IoredisModule,
  ioredisBinding,
  ownedClientDefaults,
} from './create-redlock.js';
export { type IoredisClient, ioredisPort } from './ioredis-client-port.js';
export { IoredisLockNode } from './ioredis-lock-node.js';
export { ioredisNodeName } from './ioredis-node-name.js';
