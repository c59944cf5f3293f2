import { EventEmitter } from 'node:events';
import {
  type Lock as CoreLock,
  InvalidArgumentError,
  LockAcquireError,
  LockLostError,
} from '@redlock/core';
import { type Client, type ClientKind, clientKindOf, quitClient } from './client.js';
import { type Engine, retryOptions, startEngine } from './engine.js';
import { ExecutionError, LockError, NO_QUORUM_MESSAGE, ResourceLockedError } from './errors.js';
import {
  type ExecutionResult,
  type ExecutionStats,
  statsOfAttempts,
  statsOfRelease,
} from './execution-stats.js';
import { attachCoreLock, handleOf, Lock } from './lock.js';
import { releaseByValue } from './release-by-value.js';
import { type CompatSettings, defaultSettings, mergeSettings, type Settings } from './settings.js';
import { type RedlockAbortSignal, usingSignal } from './using-signal.js';

const DURATION_MESSAGE = 'Duration must be an integer value in milliseconds.';

/** The routine `using` runs; `signal` aborts (with `signal.error` set) if the lock is lost. */
export type RedlockRoutine<T> = (signal: RedlockAbortSignal) => Promise<T>;

/** node-redlock's types ask for an array; plain JavaScript callers sometimes pass one string. */
function keyCountOf(resources: string | readonly string[]): number {
  return typeof resources === 'string' ? 1 : resources.length;
}

function assertDuration(duration: number): void {
  if (!Number.isInteger(duration)) throw new InvalidArgumentError(DURATION_MESSAGE);
}

/**
 * node-redlock's `Redlock` (v5 API, plus the v4 `lock`/`unlock` calls) over
 * `@redlock/core`: change `from "redlock"` to `from "@redlock/compat"`.
 *
 * ```ts
 * import Redlock from '@redlock/compat';
 * const redlock = new Redlock([redisA, redisB, redisC], { retryCount: 10 });
 * await redlock.using(['orders:42'], 5000, async (signal) => {
 *   if (signal.aborted) throw signal.error;
 * });
 * ```
 *
 * Takes ioredis `Redis` and `Cluster` clients, and node-redis clients and
 * clusters. Emits `error` for every vote against (a `ResourceLockedError`
 * when another owner holds a key) and v4's `clientError` for server errors;
 * a listener that does nothing is installed, as in node-redlock.
 */
export default class Redlock extends EventEmitter {
  /** node-redlock v4's error class, as `Redlock.LockError`. */
  static readonly LockError = LockError;
  /** node-redlock v4's `Redlock.Lock`, for `instanceof` checks. */
  static readonly Lock = Lock;

  readonly clients: Set<Client>;
  readonly settings: Settings;
  readonly #settings: CompatSettings;
  readonly #clientList: readonly Client[];
  readonly #kinds: readonly ClientKind[];
  #engine: Promise<Engine> | undefined;

  constructor(
    clients: Iterable<Client>,
    settings: Partial<CompatSettings> = {},
    scripts?: {
      readonly acquireScript?: string | ((script: string) => string);
      readonly extendScript?: string | ((script: string) => string);
      readonly releaseScript?: string | ((script: string) => string);
    },
  ) {
    super();
    // As node-redlock: without a listener, an `error` event would crash the process.
    this.on('error', () => undefined);
    this.clients = new Set(clients);
    if (this.clients.size === 0) {
      throw new InvalidArgumentError(
        'Redlock must be instantiated with at least one redis client.',
      );
    }
    if (scripts !== undefined && Object.values(scripts).some((script) => script !== undefined)) {
      // Our scripts differ from node-redlock's; running a modified copy of its
      // scripts would silently break the lock's guarantees.
      throw new InvalidArgumentError('@redlock/compat does not support custom scripts');
    }
    this.#clientList = [...this.clients];
    this.#kinds = this.#clientList.map((client, index) => clientKindOf(client, index));
    this.#settings = mergeSettings(defaultSettings, settings);
    const { nodeTimeoutMs: _ours, ...nodeRedlockSettings } = this.#settings;
    this.settings = Object.freeze(nodeRedlockSettings);
  }

