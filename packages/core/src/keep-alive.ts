import { LockLostError } from './errors.js';
import type { Lock } from './lock.js';
import { describeResources } from './messages.js';
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
 * too.
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
  let extendTimer: unknown;
  let expiryTimer: unknown;

  const clearTimers = (): void => {
    runtime.clearTimer(extendTimer);
    runtime.clearTimer(expiryTimer);
  };
  const lose = (why: string, cause?: unknown): void => {
    if (stopped || controller.signal.aborted) return;
    clearTimers();
    controller.abort(
      new LockLostError(
        'LOCK_LOST',
        `lost the lock on ${describeResources(lock.resources)}: ${why}`,
        lock.resources,
        cause instanceof LockLostError ? cause.attempts : [],
        { cause },
      ),
    );
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
        if (stopped || controller.signal.aborted) return;
        runtime.clearTimer(expiryTimer);
        schedule();
      },
      (error: unknown) => lose(error instanceof Error ? error.message : String(error), error),
    );
  };
  const onParentAbort = (): void => {
    if (stopped || controller.signal.aborted) return;
    clearTimers();
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
