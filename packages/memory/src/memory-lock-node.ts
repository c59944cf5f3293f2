import {
  type AcquireReply,
  type FencedAcquireReply,
  type InLineReply,
  InvalidArgumentError,
  type KeyState,
  type LinePlace,
  type LockNode,
  type ReleaseListener,
  type ServerRun,
  validateKeys,
  validateLinePlace,
  validateLockArguments,
  validateTimerMs,
} from '@redlock/core';
import { type MemoryClock, MemoryStore } from './memory-store.js';
import { acquireInLine } from './memory-waiting-line.js';

/** Settings of a {@link MemoryLockNode}; every one is optional. */
export interface MemoryLockNodeOptions {
  /** Shown in errors and logs. Default: the store's name, `memory://<n>`. */
  name?: string;
  /**
   * Decides when keys expire; default `performance.now`. Drive it by hand to
   * run on virtual time. Only for the node's own store: pass a clock to the
   * {@link MemoryStore} instead when you pass `store`.
   */
  clock?: MemoryClock;
  /**
   * The data this node works on. Default: a new store of its own, i.e. an
   * independent server. Share one store between nodes to model several
   * clients of the same server.
   */
  store?: MemoryStore;
  /**
   * Delay every reply by this many ms, using `setTimeout`. The operation
   * takes effect at once and only its reply is late, so a caller that gives
   * up (aborts) may still have changed the store, as over a real network.
   * Default `0`: replies come on the next microtask and no timer is set.
   */
  latencyMs?: number;
}

/**
 * A {@link LockNode} in the memory of this process: the embedded default for
 * demos, tests and simulation. It follows the whole contract, including
 * `inspect`, `watch` and `close`, and expires keys lazily against its clock,
 * so it sets no timers and runs on virtual time.
 *
 * ```ts
 * const nodes = [new MemoryLockNode(), new MemoryLockNode(), new MemoryLockNode()];
 * const redlock = new Redlock(nodes);
 * ```
 *
 * ## Fault toggles
 *
 * - {@link setAvailable}`(false)`: every call rejects with
 *   `Error("memory://3 is unavailable")`, and release notifications for this
 *   node's watchers are dropped (a partitioned client misses messages). The
 *   data is kept; `setAvailable(true)` reconnects.
 * - {@link setLatency}`(ms)`: delay replies from now on.
 * - {@link clear}: lose every key of the store.
 * - {@link restart}: a restart without persistence: data lost, a new run
 *   id, uptime from 0 (what `restartGuardMs` detects).
 *
 * {@link keys} and {@link size} read the live keys without going through
 * the (possibly unavailable) node, for assertions.
 */
export class MemoryLockNode implements LockNode {
  readonly name: string;
  /** The data behind this node; shared with other nodes only if you passed it. */
  readonly store: MemoryStore;
  #available = true;
  #latencyMs = 0;
  readonly #subscriptions = new Set<() => void>();

  constructor(options: MemoryLockNodeOptions = {}) {
    if (options.store !== undefined && options.clock !== undefined) {
      throw new InvalidArgumentError(
        'MemoryLockNode: pass either `store` or `clock`; a shared store keeps its own clock',
      );
    }
    this.store = options.store ?? new MemoryStore({ clock: options.clock, name: options.name });
    this.name = options.name ?? this.store.name;
    this.setLatency(options.latencyMs ?? 0);
  }