  /** Quit every client (node-redlock's `quit()`). */
  async quit(): Promise<void> {
    await Promise.all(this.#clientList.map(quitClient));
  }

  /** Lock `resources` for `duration` ms, retrying as the settings say. */
  async acquire(
    resources: string[],
    duration: number,
    settings?: Partial<Settings>,
  ): Promise<Lock> {
    assertDuration(duration);
    return this.#acquire(resources, duration, mergeSettings(this.#settings, settings), false);
  }

  /**
   * Delete the lock's keys on every server. Unlike node-redlock, it never
   * rejects because the lock already expired or was released: the keys are
   * gone either way, and `attempts` shows what each server did.
   */
  async release(lock: Lock, _settings?: Partial<Settings>): Promise<ExecutionResult> {
    const start = Date.now();
    lock.expiration = 0;
    const engine = await this.#ready();
    const handle = handleOf(lock);
    const keyCount = lock.resources.length;
    const stats =
      handle === undefined
        ? await releaseByValue(this.#clientList, engine.nodes, lock, this.#settings.nodeTimeoutMs)
        : statsOfRelease(
            await handle.core.release(),
            this.#clientList,
            keyCount,
            this.#settings.nodeTimeoutMs,
          );
    return { attempts: [Promise.resolve(stats)], start };
  }

  /**
   * Reset the TTL of a valid lock to `duration` ms. Resolves with a new
   * `Lock` (the old one's `expiration` becomes 0); a lock from the v4
   * `lock()` call is updated in place and returned, as v4 did.
   */
  async extend(existing: Lock, duration: number, _settings?: Partial<Settings>): Promise<Lock> {
    assertDuration(duration);
    if (existing.expiration < Date.now()) {
      throw new ExecutionError('Cannot extend an already-expired lock.', [], {
        code: 'EXTEND_FAILED',
      });
    }
    const handle = handleOf(existing);
    if (handle === undefined || existing.redlock !== this) {
      throw new InvalidArgumentError(
        'only a lock acquired by this Redlock can be extended (a Lock you constructed can only be released)',
      );
    }
    const engine = await this.#ready();
    try {
      await handle.core.extend(duration);
    } catch (error) {
      if (!(error instanceof LockLostError)) throw error;
      const attempts = this.#statsOf(error.attempts, existing.resources.length);
      throw new ExecutionError(NO_QUORUM_MESSAGE, attempts, {
        cause: error,
        code: 'EXTEND_FAILED',
      });
    }
    const attempts = [engine.ledger.takeRound('extend', existing.value)];
    if (handle.v4) {
      existing.expiration = handle.core.expiration;
      return existing;
    }
    existing.expiration = 0;
    const extended = new Lock(
      this,
      existing.resources,
      existing.value,
      attempts,
      handle.core.expiration,
    );
    return attachCoreLock(extended, handle.core, false);
  }

  /**
   * Acquire, run `routine`, release; the lock is extended while the routine
   * runs. If an extension fails, `signal` aborts with the error in `signal.error`.
   */
  async using<T>(
    resources: string[],
    duration: number,
    settings: Partial<Settings>,
    routine?: RedlockRoutine<T>,
  ): Promise<T>;
  async using<T>(resources: string[], duration: number, routine: RedlockRoutine<T>): Promise<T>;
  async using<T>(
    resources: string[],
    duration: number,
    settingsOrRoutine: undefined | Partial<Settings> | RedlockRoutine<T>,
    optionalRoutine?: RedlockRoutine<T>,
  ): Promise<T> {
    assertDuration(duration);
    const settings = mergeSettings(
      this.#settings,
      typeof settingsOrRoutine === 'function' ? undefined : settingsOrRoutine,
    );
    const routine = optionalRoutine ?? settingsOrRoutine;
    if (typeof routine !== 'function') {
      throw new InvalidArgumentError('INVARIANT: routine is not a function.');
    }
    if (settings.automaticExtensionThreshold > duration - 100) {
      throw new InvalidArgumentError(
        'A lock `duration` must be at least 100ms greater than the `automaticExtensionThreshold` setting.',
      );
    }
    const engine = await this.#ready();
    let started = false;
    try {
      return await engine.core.using(
        resources,
        duration,
        {
          ...retryOptions(settings),
          automaticExtensionThreshold: settings.automaticExtensionThreshold,
        },
        (signal: AbortSignal) => {
          started = true;
          return routine(
            usingSignal(signal, (lost) => {
              const attempts = lost instanceof LockLostError ? lost.attempts : [];
              return new ExecutionError(
                NO_QUORUM_MESSAGE,
                this.#statsOf(attempts, keyCountOf(resources)),
                {
                  cause: lost,
                  code: 'EXTEND_FAILED',
                },
              );
            }),
          );
        },
      );
    } catch (error) {
      if (started) throw error;
      throw this.#acquireError(error, resources, settings);
    }
  }

  /** node-redlock v4's `lock(resource, ttl)`: rejects with a `Redlock.LockError`. */
  async lock(resource: string | string[], ttl: number): Promise<Lock> {
    assertDuration(ttl);
    const resources = typeof resource === 'string' ? [resource] : resource;
    try {
      return await this.#acquire(resources, ttl, this.#settings, true);
    } catch (error) {
      if (!(error instanceof ExecutionError)) throw error;
      throw new LockError(
        `Exceeded ${this.#settings.retryCount} attempts to lock the resource "${resources}".`,
        error.attempts.length,
        { cause: error.cause },
      );
    }
  }

  /** node-redlock v4's `unlock(lock)`. Resolves even if the lock had expired (v4 rejected). */
  async unlock(lock: Lock): Promise<void> {
    await this.release(lock);
  }

  async #acquire(
    resources: string | string[],
    duration: number,
    settings: CompatSettings,
    v4: boolean,
  ): Promise<Lock> {
    const engine = await this.#ready();
    let core: CoreLock;
    try {
      core = await engine.core.acquire(resources, duration, retryOptions(settings));
    } catch (error) {
      throw this.#acquireError(error, resources, settings);
    }
    // node-redlock keeps no attempts when retrying forever (they would pile up).
    const attempts =
      settings.retryCount === -1
        ? []
        : [
            ...this.#statsOf(core.attempts, core.resources.length),
            engine.ledger.takeRound('acquire', core.value),
          ];
    const lock = new Lock(this, [...core.resources], core.value, attempts, core.expiration);
    return attachCoreLock(lock, core, v4);
  }

  #acquireError(error: unknown, resources: string | string[], settings: CompatSettings): unknown {
    if (!(error instanceof LockAcquireError)) return error;
    const keyCount = keyCountOf(resources);
    const attempts = settings.retryCount === -1 ? [] : this.#statsOf(error.attempts, keyCount);
    return new ExecutionError(NO_QUORUM_MESSAGE, attempts, { cause: error });
  }

  #statsOf(
    attempts: Parameters<typeof statsOfAttempts>[0],
    keyCount: number,
  ): Promise<ExecutionStats>[] {
    return statsOfAttempts(attempts, this.#clientList, keyCount, this.#settings.nodeTimeoutMs);
  }

  /** Builds the core Redlock on first use: the client adapters are imported then. */
  #ready(): Promise<Engine> {
    this.#engine ??= startEngine(this.#clientList, this.#kinds, this.#settings, (error) =>
      this.#emitVoteAgainst(error),
    );
    return this.#engine;
  }

  #emitVoteAgainst(error: Error): void {
    try {
      this.emit('error', error);
      if (!(error instanceof ResourceLockedError)) this.emit('clientError', error);
    } catch {
      // A throwing listener must not turn a vote into a crash or an unhandled rejection.
    }
  }
}
