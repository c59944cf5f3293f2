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
  /** Wall-clock epoch milliseconds; reports `lock.expiration` and orders waiting-line places. */
  epochNow(): number;
  /** Run `callback` once after `delayMs`; returns a handle for {@link clearTimer}. */
  setTimer(callback: () => void, delayMs: number): unknown;
  /** Cancel a timer from {@link setTimer}; a handle whose timer already fired is ignored. */
  clearTimer(handle: unknown): void;
  /** A uniformly distributed number in [0, 1), for retry jitter. */
  random(): number;
  /** A fresh lock value, unguessable and unique: at least 128 random bits. */
  randomValue(): string;
}

const VALUE_BYTES = 16;
/** Random bytes are drawn for this many values at once: one crypto call, not one per lock. */
const VALUES_PER_REFILL = 256;
const HEX_BY_BYTE = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
const randomPool = new Uint8Array(VALUE_BYTES * VALUES_PER_REFILL);
let poolOffset = randomPool.length;

/** 32 hex digits of fresh randomness; every byte of the pool is used once. */
function randomHexValue(): string {
  if (poolOffset === randomPool.length) {
    globalThis.crypto.getRandomValues(randomPool);
    poolOffset = 0;
  }
  let out = '';
  const end = poolOffset + VALUE_BYTES;
  for (let index = poolOffset; index < end; index++) out += HEX_BY_BYTE[randomPool[index]!];
  poolOffset = end;
  return out;
}

/** The default runtime: `performance.now`, `Date.now`, `setTimeout` and Web Crypto. */
export const systemRuntime: RedlockRuntime = {
  now: () => performance.now(),
  epochNow: () => Date.now(),
  setTimer: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  random: () => Math.random(),
  randomValue: randomHexValue,
};
