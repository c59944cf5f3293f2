import type { ReleaseListener } from '@redlock/core';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `check` every `intervalMs` until it returns true; resolves with the
 * ms it took, or rejects with `failure` once `timeoutMs` has passed.
 */
export async function pollUntil(
  check: () => Promise<boolean>,
  {
    timeoutMs,
    intervalMs = 10,
    failure,
  }: { timeoutMs: number; intervalMs?: number; failure: string },
): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(failure);
    await sleep(intervalMs);
  }
}

/** How a promise settled and how long it took. */
export type Settled<T> =
  | { status: 'fulfilled'; value: T; elapsedMs: number }
  | { status: 'rejected'; reason: unknown; elapsedMs: number }
  | { status: 'pending'; elapsedMs: number };

/** Waits for `promise` at most `limitMs`; reports `pending` rather than hanging the test. */
export async function settleWithin<T>(promise: Promise<T>, limitMs: number): Promise<Settled<T>> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), limitMs);
  });
  try {
    const outcome = await Promise.race([
      promise.then(
        (value) => ({ status: 'fulfilled' as const, value }),
        (reason: unknown) => ({ status: 'rejected' as const, reason }),
      ),
      timeout,
    ]);
    const elapsedMs = performance.now() - started;
    return outcome === 'timeout' ? { status: 'pending', elapsedMs } : { ...outcome, elapsedMs };
  } finally {
    clearTimeout(timer);
  }
}

/** A release listener that records its calls and lets a test await the n-th. */
export interface ListenerRecorder {
  readonly listener: ReleaseListener;
  readonly calls: readonly (string | undefined)[];
  /** Resolves once `count` calls arrived; rejects after `timeoutMs`. */
  called(count: number, timeoutMs: number): Promise<void>;
}

export function recordListener(): ListenerRecorder {
  const calls: (string | undefined)[] = [];
  const waiters = new Set<() => void>();
  return {
    calls,
    listener: (value) => {
      calls.push(value);
      for (const wake of waiters) wake();
    },
    called(count, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `onRelease was called ${calls.length} times in ${timeoutMs} ms, expected ${count}`,
            ),
          );
        }, timeoutMs);
        const check = () => {
          if (calls.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    },
  };
}
