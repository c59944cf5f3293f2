import type {
  AcquireReply,
  FencedAcquireReply,
  KeyState,
  ReleaseListener,
  ServerRun,
} from '@redlock/core';

/** A monotonic millisecond clock; only differences between readings matter. */
export interface MemoryClock {
  /** Milliseconds on this clock; only differences between readings matter. */
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
  /**
   * The server's wall clock in epoch ms, the floor of fencing counters.
   * Default `performance.timeOrigin + performance.now()`.
   */
  wallClock?: MemoryClock;
  /**
   * How long the server has been running when the store is created, in ms
   * of `clock`. Default one day: a new store is a server that has been up
   * for long, not one that just restarted; {@link MemoryStore.restart}
   * models a restart.
   */
  uptimeMs?: number;
}

interface Entry {
  value: string;
  /** Clock reading at which the key disappears. */
  expiresAt: number;
}

const systemClock: MemoryClock = { now: () => performance.now() };
const systemWallClock: MemoryClock = { now: () => performance.timeOrigin + performance.now() };
const DEFAULT_UPTIME_MS = 86_400_000;

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
  readonly wallClock: MemoryClock;
  readonly #entries = new Map<string, Entry>();
  /** Fencing counter per key; no TTL, kept across releases and expiry. */
  readonly #fences = new Map<string, bigint>();
  #runs = 0;
  #runId: string;
  #startedAt: number;
  readonly #watchers = new Map<string, Set<ReleaseListener>>();
  #writesSinceSweep = 0;

  constructor(options: MemoryStoreOptions = {}) {
    storeCount += 1;
    this.name = options.name ?? `memory://${storeCount}`;
    this.clock = options.clock ?? systemClock;
    this.wallClock = options.wallClock ?? systemWallClock;
    this.#runId = `${this.name}#${this.#runs}`;
    this.#startedAt = this.clock.now() - (options.uptimeMs ?? DEFAULT_UPTIME_MS);
  }

  /**
   * `acquire`, and on a grant set each key's fencing counter to
   * `max(counter + 1, wall clock in µs)`; see `LockNode.acquireFenced`.
   */
  acquireFenced(keys: readonly string[], value: string, ttlMs: number): FencedAcquireReply {
    const reply = this.acquire(keys, value, ttlMs);
    if (!reply.acquired) return reply;
    const floor = BigInt(Math.floor(this.wallClock.now() * 1000));
    let fence = 0n;
    for (const key of keys) {
      const next = (this.#fences.get(key) ?? 0n) + 1n;
      const counter = next > floor ? next : floor;
      this.#fences.set(key, counter);
      if (counter > fence) fence = counter;
    }
    return { acquired: true, fence };
  }

  /** Raise each key's fencing counter to at least `fence`; returns the smallest afterwards. */
  raiseFence(keys: readonly string[], fence: bigint): bigint {
    let smallest: bigint | undefined;
    for (const key of keys) {
      const current = this.#fences.get(key) ?? 0n;
      const counter = current > fence ? current : fence;
      this.#fences.set(key, counter);
      if (smallest === undefined || counter < smallest) smallest = counter;
    }
    return smallest ?? fence;
  }

  /**
   * Set `key`'s fencing counter to `fence`, even lower than it is: for tests
   * (a broken adapter, a counter lost on one server). Locks never call it.
   */
  setFence(key: string, fence: bigint): void {
    this.#fences.set(key, fence);
  }

  /** The fencing counter of `key` (0 when it never had one), for assertions. */
  fenceOf(key: string): bigint {
    return this.#fences.get(key) ?? 0n;
  }

  /** The current run: changes on {@link restart}; uptime on `clock`. */
  serverRun(): ServerRun {
    return { runId: this.#runId, uptimeMs: this.clock.now() - this.#startedAt };
  }

  /**
   * Restart the server: every key and fencing counter is lost (no
   * persistence; `keepData: true` models a persistent server), the run id
   * changes and the uptime starts again from 0. Watchers stay (clients
   * resubscribe).
   */
  restart({ keepData = false }: { keepData?: boolean } = {}): void {
    if (!keepData) this.clear();
    this.#runs += 1;
    this.#runId = `${this.name}#${this.#runs}`;
    this.#startedAt = this.clock.now();
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

  /** Drop every key and fencing counter (data loss, without a restart). Watchers stay. */
  clear(): void {
    this.#entries.clear();
    this.#fences.clear();
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
