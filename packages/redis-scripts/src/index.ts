export { closeWithin } from './bounded-close.js';
export { ChannelListeners, type ChannelTransport } from './channel-listeners.js';
export {
  DEFAULT_REDIS_URL,
  isPlainObject,
  parseRedisConnection,
  type RedisConnectionOptions,
  type RedisConnectionSpec,
} from './connection-spec.js';
export { CommandTimeoutError, type DeadlineOptions, runWithDeadline } from './deadline.js';
export {
  type AcquireScriptReply,
  decodeAcquireReply,
  decodeExtendReply,
  decodeInspectReply,
  decodeReleaseReply,
  type InspectedKey,
} from './decode-replies.js';
export { CLUSTER_SLOT_COUNT, describeCrossSlotKeys, keyHashSlot } from './hash-slot.js';
export { Interrupt } from './interrupt.js';
export {
  type IoredisFamilyModule,
  ioredisFamilyBinding,
  ioredisFamilyClientDefaults,
} from './ioredis-family-binding.js';
export {
  type IoredisFamilyClient,
  ioredisFamilyNodeName,
  ioredisFamilyPort,
  isIoredisFamilyClient,
} from './ioredis-family-port.js';
export { type LockCommands, lockCommands, type ScriptRunner } from './lock-commands.js';
export {
  acquireScript,
  extendScript,
  inspectScript,
  lockScripts,
  preloadedScripts,
  releaseScript,
} from './lock-scripts.js';
export { nodeClosedError, RedisNodeUnavailableError } from './node-errors.js';
export {
  formatClusterName,
  formatRedisName,
  parseRedisUrl,
  type RedisAddress,
  withKeyPrefix,
} from './node-name.js';
export {
  ConnectionStateTracker,
  type RedisClientPort,
  type RedisConnectionState,
  type RedisSubscriber,
  sharedStateTracker,
} from './redis-client-port.js';
export { RedisLockNode } from './redis-lock-node.js';
export type {
  OwnedClientOptions,
  RedisLockNodeOptions,
  RedisLockNodeSettings,
} from './redis-lock-node-options.js';
export {
  defineRedisScript,
  evalScript,
  isNoScriptError,
  type RedisScript,
  type ScriptEvaluator,
} from './redis-script.js';
export {
  type CreateRedisRedlockOptions,
  type CreateRedlock,
  DEFAULT_CLOSE_TIMEOUT_MS,
  type RedisClientBinding,
  type RedisServerEntry,
  redlockFactory,
} from './redlock-factory.js';
export { RELEASE_CHANNEL_PREFIX, releaseChannel } from './release-channel.js';
export { RedisReplyError } from './reply-error.js';
export { ScriptPreloader } from './script-preloader.js';
export {
  NodesNotReadyError,
  type ReadyNode,
  type WaitUntilReadyOptions,
  waitUntilReady,
} from './wait-until-ready.js';
export { acquireInLineScript, lineKeysOf } from './waiting-line-script.js';
