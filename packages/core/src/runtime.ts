/**
 * Everything the algorithm needs from the outside world: a monotonic clock,
 * the wall clock, timers and randomness. Inject your own to run Redlock on
 * virtual time (deterministic simulation, fake-timer tests).
 *
 * ```ts
 * const redlock = new Redlock(nodes, { runtime: myVirtualRuntime });
 * ```
 */
export interface RedlockRuntime {
  /** Monotonic milliseconds; only differences are meaningful. Validity is measured with it. */
  now(): number;
  /** Wall-clock epoch milliseconds; used only to report `lock.expiration`. */
  epochNow(): number;
  /** Run `callback` once after `delayMs`; returns a handle for {@link clearTimer}. */
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
  /** A uniformly distributed number in [0, 1), for retry jitter. */
  random(): number;
  /** A fresh lock value, unguessable and unique: at least 128 random bits. */
  randomValue(): string;
}

const VALUE_BYTES = 16;

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** The default runtime: `performance.now`, `Date.now`, `setTimeout` and Web Crypto. */
export const systemRuntime: RedlockRuntime = {
  now: () => performance.now(),
  epochNow: () => Date.now(),
  setTimer: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  random: () => Math.random(),
  randomValue: () => hex(globalThis.crypto.getRandomValues(new Uint8Array(VALUE_BYTES))),
};
