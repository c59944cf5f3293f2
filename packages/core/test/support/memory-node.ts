import type {
  AcquireReply,
  FencedAcquireReply,
  KeyState,
  LockNode,
  ReleaseListener,
  ServerRun,
} from '../../src/index.js';

/** Counts of the calls a node received, by operation. */
export interface CallCounts {
  acquire: number;
  extend: number;
  release: number;
  inspect: number;
  watch: number;
}

export function emptyCallCounts(): CallCounts {
  return { acquire: 0, extend: 0, release: 0, inspect: 0, watch: 0 };
}

interface Entry {
  value: string;
  expiresAt: number;
}

export interface TestMemoryNodeOptions {
  /** Decides expiry; pass the test's VirtualRuntime. */
  clock: { now(): number };
  name?: string;
  /** Offer `watch` (default true). Without it, waiters rely on local wake-ups and timers. */
  watchable?: boolean;
  /** Offer the fencing capability (`acquireFenced`, `raiseFence`). Default false. */
  fencing?: boolean;
  /** Offer `serverRun` (restart detection). Default false. */
  restartDetection?: boolean;
}

let nodeCount = 0;

/**
 * A tiny LockNode kept in this process, for core's own tests. (Core cannot
 * depend on @redlock/memory: memory depends on core, and turbo refuses the
 * cycle.) It follows the LockNode contract: atomic multi-key operations,
 * exact values, expiry on its clock, rejection when unavailable or aborted,
 * and release notifications delivered on a microtask, like pub/sub.
 */
export class TestMemoryNode implements LockNode {
  readonly name: string;
  readonly calls: CallCounts = emptyCallCounts();
  /** Clock reading of every acquire call, in order. */
  readonly acquireTimes: number[] = [];
  readonly #clock: { now(): number };
  readonly #entries = new Map<string, Entry>();
  readonly #watchers = new Set<{ keys: ReadonlySet<string>; listener: ReleaseListener }>();
  #available = true;
  readonly #fences = new Map<string, bigint>();
  #runs = 0;
  /** Clock reading when the server started; long before the test by default. */
  #startedAt: number;
  declare watch?: LockNode['watch'];
  declare acquireFenced?: LockNode['acquireFenced'];
  declare raiseFence?: LockNode['raiseFence'];
  declare serverRun?: LockNode['serverRun'];

  constructor({
    clock,
    name,
    watchable = true,
    fencing = false,
    restartDetection = false,
  }: TestMemoryNodeOptions) {
    nodeCount++;
    this.name = name ?? `memory://test-${nodeCount}`;
    this.#clock = clock;
    this.#startedAt = clock.now() - 86_400_000;
    if (watchable) this.watch = (keys, onRelease) => this.#watch(keys, onRelease);
    if (fencing) {
      this.acquireFenced = (keys, value, ttlMs, signal) =>
        this.#acquireFenced(keys, value, ttlMs, signal);
      this.raiseFence = async (keys, fence, signal) => {
        this.#check(signal);
        let smallest = fence;
        keys.forEach((key, index) => {
          let counter = this.fenceOf(key);
          if (counter < fence) counter = fence; // never lower
          this.#fences.set(key, counter);
          if (index === 0 || counter < smallest) smallest = counter;
        });
        return smallest;
      };
    }
    if (restartDetection) this.serverRun = () => this.#serverRun();
  }

  /** The fencing counter of `key` (0 if never set). */
  fenceOf(key: string): bigint {
    return this.#fences.get(key) ?? 0n;
  }

  /** Restart without persistence: keys and counters lost, uptime from 0. */
  restart(): void {
    this.clear();
    this.#fences.clear();
    this.#runs++;
    this.#startedAt = this.#clock.now();
  }

