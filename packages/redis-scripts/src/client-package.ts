/**
 * What every Redis client package (`@redlock/ioredis`, `@redlock/node-redis`,
 * `@redlock/iovalkey`, `@redlock/valkey-glide`) exports besides its own node
 * class and `createRedlock`, written once: a client package's index says
 * `export * from '@redlock/redis-scripts/client-package'`.
 */
export { DEFAULT_REDIS_URL, type RedisConnectionOptions } from './connection-spec.js';
export { RedisNodeUnavailableError } from './node-errors.js';
export type { RedisLockNodeOptions } from './redis-lock-node-options.js';
export { DEFAULT_CLOSE_TIMEOUT_MS } from './redlock-factory.js';
export {
  NodesNotReadyError,
  type WaitUntilReadyOptions,
  waitUntilReady,
} from './wait-until-ready.js';
