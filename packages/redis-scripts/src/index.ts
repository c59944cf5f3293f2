export { closeWithin } from './bounded-close.js';
export { ChannelListeners, type ChannelTransport } from './channel-listeners.js';
export { describeInvalidCloseTimeout, listClientsOrUrls } from './create-redlock-arguments.js';
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
export {
  describeInvalidKeys,
  describeInvalidLockArguments,
  describeInvalidTtl,
  describeInvalidValue,
} from './lock-arguments.js';
export { type LockCommands, lockCommands, type ScriptRunner } from './lock-commands.js';
export {
  acquireScript,
  extendScript,
  inspectScript,
  lockScripts,
  preloadedScripts,
  releaseScript,
} from './lock-scripts.js';
export {
  formatClusterName,
  formatRedisName,
  parseRedisUrl,
  type RedisAddress,
  withKeyPrefix,
} from './node-name.js';
export {
  defineRedisScript,
  evalScript,
  isNoScriptError,
  type RedisScript,
  type ScriptEvaluator,
} from './redis-script.js';
export { RELEASE_CHANNEL_PREFIX, releaseChannel } from './release-channel.js';
export { RedisReplyError } from './reply-error.js';
export { ScriptPreloader } from './script-preloader.js';
export {
  NodesNotReadyError,
  type ReadyNode,
  waitUntilNodesReady,
} from './wait-until-ready.js';
