import { Interrupt } from './interrupt.js';

/** A command did not settle within the adapter's `commandTimeoutMs`. */
export class CommandTimeoutError extends Error {
  readonly timeoutMs: number;

  constructor(description: string, timeoutMs: number) {
    super(`${description} timed out after ${timeoutMs} ms`);
    this.name = 'TimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

const ONCE = { once: true } as const;

/** Bounds of one call to a Redis node. */
export interface DeadlineOptions {
  /** Reject with `signal.reason` as soon as it aborts (the caller gave up). */
  readonly signal?: AbortSignal | undefined;
  /**
   * Reject with `interrupt.reason` as soon as it aborts (the node was closed,
   * or its connection went down). An {@link Interrupt} costs less per call
   * than an `AbortSignal`.
   */
  readonly interrupt?: AbortSignal | Interrupt | undefined;
  /** Reject with a {@link CommandTimeoutError} after this many ms. */
  readonly timeoutMs?: number | undefined;
  /** What is being waited for, for the timeout message, e.g. `"acquire on redis://h:6379/0"`. */
  readonly description: string;
}

/**
 * Runs `run` and settles with it, unless `signal` aborts or `timeoutMs`
 * passes first; then it rejects at once, without waiting for the client.
 *
 * Clients queue commands while they reconnect, so a command can stay pending
 * for seconds; Redlock's per-node timeout depends on this call giving up on
 * time. `run` receives a signal that aborts at the deadline, so a client that
 * supports it (node-redis) can drop a command that was never sent. A late
 * result or rejection of `run` is absorbed, never unhandled, and no timer or
 * listener outlives the call.
 */
export function runWithDeadline<T>(
  run: (deadlineSignal: AbortSignal | undefined) => Promise<T>,
  { signal, interrupt, timeoutMs, description }: DeadlineOptions,
): Promise<T> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (interrupt?.aborted) return Promise.reject(interrupt.reason);
  if (signal === undefined && interrupt === undefined && timeoutMs === undefined) {
    return run(undefined);
  }

  // Without a timeout of our own the caller's signal already is the deadline:
  // hand it on rather than pay for a new controller on every command (an
  // interrupt then only rejects; the client may still send a queued command).
  const deadline = timeoutMs === undefined ? undefined : new AbortController();
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = () => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (interrupt instanceof Interrupt) interrupt.forget(onInterrupt);
      else interrupt?.removeEventListener('abort', onInterrupt);
    };
    const giveUp = (reason: unknown) => {
      settle();
      reject(reason);
      // After rejecting, so the caller sees our reason rather than the
      // client's own abort error.
      deadline?.abort(reason);
    };
    const onAbort = () => giveUp(signal?.reason);
    const onInterrupt = () => giveUp(interrupt?.reason);

    signal?.addEventListener('abort', onAbort, ONCE);
    if (interrupt instanceof Interrupt) interrupt.listen(onInterrupt);
    else interrupt?.addEventListener('abort', onInterrupt, ONCE);
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => giveUp(new CommandTimeoutError(description, timeoutMs)), timeoutMs);
    }
    let pending: Promise<T>;
    try {
      // Our abort listener is registered first, so the caller sees our reason.
      pending = run(deadline === undefined ? signal : deadline.signal);
    } catch (error) {
      settle();
      reject(error);
      return;
    }
    pending.then(
      (result) => {
        settle();
        resolve(result);
      },
      (error: unknown) => {
        settle();
        reject(error);
      },
    );
  });
}