  async acquire(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<AcquireReply> {
    validateLockArguments(keys, value, ttlMs);
    return this.#call(signal, () => this.store.acquire(keys, value, ttlMs));
  }

  /** The waiting-line capability: see `LockNode.acquireInLine` and `memory-waiting-line.ts`. */
  async acquireInLine(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    place: LinePlace,
    signal?: AbortSignal,
  ): Promise<InLineReply> {
    validateLockArguments(keys, value, ttlMs);
    validateLinePlace(place);
    return this.#call(signal, () => acquireInLine(this.store, keys, value, ttlMs, place));
  }

  async extend(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<boolean> {
    validateLockArguments(keys, value, ttlMs);
    return this.#call(signal, () => this.store.extend(keys, value, ttlMs));
  }

  async release(keys: readonly string[], value: string, signal?: AbortSignal): Promise<number> {
    validateLockArguments(keys, value);
    return this.#call(signal, () => this.store.release(keys, value));
  }

  /** `acquire` with a fencing counter per key; see `LockNode.acquireFenced`. */
  async acquireFenced(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<FencedAcquireReply> {
    validateLockArguments(keys, value, ttlMs);
    return this.#call(signal, () => this.store.acquireFenced(keys, value, ttlMs));
  }

  /** Raise the fencing counters of `keys` to at least `fence`; see `LockNode.raiseFence`. */
  async raiseFence(keys: readonly string[], fence: bigint, signal?: AbortSignal): Promise<bigint> {
    validateKeys(keys);
    if (typeof fence !== 'bigint' || fence < 0n) {
      throw new InvalidArgumentError(`fence must be a bigint >= 0, got ${typeof fence}`);
    }
    return this.#call(signal, () => this.store.raiseFence(keys, fence));
  }

  /**
   * The store's current run (synchronous: a memory node is always
   * connected); rejects while unavailable, like a node that cannot reach
   * its server.
   */
  serverRun(): ServerRun | Promise<ServerRun> {
    if (!this.#available) return Promise.reject(new Error(`${this.name} is unavailable`));
    return this.store.serverRun();
  }

  async inspect(keys: readonly string[]): Promise<KeyState[]> {
    validateKeys(keys);
    return this.#call(undefined, () => this.store.inspect(keys));
  }

  async watch(keys: readonly string[], onRelease: ReleaseListener): Promise<() => Promise<void>> {
    validateKeys(keys);
    if (typeof onRelease !== 'function') {
      throw new InvalidArgumentError('onRelease must be a function');
    }
    return this.#call(undefined, () => {
      const stop = this.store.watch(keys, (value) => {
        if (this.#available) onRelease(value);
      });
      this.#subscriptions.add(stop);
      return async () => {
        stop();
        this.#subscriptions.delete(stop);
      };
    });
  }

  /** Stop every watch made through this node. The store and its keys stay. */
  async close(): Promise<void> {
    for (const stop of this.#subscriptions) stop();
    this.#subscriptions.clear();
  }

  /** `false`: every call rejects, as when the server is down or unreachable. */
  setAvailable(available: boolean): void {
    this.#available = available;
  }

  /** Whether calls currently reach the store (see {@link setAvailable}). */
  get available(): boolean {
    return this.#available;
  }

  /** Delay each reply by `latencyMs` from now on; `0` for none. */
  setLatency(latencyMs: number): void {
    // It ends up in setTimeout, which would clamp more than 2^31 - 1 ms to 1 ms.
    this.#latencyMs = validateTimerMs('latencyMs', latencyMs);
  }

  /** Lose every key and fencing counter of the store (data loss without a restart). */
  clear(): void {
    this.store.clear();
  }

  /**
   * Restart the store's server without persistence: keys and fencing
   * counters are lost (unless `keepData`), the run id changes, the uptime
   * starts from 0 (see `restartGuardMs`).
   */
  restart(options?: { keepData?: boolean }): void {
    this.store.restart(options);
  }

  /** The live keys of the store, read directly (works while unavailable). */
  keys(): string[] {
    return this.store.keys();
  }

  /** How many keys of the store are live. */
  get size(): number {
    return this.store.size;
  }

  /**
   * The common path of every call once its input is valid: reject an aborted
   * signal or an outage without touching the store; otherwise apply
   * `operation` at once and reply after the configured latency.
   */
  async #call<T>(signal: AbortSignal | undefined, operation: () => T): Promise<T> {
    signal?.throwIfAborted();
    if (!this.#available) throw new Error(`${this.name} is unavailable`);
    const result = operation();
    if (this.#latencyMs > 0) await delay(this.#latencyMs, signal);
    return result;
  }
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
