import type { RedlockRuntime } from '../../src/index.js';

const MAX_TIMER_MS = 2 ** 31 - 1;

interface Timer {
  readonly id: number;
  readonly dueAt: number;
  readonly callback: () => void;
}

/** Resolves after every microtask queued so far (and those they queue) has run. */
export async function flushMicrotasks(): Promise<void> {
  // A setImmediate callback runs only once the microtask queue is empty, so
  // each turn drains whole promise chains; a few turns cover chains that hop
  // through a macrotask themselves.
  for (let turn = 0; turn < 3; turn++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * A {@link RedlockRuntime} on virtual time: the clock moves only when the
 * test calls {@link advance} (or {@link runUntilSettled}), timers fire in
 * due order as the clock passes them, and randomness comes from a seeded
 * PRNG, so every run of a test is the same run.
 */
export class VirtualRuntime implements RedlockRuntime {
  #now: number;
  readonly #epochOffset: number;
  #random: () => number;
  #nextTimerId = 1;
  readonly #timers = new Map<number, Timer>();
  /** How many timers were ever scheduled, for assertions about timer hygiene. */
  timersScheduled = 0;

  constructor({ seed = 42, startMs = 10_000, epochMs = 1_700_000_000_000 } = {}) {
    this.#now = startMs;
    this.#epochOffset = epochMs - startMs;
    this.#random = mulberry32(seed);
  }

  now(): number {
    return this.#now;
  }

  epochNow(): number {
    return this.#epochOffset + this.#now;
  }

  setTimer(callback: () => void, delayMs: number): unknown {
    // Node clamps a longer delay to 1 ms: a caller asking for one has a bug.
    if (delayMs > MAX_TIMER_MS) {
      throw new RangeError(`setTimer(${delayMs}): Node.js would fire this after 1 ms`);
    }
    const id = this.#nextTimerId++;
    // Like setTimeout: a negative or NaN delay means "as soon as possible".
    const safeDelayMs = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    this.#timers.set(id, { id, dueAt: this.#now + safeDelayMs, callback });
    this.timersScheduled++;
    return id;
  }

  clearTimer(handle: unknown): void {
    if (typeof handle === 'number') this.#timers.delete(handle);
  }

  random(): number {
    return this.#random();
  }

  randomValue(): string {
    let out = '';
    for (let index = 0; index < 4; index++) {
      out += Math.floor(this.#random() * 2 ** 32)
        .toString(16)
        .padStart(8, '0');
    }
    return out;
  }

  /**
   * Move the clock by `ms` at once, firing no timer and running no microtask:
   * as if the event loop had been busy that long between two callbacks.
   */
  stall(ms: number): void {
    this.#now += ms;
  }

  /** Timers scheduled and not yet fired or cleared. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** When the next timer is due, or `undefined` when none is scheduled. */
  get nextTimerAt(): number | undefined {
    return this.#earliest()?.dueAt;
  }

  /**
   * Move the clock forward by `ms`, firing every timer that falls due on the
   * way in order, and letting the microtasks each timer causes run before the
   * next one fires (as the event loop would).
   */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.#now + ms);
  }

  /** Like {@link advance}, to an absolute reading of {@link now}. */
  async advanceTo(targetMs: number): Promise<void> {
    await flushMicrotasks();
    for (;;) {
      const next = this.#earliest();
      if (next === undefined || next.dueAt > targetMs) break;
      this.#fire(next);
      await flushMicrotasks();
    }
    if (targetMs > this.#now) this.#now = targetMs;
    await flushMicrotasks();
  }

  /**
   * Run virtual time until `promise` settles, then return its value (or
   * throw its error). Fails the test instead of looping forever when the
   * promise can no longer settle (no timer left), takes longer than `maxMs`
   * of virtual time, or needs more than `maxTimers` timers.
   */
  async runUntilSettled<T>(
    promise: Promise<T>,
    { maxMs = 3_600_000, maxTimers = 100_000 } = {},
  ): Promise<T> {
    let settled = false;
    const observed = promise.then(
      (value) => {
        settled = true;
        return value;
      },
      (error: unknown) => {
        settled = true;
        throw error;
      },
    );
    // Observe the rejection now; it is rethrown to the caller below.
    observed.catch(() => {});
    const limit = this.#now + maxMs;
    let fired = 0;
    await flushMicrotasks();
    while (!settled) {
      if (++fired > maxTimers) {
        // e.g. a timer loop that re-arms itself without letting time pass
        throw new Error(`runUntilSettled: still pending after firing ${maxTimers} timers`);
      }
      const next = this.#earliest();
      if (next === undefined) {
        throw new Error('runUntilSettled: the promise is pending and no timer is left to fire');
      }
      if (next.dueAt > limit) {
        throw new Error(`runUntilSettled: still pending after ${maxMs} ms of virtual time`);
      }
      this.#fire(next);
      await flushMicrotasks();
    }
    return observed;
  }

  #fire(timer: Timer): void {
    this.#timers.delete(timer.id);
    if (timer.dueAt > this.#now) this.#now = timer.dueAt;
    timer.callback();
  }

  #earliest(): Timer | undefined {
    let earliest: Timer | undefined;
    for (const timer of this.#timers.values()) {
      // Ties fire in the order they were scheduled, as with setTimeout.
      if (earliest === undefined || timer.dueAt < earliest.dueAt) earliest = timer;
    }
    return earliest;
  }
}

/** A small seeded PRNG with a full 2^32 period; good enough for jitter. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
