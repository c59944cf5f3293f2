export {
  type AcquireMessage,
  type AcquireOperation,
  type AcquireOutcome,
  diagnosticsChannels,
  type ExtendMessage,
  type LateOutcomeMessage,
  type LockLostMessage,
  type ReleaseMessage,
  type RoundOperation,
} from './diagnostics.js';
export {
  InvalidArgumentError,
  LockAcquireError,
  LockLostError,
  RedlockError,
  type RedlockErrorCode,
} from './errors.js';
export { Lock } from './lock.js';
export type {
  AcquireReply,
  FencedAcquireReply,
  KeyState,
  LockNode,
  ReleaseListener,
  ServerRun,
} from './lock-node.js';
export {
  type AcquireOptions,
  defaultOptions,
  type RedlockOptions,
  type UsingOptions,
} from './options.js';
export { type LockRoutine, Redlock } from './redlock.js';
export type { AttemptReport, NodeOutcome, ReleaseReport } from './reports.js';
export { type RedlockRuntime, systemRuntime } from './runtime.js';
export {
  describeValue,
  MAX_TIMER_MS,
  type TimerRule,
  validateKeys,
  validateLockArguments,
  validateLockValue,
  validateTimerMs,
  validateTtl,
} from './validate.js';
export {
  entryTtlFor,
  type InLineReply,
  type LinePlace,
  MAX_ENTRY_TTL_MS,
  validateLinePlace,
} from './waiting-line.js';
