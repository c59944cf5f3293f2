export {
  type CreateRedlockOptions,
  createRedlock,
  DEFAULT_REDIS_URL,
  ownedClientDefaults,
} from './create-redlock.js';
export { type IoredisClient, IoredisLockNode } from './ioredis-lock-node.js';
export type { IoredisLockNodeOptions } from './ioredis-lock-node-options.js';
export { ioredisNodeName } from './ioredis-node-name.js';
