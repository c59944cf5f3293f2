import { publishLockLost } from './diagnostics.js';
import { LockLostError } from './errors.js';
import type { Lock } from './lock.js';
import { lockLostMessage } from './messages.js';
import type { RedlockRuntime } from './runtime.js';

/** A lock being kept alive for a `using` routine. */
export interface KeepAlive {
  /** Aborts, with a `LockLostError` as reason, the moment the lock is lost. */
  readonly signal: AbortSignal;
  /** Stop extending; call when the routine is done. */
  stop(): void;
}

/**
 * Extend `lock` by `ttlMs` each time its validity falls to `thresholdMs`
 * (capped at half the remaining validity, so short locks still get their
 * extension in time). The signal aborts when an extension fails, or, as a
 * backstop, when the validity runs out while an extension is still in
 * flight. The caller's `parentSignal` aborting aborts the routine's signal
 * too, while extension goes on until the routine returns.
 */
export function keepAlive(
  lock: Lock,
  ttlMs: number,
  thresholdMs: number,
  runtime: RedlockRuntime,
  parentSignal: AbortSignal | undefined,
): KeepAlive {
  const controller = new AbortController();
  let stopped = false;
  let lost = false;
  let extendTimer: unknown;
  let expiryTimer: unknown;

  const clearTimers = (): void => {
    runtime.clearTimer(extendTimer);
    runtime.clearTimer(expiryTimer);
  };
  const lose = (why: string, cause?: unknown): void => {
    if (stopped || lost) return;
    lost = true;
    clearTimers();
    const error = new LockLostError(
      'LOCK_LOST',
      lockLostMessage(lock.resources, why),
      lock.resources,
      cause instanceof LockLostError ? cause.attempts : [],
      { cause },
    );
    publishLockLost(lock, error);
    // After a parent abort the signal is already aborted; the loss needs no second reason.
    if (controller.signal.aborted) return;
    controller.abort(error);
  };
  const schedule = (): void => {
    const remainingMs = lock.validUntil - runtime.now();
    // Capped at half the remaining validity, not half the TTL: with a large
    // driftFactor the validity can be shorter than the lead, and "extend now"
    // after every extension would be a busy loop of rounds.
    const leadMs = Math.min(thresholdMs, remainingMs / 2);
    extendTimer = runtime.setTimer(extendNow, Math.max(0, remainingMs - leadMs));
    expiryTimer = runtime.setTimer(
      () => lose('its validity ran out before it could be extended'),
      Math.max(0, remainingMs),
    );
  };
  const extendNow = (): void => {
    lock.extend(ttlMs).then(
      () => {
        if (stopped || lost) return;
        runtime.clearTimer(expiryTimer);
        schedule();
      },
      (error: unknown) => lose(error instanceof Error ? error.message : String(error), error),
    );
  };
  // The caller's abort tells the routine to wind down; the lock stays extended
  // until it returns, so a slow wind-down still runs under the lock.
  const onParentAbort = (): void => {
    if (stopped || controller.signal.aborted) return;
    controller.abort(parentSignal?.reason);
  };

  schedule();
  parentSignal?.addEventListener('abort', onParentAbort, { once: true });
  if (parentSignal?.aborted) onParentAbort();

  return {
    signal: controller.signal,
    stop: () => {
      stopped = true;
      clearTimers();
      parentSignal?.removeEventListener('abort', onParentAbort);
    },
  };
}
