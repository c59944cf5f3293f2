/** Options of {@link ValkeyGlideLockNode}. */
export type { RedisLockNodeOptions as ValkeyGlideLockNodeOptions } from '@redlock/redis-scripts';
export * from '@redlock/redis-scripts/client-package';
export {
  type CreateRedlockOptions,
  createRedlock,
  glideConfiguration,
  ownedClientDefaults,
  valkeyGlideBinding,
} from './create-redlock.js';
export { type ValkeyGlideClient, valkeyGlidePort } from './glide-client-port.js';
export { glideNodeName } from './glide-node-name.js';
export {
  type GlideClientClass,
  type GlideClientInstance,
  PendingGlideClient,
} from './pending-glide-client.js';
export { ValkeyGlideLockNode } from './valkey-glide-lock-node.js';