  async #acquireFenced(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<FencedAcquireReply> {
    const reply = await this.acquire(keys, value, ttlMs, signal);
    if (!reply.acquired) return reply;
    // The floor: the clock in µs (virtual time stands in for the server's wall clock).
    const floor = BigInt(Math.floor(this.#clock.now() * 1000));
    let fence = 0n;
    for (const key of keys) {
      const next = this.fenceOf(key) + 1n;
      const counter = next > floor ? next : floor;
      this.#fences.set(key, counter);
      if (counter > fence) fence = counter;
    }
    return { acquired: true, fence };
  }

  #serverRun(): ServerRun | Promise<ServerRun> {
    if (!this.#available) return Promise.reject(new Error(`${this.name} is unavailable`));
    return { runId: `${this.name}#${this.#runs}`, uptimeMs: this.#clock.now() - this.#startedAt };
  }

  async acquire(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<AcquireReply> {
    this.calls.acquire++;
    this.acquireTimes.push(this.#clock.now());
    this.#check(signal);
    const now = this.#clock.now();
    let longestHeldMs = 0;
    for (const key of keys) {
      const entry = this.#live(key, now);
      if (entry !== undefined && entry.value !== value) {
        longestHeldMs = Math.max(longestHeldMs, Math.ceil(entry.expiresAt - now));
      }
    }
    if (longestHeldMs > 0) return { acquired: false, pttl: longestHeldMs };
    for (const key of keys) this.#entries.set(key, { value, expiresAt: now + ttlMs });
    return { acquired: true };
  }

  async extend(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<boolean> {
    this.calls.extend++;
    this.#check(signal);
    const now = this.#clock.now();
    const entries: Entry[] = [];
    for (const key of keys) {
      const entry = this.#live(key, now);
      if (entry === undefined || entry.value !== value) return false;
      entries.push(entry);
    }
    for (const entry of entries) entry.expiresAt = now + ttlMs;
    return true;
  }

  async release(keys: readonly string[], value: string, signal?: AbortSignal): Promise<number> {
    this.calls.release++;
    this.#check(signal);
    const now = this.#clock.now();
    let deleted = 0;
    for (const key of keys) {
      const entry = this.#live(key, now);
      if (entry === undefined || entry.value !== value) continue;
      this.#entries.delete(key);
      deleted++;
      this.#notify(key, value);
    }
    return deleted;
  }

  async inspect(keys: readonly string[]): Promise<KeyState[]> {
    this.calls.inspect++;
    this.#check(undefined);
    const now = this.#clock.now();
    return keys.map((key) => {
      const entry = this.#live(key, now);
      return entry === undefined
        ? { value: null, pttl: -2 }
        : { value: entry.value, pttl: Math.ceil(entry.expiresAt - now) };
    });
  }

  async #watch(keys: readonly string[], listener: ReleaseListener): Promise<() => Promise<void>> {
    this.calls.watch++;
    this.#check(undefined);
    const watcher = { keys: new Set(keys), listener };
    this.#watchers.add(watcher);
    return async () => {
      this.#watchers.delete(watcher);
    };
  }

  /** Place a key directly, as another owner (or a test) would. */
  hold(key: string, value: string, ttlMs: number): void {
    this.#entries.set(key, { value, expiresAt: this.#clock.now() + ttlMs });
  }

  /** `false`: every call rejects and release notifications are dropped. */
  setAvailable(available: boolean): void {
    this.#available = available;
  }

  get available(): boolean {
    return this.#available;
  }

  /** Lose every key, as a restart without persistence. */
  clear(): void {
    this.#entries.clear();
  }

  /** Live keys, read directly (works while unavailable). */
  keys(): string[] {
    const now = this.#clock.now();
    return [...this.#entries].filter(([, entry]) => entry.expiresAt > now).map(([key]) => key);
  }

  /** The value of a live key, or `undefined`. */
  valueOf(key: string): string | undefined {
    return this.#live(key, this.#clock.now())?.value;
  }

  /** Remaining TTL of a live key in ms, or `undefined`. */
  pttlOf(key: string): number | undefined {
    const entry = this.#live(key, this.#clock.now());
    return entry === undefined ? undefined : entry.expiresAt - this.#clock.now();
  }

  get size(): number {
    return this.keys().length;
  }

  /** How many release listeners are registered (to check that waiters unsubscribe). */
  get watcherCount(): number {
    return this.#watchers.size;
  }

  #check(signal: AbortSignal | undefined): void {
    signal?.throwIfAborted();
    if (!this.#available) throw new Error(`${this.name} is unavailable`);
  }

  #live(key: string, now: number): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > now) return entry;
    this.#entries.delete(key);
    return undefined;
  }

  #notify(key: string, value: string): void {
    for (const watcher of this.#watchers) {
      if (!watcher.keys.has(key)) continue;
      queueMicrotask(() => {
        if (this.#available && this.#watchers.has(watcher)) watcher.listener(value);
      });
    }
  }
}
