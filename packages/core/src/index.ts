export type { AcquireReply, KeyState, LockNode, ReleaseListener } from './lock-node.js';
export {
  type AttemptReport,
  InvalidArgumentError,
  LockAcquireError,
  LockLostError,
  type NodeOutcome,
  RedlockError,
  type RedlockErrorCode,
} from './errors.js';
