export type { Client } from './client.js';
export { ExecutionError, LockError, ResourceLockedError } from './errors.js';
export type { ClientExecutionResult, ExecutionResult, ExecutionStats } from './execution-stats.js';
export { Lock } from './lock.js';
export { default, type RedlockRoutine } from './redlock.js';
export type { CompatSettings, Settings } from './settings.js';
export type { RedlockAbortSignal } from './using-signal.js';
