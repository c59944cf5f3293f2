export { NodesNotReadyError } from '@redlock/redis-scripts';
export {
  type CreateRedlockOptions,
  createRedlock,
  DEFAULT_CLOSE_TIMEOUT_MS,
  DEFAULT_REDIS_URL,
  ownedClientDefaults,
} from './create-redlock.js';
export { type IoredisClient, IoredisLockNode } from './ioredis-lock-node.js';
export type { IoredisLockNodeOptions } from './ioredis-lock-node-options.js';
export { ioredisNodeName } from './ioredis-node-name.js';
export { type WaitUntilReadyOptions, waitUntilReady } from './wait-until-ready.js';
