import type { AcquireReply, KeyState, ReleaseListener } from '@redlock/core';

/** A monotonic millisecond clock; only differences between readings matter. */
export interface MemoryClock {
  now(): number;
}

/** Settings of a {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Shown in errors and logs. Default `memory://<n>`, unique within the process. */
  name?: string;
  /**
   * Decides when keys expire. Default `performance.now`. Inject a virtual
   * clock to drive expiry from a test or a simulation: the store sets no
   * timers, it compares the clock with each key's deadline on every access.
   */
  clock?: MemoryClock;
}

interface Entry {
  value: string;
  /** Clock reading at which the key disappears. */
  expiresAt: number;
}

const systemClock: MemoryClock = { now: () => performance.now() };

let storeCount = 0;

/**
 * The data behind one or more {@link MemoryLockNode}s: keys with a TTL, like
 * one Redis server in the memory of this process.
 *
 * Every method is synchronous and atomic, trusts its arguments and knows no
 * faults; the nodes add validation, asynchrony, latency and outages. Give two
 * nodes the same store to model two clients of one server (a release through
 * one wakes watchers on the other); give each node its own store (the
 * default) to model independent servers.
 *
 * ```ts
 * const store = new MemoryStore();
 * const app = new MemoryLockNode({ store });
 * const admin = new MemoryLockNode({ store });
 * ```
 */
export class MemoryStore {
  readonly name: string;
  readonly clock: MemoryClock;
  readonly #entries = new Map<string, Entry>();
  readonly #watchers = new Map<string, Set<ReleaseListener>>();
  #writesSinceSweep = 0;

  constructor(options: MemoryStoreOptions = {}) {
    storeCount += 1;
    this.name = options.name ?? `memory://${storeCount}`;
    this.clock = options.clock ?? systemClock;
  }

  /** Set every key to `value` if each is free or already holds `value`; see `LockNode.acquire`. */
  acquire(keys: readonly string[], value: string, ttlMs: number): AcquireReply {
    const now = this.clock.now();
    let longestHeldMs = 0;
    for (const key of keys) {
      const entry = this.#live(key, now);
      if (entry !== undefined && entry.value !== value) {
        longestHeldMs = Math.max(longestHeldMs, remainingMs(entry, now));
      }
    }
    if (longestHeldMs > 0) return { acquired: false, pttl: longestHeldMs };
    for (const key of keys) this.#entries.set(key, { value, expiresAt: now + ttlMs });
    this.#afterWrite(now);
    return { acquired: true };
  }

  /** Reset the TTL of every key if all hold `value`; never creates a key. */
  extend(keys: readonly string[], value: string, ttlMs: number): boolean {
    const now = this.clock.now();
    const entries: Entry[] = [];
    for (const key of keys) {
      const entry = this.#live(key, now);
      if (entry === undefined || entry.value !== value) return false;
      entries.push(entry);
    }
    for (const entry of entries) entry.expiresAt = now + ttlMs;
    return true;
  }

  /** Delete each key holding `value`, notify its watchers; returns how many were deleted. */
  release(keys: readonly string[], value: string): number {
    const now = this.clock.now();
    let released = 0;
    for (const key of keys) {
      const entry = this.#live(key, now);
      if (entry === undefined || entry.value !== value) continue;
      this.#entries.delete(key);
      released += 1;
      this.#notify(key, value);
    }
    this.#afterWrite(now);
    return released;
  }

  /** Holder and remaining TTL of each key (`{ value: null, pttl: -2 }` when absent). */
  inspect(keys: readonly string[]): KeyState[] {
    const now = this.clock.now();
    return keys.map((key) => {
      const entry = this.#live(key, now);
      return entry === undefined
        ? { value: null, pttl: -2 }
        : { value: entry.value, pttl: remainingMs(entry, now) };
    });
  }

  /**
   * Call `listener` with the released value whenever one of `keys` is
   * released. Delivery is a microtask after the release, like a pub/sub
   * message, so a throwing listener never fails the release. Returns a
   * function that stops delivery, including of messages not yet delivered.
   */
  watch(keys: readonly string[], listener: ReleaseListener): () => void {
    // A private wrapper, so one listener passed twice is two subscriptions.
    let active = true;
    const subscription: ReleaseListener = (value) => {
      if (active) listener(value);
    };
    for (const key of new Set(keys)) {
      let set = this.#watchers.get(key);
      if (set === undefined) {
        set = new Set();
        this.#watchers.set(key, set);
      }
      set.add(subscription);
    }
    return () => {
      active = false;
      for (const key of new Set(keys)) {
        const set = this.#watchers.get(key);
        set?.delete(subscription);
        if (set?.size === 0) this.#watchers.delete(key);
      }
    };
  }

  /** The live (unexpired) keys, in insertion order. A snapshot for assertions. */
  keys(): string[] {
    const now = this.clock.now();
    const live: string[] = [];
    for (const [key, entry] of this.#entries) if (entry.expiresAt > now) live.push(key);
    return live;
  }

  /** How many keys are live. */
  get size(): number {
    return this.keys().length;
  }

  /** Drop every key, as a server restarting without persistence. Watchers stay. */
  clear(): void {
    this.#entries.clear();
    this.#writesSinceSweep = 0;
  }

  #live(key: string, now: number): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > now) return entry;
    this.#entries.delete(key);
    return undefined;
  }

  #notify(key: string, value: string): void {
    const listeners = this.#watchers.get(key);
    if (listeners === undefined) return;
    for (const listener of listeners) queueMicrotask(() => listener(value));
  }

  /**
   * Expired keys are dropped when touched; keys nobody touches again would
   * pile up, so sweep the whole map once the writes since the last sweep
   * outnumber the keys (amortised O(1) per write, no timers).
   */
  #afterWrite(now: number): void {
    this.#writesSinceSweep += 1;
    if (this.#writesSinceSweep < Math.max(64, this.#entries.size)) return;
    this.#writesSinceSweep = 0;
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
  }
}

/** Whole milliseconds left, rounded up so a live key never reports 0. */
function remainingMs(entry: Entry, now: number): number {
  return Math.ceil(entry.expiresAt - now);
}
